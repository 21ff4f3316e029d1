package credentials

import (
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/chacha20poly1305"

	"huiwu/badge/credential"
	"huiwu/server/internal/store"
)

// sealAlgorithm names the AEAD the signing key is sealed with. XChaCha20's
// 24-byte nonce is safe to draw at random for any number of seals.
const sealAlgorithm = "xchacha20poly1305"

// ErrWrongMasterKey is wrapped when the master key given does not open the
// signing key in the database. Nothing is stored or changed then.
var ErrWrongMasterKey = errors.New("credentials: 主密钥不对，解不开数据库中的签名密钥 / the master key does not open the signing key in the database")

// additionalData binds a seal to the key id (and the algorithm) of its
// row: a sealed seed copied into another key's row does not open.
func additionalData(keyID string) []byte {
	return []byte("huiwu signing key v1\x00" + sealAlgorithm + "\x00" + keyID)
}

// seal encrypts the signer with the master key. The plaintext is the key
// file's line (credential.MarshalSigner: format, key id, seed), so opening
// it runs ParseSigner's checks as reading signing.key did.
func seal(s *credential.Signer, mk masterKey, at time.Time) (store.SigningSecret, error) {
	aead, err := chacha20poly1305.NewX(mk.key[:])
	if err != nil {
		return store.SigningSecret{}, fmt.Errorf("credentials: seal: %w", err)
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return store.SigningSecret{}, fmt.Errorf("credentials: seal: %w", err)
	}
	return store.SigningSecret{
		KeyID:     s.KeyID(),
		Algorithm: sealAlgorithm,
		MasterID:  mk.id,
		Nonce:     nonce,
		Sealed:    aead.Seal(nil, nonce, credential.MarshalSigner(s), additionalData(s.KeyID())),
		CreatedAt: at,
	}, nil
}

// unseal opens a stored signing key with the master key. A key sealed with
// another master key, a seal moved to another row, a damaged seal and a
// seed whose key id is not its row's are each refused, the first with
// ErrWrongMasterKey naming both master key ids (ids, never keys).
func unseal(sec store.SigningSecret, mk masterKey) (*credential.Signer, error) {
	if sec.Algorithm != sealAlgorithm {
		return nil, fmt.Errorf("credentials: 签名密钥以未知算法 %q 加密，请使用更新的 huiwu / the signing key is sealed with %q, unknown to this program: use a newer huiwu", sec.Algorithm, sec.Algorithm)
	}
	if sec.MasterID != mk.id {
		return nil, fmt.Errorf("%w (database: master key %s; given: %s from %s)", ErrWrongMasterKey, sec.MasterID, mk.id, mk.source)
	}
	aead, err := chacha20poly1305.NewX(mk.key[:])
	if err != nil {
		return nil, fmt.Errorf("credentials: unseal: %w", err)
	}
	if len(sec.Nonce) != aead.NonceSize() {
		return nil, fmt.Errorf("credentials: 签名密钥 %s 的 nonce 长度不对（数据损坏）/ signing key %s: nonce of %d bytes, want %d (damaged)", sec.KeyID, sec.KeyID, len(sec.Nonce), aead.NonceSize())
	}
	plain, err := aead.Open(nil, sec.Nonce, sec.Sealed, additionalData(sec.KeyID))
	if err != nil {
		// The master key's id matched, so the key is right: the row was
		// altered (or its seal belongs to another key id).
		return nil, fmt.Errorf("credentials: 签名密钥 %s 解密失败：数据库中的记录被改动或损坏 / signing key %s does not open: its row in the database was altered or damaged", sec.KeyID, sec.KeyID)
	}
	s, err := credential.ParseSigner(plain)
	clear(plain)
	if err != nil {
		return nil, fmt.Errorf("credentials: signing key %s: %w", sec.KeyID, err)
	}
	if s.KeyID() != sec.KeyID {
		return nil, fmt.Errorf("credentials: 签名密钥的编号与记录不符 / the sealed signing key is %s, its row says %s", s.KeyID(), sec.KeyID)
	}
	return s, nil
}

package credentials

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"huiwu/badge/credential"
	"huiwu/server/internal/store"
)

// oldKeyFile is where the signing key lived before it moved into the
// database (schema v21); movedSuffix is added to its name once it has.
const (
	oldKeyFile  = "signing.key"
	movedSuffix = ".moved"
)

// loadOrPut answers the signing key in use. A database that has one opens
// it with the master key. One that has none gets one, sealed: the data
// directory's signing.key when there is one (badges printed before keep
// verifying and can be reprinted), else a new key. When two servers put at
// once, the store keeps the first and both sign with it.
func loadOrPut(ctx context.Context, cfg Config, db *store.DB) (*credential.Signer, error) {
	old, err := readOldKey(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	onShared := shared(db)
	in, err := db.SigningSecret(ctx)
	switch {
	case err == nil:
		mk, err := openingKey(cfg, onShared)
		if err != nil {
			return nil, err
		}
		s, err := unseal(in, mk)
		if err != nil {
			return nil, err
		}
		return s, retireOldKey(cfg.DataDir, old, s)
	case !errors.Is(err, store.ErrNotFound):
		return nil, fmt.Errorf("credentials: %w", err)
	}

	mk, err := sealingKey(cfg, onShared)
	if err != nil {
		return nil, err
	}
	s := old
	if s == nil {
		if s, err = credential.GenerateKey(rand.Reader); err != nil {
			return nil, err
		}
	}
	sec, err := seal(s, mk, time.Now())
	if err != nil {
		return nil, err
	}
	if in, err = db.PutSigningSecret(ctx, sec, s.Public()); err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	if in.KeyID != s.KeyID() {
		// Another server put its key first: sign with that one.
		if s, err = unseal(in, mk); err != nil {
			return nil, err
		}
	} else if old == nil {
		slog.Info("已生成新的签名密钥，加密存入数据库 / made a new signing key, sealed in the database", "key_id", s.KeyID(), "master_key", mk.id)
	}
	return s, retireOldKey(cfg.DataDir, old, s)
}

// LoadSigner opens the signing key in the database without making or
// moving anything: for tools and tests that sign as the server does.
// store.ErrNotFound when no server has started on the database yet.
func LoadSigner(ctx context.Context, cfg Config, db *store.DB) (*credential.Signer, error) {
	in, err := db.SigningSecret(ctx)
	if err != nil {
		return nil, err
	}
	mk, err := openingKey(cfg, shared(db))
	if err != nil {
		return nil, err
	}
	return unseal(in, mk)
}

// openingKey is the master key that should open the key in the database:
// the one given, else (SQLite only) DATA/master.key, never a new one —
// a new master key opens nothing, and making it would leave a file that
// looks like the lost one.
func openingKey(cfg Config, onShared bool) (masterKey, error) {
	mk, ok, err := cfg.given()
	if ok || err != nil {
		return mk, err
	}
	if onShared {
		return mk, errNoMasterKey
	}
	if cfg.DataDir != "" {
		if mk, ok, err = readMasterKeyFile(cfg.DataDir); ok || err != nil {
			return mk, err
		}
	}
	return mk, fmt.Errorf("credentials: 数据库中的签名密钥已加密，但找不到主密钥 %s：请从备份中恢复该文件，或用 HUIWU_KEY / -key-file 提供主密钥 / "+
		"the signing key in the database is sealed but the master key %s is missing: restore it from the backup, or give it with HUIWU_KEY / -key-file",
		filepath.Join(cfg.DataDir, masterKeyFile), filepath.Join(cfg.DataDir, masterKeyFile))
}

// sealingKey is the master key to seal a first signing key with: the one
// given, else (SQLite only) DATA/master.key, made when missing, so that a
// single machine needs nothing new.
func sealingKey(cfg Config, onShared bool) (masterKey, error) {
	mk, ok, err := cfg.given()
	if ok || err != nil {
		return mk, err
	}
	if onShared {
		return mk, errNoMasterKey
	}
	if cfg.DataDir == "" {
		return mk, errors.New("credentials: no data directory for master.key, and no master key given")
	}
	if mk, ok, err = readMasterKeyFile(cfg.DataDir); ok || err != nil {
		return mk, err
	}
	return createMasterKeyFile(cfg.DataDir)
}

// shared reports whether db is one several servers share (PostgreSQL),
// where the master key must come from outside.
func shared(db *store.DB) bool { return db.Dialect() == store.Postgres }

// readOldKey reads DATA/signing.key; nil when there is none.
func readOldKey(dir string) (*credential.Signer, error) {
	if dir == "" {
		return nil, nil
	}
	path := filepath.Join(dir, oldKeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("credentials: read %s: %w", path, err)
	}
	s, err := credential.ParseSigner(b)
	if err != nil {
		return nil, fmt.Errorf("credentials: %s: %w", path, err)
	}
	return s, nil
}

// retireOldKey renames DATA/signing.key to signing.key.moved once the
// database holds the same key, sealed; the file is kept, not deleted. A
// file holding another key than the database's is left as it is and the
// server does not start: that key may have signed printed badges, and only
// the operator can say whether they still matter.
func retireOldKey(dir string, old, in *credential.Signer) error {
	if old == nil {
		return nil
	}
	path := filepath.Join(dir, oldKeyFile)
	if old.KeyID() != in.KeyID() {
		return fmt.Errorf("credentials: %s 中的签名密钥 %s 与数据库中的签名密钥 %s 不同，文件未动。若用 %s 签发的胸卡仍在使用，请先确认用哪一个；否则将该文件移走后再启动 / "+
			"%s holds signing key %s but the database signs with %s; the file was left as it is. If badges signed with %s are still in use, decide which key to keep; otherwise move the file aside and start again",
			path, old.KeyID(), in.KeyID(), old.KeyID(), path, old.KeyID(), in.KeyID(), old.KeyID())
	}
	moved := path + movedSuffix
	if err := os.Rename(path, moved); errors.Is(err, fs.ErrNotExist) {
		return nil // another server on this data directory moved it first
	} else if err != nil {
		return fmt.Errorf("credentials: 签名密钥已存入数据库，但 %s 改名失败 / the signing key is in the database but renaming %s failed: %w", path, path, err)
	}
	syncDir(dir)
	slog.Warn("签名密钥已移入数据库（以主密钥加密）；原文件保留为 "+oldKeyFile+movedSuffix+"，确认备份后可删除 / the signing key moved into the database, sealed with the master key; the old file is kept as "+oldKeyFile+movedSuffix+" and may be deleted once a backup holds the database and the master key",
		"key_id", in.KeyID(), "file", moved)
	return nil
}

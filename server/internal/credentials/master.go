package credentials

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// masterKeyFile is the master key's file in the data directory, made on
// first start when the database is SQLite and no master key is given.
const masterKeyFile = "master.key"

// masterKeySize is the master key's length: a 256-bit AEAD key.
const masterKeySize = 32

// Config says where the signing key's master key comes from. The signing
// key itself is in the database, sealed; the master key opens it.
type Config struct {
	// DataDir holds master.key when no key is given (SQLite only), and
	// possibly a signing.key from before v21 to move into the database.
	DataDir string
	// Key is the master key itself as text, base64 or hex of 32 bytes
	// (HUIWU_KEY). Not a flag: a command line is visible to every user.
	Key string
	// KeyFile names a file holding the master key, as text (base64 or hex)
	// or as the 32 raw bytes (-key-file, HUIWU_KEY_FILE).
	KeyFile string
}

// masterKey is a key-encryption key with the id that names it in the
// database (so that a wrong key is told apart from a damaged seal).
type masterKey struct {
	key    [masterKeySize]byte
	id     string
	source string // where it came from, for messages: never the key
}

// errNoMasterKey is the refusal to start on a shared database without a
// master key given from outside it.
var errNoMasterKey = errors.New("credentials: 使用 PostgreSQL 时必须提供主密钥（环境变量 HUIWU_KEY，或 -key-file / HUIWU_KEY_FILE 指定的文件）：主密钥若与加密的签名密钥存在同一数据库里，就什么也保护不了 / " +
	"with PostgreSQL a master key must be given (HUIWU_KEY, or a file named by -key-file / HUIWU_KEY_FILE): a key kept in the same database as the sealed signing key would protect nothing")

// given answers the master key named by cfg, ok false when none is given.
func (cfg Config) given() (mk masterKey, ok bool, err error) {
	switch {
	case cfg.Key != "" && cfg.KeyFile != "":
		return mk, false, errors.New("credentials: 主密钥只能给一个：HUIWU_KEY 或 -key-file，不能两个都给 / give the master key once: HUIWU_KEY or -key-file, not both")
	case cfg.Key != "":
		mk, err = parseMasterKey([]byte(cfg.Key), "HUIWU_KEY")
		return mk, true, err
	case cfg.KeyFile != "":
		b, err := os.ReadFile(cfg.KeyFile)
		if err != nil {
			return mk, false, fmt.Errorf("credentials: 读不到主密钥文件 / cannot read the master key file: %w", err)
		}
		mk, err = parseMasterKey(b, cfg.KeyFile)
		return mk, true, err
	}
	return mk, false, nil
}

// parseMasterKey reads 32 bytes given as hex, as base64 (standard or URL
// alphabet, padded or not; surrounding white space ignored) or, from a
// file, raw. The lengths tell the forms apart: 64, 43–44 and 32 bytes.
// Messages never quote the input: it is a secret.
func parseMasterKey(b []byte, source string) (masterKey, error) {
	var raw []byte
	if len(b) == masterKeySize && !isText(b) {
		raw = b
	} else {
		text := strings.TrimSpace(string(b))
		if len(text) == 2*masterKeySize {
			raw, _ = hex.DecodeString(text)
		}
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if raw != nil {
				break
			}
			if d, err := enc.Strict().DecodeString(text); err == nil {
				raw = d
			}
		}
	}
	if len(raw) != masterKeySize {
		return masterKey{}, fmt.Errorf("credentials: %s 不是 32 字节的主密钥（应为 hex 或 base64，如 openssl rand -base64 32 所生成）/ %s is not a 32-byte master key (give it as hex or base64, as made by openssl rand -base64 32)", source, source)
	}
	mk := masterKey{key: [masterKeySize]byte(raw), source: source}
	sum := sha256.Sum256(append([]byte("huiwu master key id\x00"), raw...))
	mk.id = hex.EncodeToString(sum[:4])
	return mk, nil
}

// isText reports whether b is printable ASCII (with white space), as a key
// written as hex or base64 is; 32 random bytes almost never are.
func isText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c > 0x7e {
			return false
		}
	}
	return true
}

// readMasterKeyFile reads DATA/master.key; ok false when there is none.
func readMasterKeyFile(dir string) (mk masterKey, ok bool, err error) {
	path := filepath.Join(dir, masterKeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return mk, false, nil
	} else if err != nil {
		return mk, false, fmt.Errorf("credentials: read %s: %w", path, err)
	}
	mk, err = parseMasterKey(b, path)
	return mk, err == nil, err
}

// createMasterKeyFile makes DATA/master.key, 0600, with a new random key,
// unless another process made it first: then that one is answered. The
// key is written to a temporary file and linked into place, which fails
// rather than replaces when the name exists, so two servers starting at
// once on one data directory never seal with two different master keys.
func createMasterKeyFile(dir string) (masterKey, error) {
	path := filepath.Join(dir, masterKeyFile)
	var raw [masterKeySize]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return masterKey{}, fmt.Errorf("credentials: make master key: %w", err)
	}
	text := []byte(base64.StdEncoding.EncodeToString(raw[:]) + "\n")
	tmp, err := os.CreateTemp(dir, masterKeyFile+".tmp-*")
	if err != nil {
		return masterKey{}, fmt.Errorf("credentials: write master key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(text)
	if err == nil {
		err = tmp.Sync() // on disk before its name is: a crash leaves no empty master.key
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return masterKey{}, fmt.Errorf("credentials: write master key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		mk, ok, err := readMasterKeyFile(dir)
		if err == nil && !ok {
			err = fmt.Errorf("credentials: %s vanished while it was made", path)
		}
		return mk, err
	} else if err != nil {
		return masterKey{}, fmt.Errorf("credentials: write master key: %w", err)
	}
	syncDir(dir)
	slog.Info("已生成主密钥文件：请与数据库一起备份，缺了它签名密钥无法解开 / made the master key file: back it up with the database, the signing key cannot be opened without it",
		"file", path)
	return parseMasterKey(text, path)
}

// syncDir makes a new or renamed name in dir durable. Best effort: not every
// system can sync a directory, and the file's own data is synced already.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

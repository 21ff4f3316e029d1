package credentials

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"huiwu/badge/credential"
	"huiwu/server/internal/store"
)

func testMasterKey(t *testing.T, fill byte) masterKey {
	t.Helper()
	mk, err := parseMasterKey(bytes.Repeat([]byte{fill}, masterKeySize), "test")
	if err != nil {
		t.Fatal(err)
	}
	return mk
}

// TestParseMasterKey: the forms a 32-byte key is given in, and what is
// refused; a refusal never quotes the input.
func TestParseMasterKey(t *testing.T) {
	t.Parallel()
	raw := make([]byte, masterKeySize)
	rand.Read(raw)
	raw[0] = 0 // certainly not text
	want := testMasterKeyFrom(t, raw)
	for _, tc := range []struct {
		name string
		in   []byte
		ok   bool
	}{
		{"hex", []byte(hex.EncodeToString(raw)), true},
		{"hex, upper case, newline", []byte(strings.ToUpper(hex.EncodeToString(raw)) + "\n"), true},
		{"base64", []byte(base64.StdEncoding.EncodeToString(raw)), true},
		{"base64 from openssl, CRLF", []byte(base64.StdEncoding.EncodeToString(raw) + "\r\n"), true},
		{"base64 unpadded", []byte(base64.RawStdEncoding.EncodeToString(raw)), true},
		{"base64 url alphabet", []byte(base64.URLEncoding.EncodeToString(raw)), true},
		{"raw bytes", raw, true},
		{"empty", nil, false},
		{"31 bytes as base64", []byte(base64.StdEncoding.EncodeToString(raw[:31])), false},
		{"33 bytes as hex", []byte(hex.EncodeToString(append(raw, 1))), false},
		{"a 32-character pass phrase", []byte("correct horse battery staple 12!"), false},
		{"not an encoding", []byte("this is not a key, just some words of text here"), false},
	} {
		got, err := parseMasterKey(tc.in, "HUIWU_KEY")
		if !tc.ok {
			if err == nil {
				t.Errorf("%s: accepted", tc.name)
			} else if len(tc.in) > 0 && strings.Contains(err.Error(), string(tc.in)) {
				t.Errorf("%s: the error quotes the key: %v", tc.name, err)
			} else if !strings.Contains(err.Error(), "HUIWU_KEY") {
				t.Errorf("%s: the error does not say where the key came from: %v", tc.name, err)
			}
			continue
		}
		if err != nil || got.key != want.key || got.id != want.id {
			t.Errorf("%s: %v, %v; want the key %s", tc.name, got.id, err, want.id)
		}
	}
}

func testMasterKeyFrom(t *testing.T, raw []byte) masterKey {
	t.Helper()
	mk, err := parseMasterKey([]byte(hex.EncodeToString(raw)), "test")
	if err != nil {
		t.Fatal(err)
	}
	return mk
}

// TestSealRoundTrip: a sealed key opens with its master key into the same
// signer (same key id, same signatures), and each way of getting it wrong
// is refused with its own reason.
func TestSealRoundTrip(t *testing.T) {
	t.Parallel()
	s, err := credential.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	mk := testMasterKey(t, 1)
	at := time.Now()
	sec, err := seal(s, mk, at)
	if err != nil {
		t.Fatal(err)
	}
	if sec.KeyID != s.KeyID() || sec.MasterID != mk.id || sec.Algorithm != sealAlgorithm || !sec.CreatedAt.Equal(at) {
		t.Fatalf("sealed row %+v", sec)
	}
	if bytes.Contains(sec.Sealed, credential.MarshalSigner(s)[17:]) {
		t.Fatal("the seal carries the key in the clear")
	}
	got, err := unseal(sec, mk)
	if err != nil {
		t.Fatal(err)
	}
	claims := credential.Claims{Event: "e-2026", Attendee: 7, Serial: 3}
	a, _ := s.Sign(claims)
	b, _ := got.Sign(claims)
	if got.KeyID() != s.KeyID() || a != b {
		t.Fatalf("unsealed key %s signs %q, want %s signing %q", got.KeyID(), b, s.KeyID(), a)
	}
	if again, _ := seal(s, mk, at); bytes.Equal(again.Nonce, sec.Nonce) {
		t.Error("two seals drew the same nonce")
	}

	other, _ := credential.GenerateKey(nil)
	otherSec, _ := seal(other, mk, at)
	for _, tc := range []struct {
		name   string
		edit   func(*store.SigningSecret)
		mk     masterKey
		is     error
		saying string
	}{
		{"another master key", nil, testMasterKey(t, 2), ErrWrongMasterKey, "the master key does not open"},
		{"another master key under the right id", nil, masterKey{key: testMasterKey(t, 2).key, id: mk.id}, nil, "altered or damaged"},
		{"the seal moved to another key's row", func(r *store.SigningSecret) { r.KeyID = other.KeyID() }, mk, nil, "altered or damaged"},
		{"another key's seal in this row", func(r *store.SigningSecret) { r.Sealed, r.Nonce = otherSec.Sealed, otherSec.Nonce }, mk, nil, "altered or damaged"},
		{"a flipped bit", func(r *store.SigningSecret) { r.Sealed = bytes.Clone(r.Sealed); r.Sealed[5] ^= 1 }, mk, nil, "altered or damaged"},
		{"a short nonce", func(r *store.SigningSecret) { r.Nonce = r.Nonce[:12] }, mk, nil, "nonce"},
		{"an unknown algorithm", func(r *store.SigningSecret) { r.Algorithm = "aes-256-gcm-siv" }, mk, nil, "use a newer huiwu"},
	} {
		row := sec
		if tc.edit != nil {
			tc.edit(&row)
		}
		got, err := unseal(row, tc.mk)
		if got != nil || err == nil {
			t.Errorf("%s: opened", tc.name)
			continue
		}
		if tc.is != nil && !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.saying) {
			t.Errorf("%s: %v; want it to say %q", tc.name, err, tc.saying)
		}
	}
}

// TestMasterKeySources: a given key wins; with none, SQLite keeps (and
// makes once) DATA/master.key, and PostgreSQL refuses without making any
// file; a sealed key with its master key file gone is not given a new one.
func TestMasterKeySources(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, _, err := (Config{Key: "x", KeyFile: "y"}).given(); err == nil {
		t.Error("HUIWU_KEY and -key-file together were accepted")
	}
	if _, _, err := (Config{KeyFile: filepath.Join(dir, "absent")}).given(); err == nil {
		t.Error("a missing -key-file was accepted")
	}
	for _, f := range []func(Config, bool) (masterKey, error){openingKey, sealingKey} {
		if _, err := f(Config{DataDir: dir}, true); !errors.Is(err, errNoMasterKey) {
			t.Errorf("shared database without a key: %v", err)
		}
		for _, word := range []string{"PostgreSQL", "HUIWU_KEY", "-key-file"} {
			if !strings.Contains(errNoMasterKey.Error(), word) {
				t.Errorf("the refusal does not name %s", word)
			}
		}
		given := hex.EncodeToString(bytes.Repeat([]byte{7}, 32))
		if mk, err := f(Config{DataDir: dir, Key: given}, true); err != nil || mk.key != testMasterKey(t, 7).key {
			t.Errorf("shared database with HUIWU_KEY: %v", err)
		}
	}
	if _, err := openingKey(Config{DataDir: dir}, false); err == nil || !strings.Contains(err.Error(), "master.key") {
		t.Errorf("opening without master.key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, masterKeyFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refusal made %s: %v", masterKeyFile, err)
	}
	made, err := sealingKey(Config{DataDir: dir}, false)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := openingKey(Config{DataDir: dir}, false); err != nil || again.key != made.key {
		t.Errorf("master.key read back: %v", err)
	}
}

// TestMasterKeyFileRace: servers making master.key at once on one data
// directory all end with the one key in the file, 0600, and no temporary
// files are left.
func TestMasterKeyFileRace(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	keys := make([]masterKey, 8)
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() { keys[i], errs[i] = createMasterKeyFile(dir) })
	}
	wg.Wait()
	onDisk, ok, err := readMasterKeyFile(dir)
	if err != nil || !ok {
		t.Fatalf("read master.key: %v %v", ok, err)
	}
	for i := range keys {
		if errs[i] != nil || keys[i].key != onDisk.key {
			t.Errorf("maker %d: %v, or a key other than the file's", i, errs[i])
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
	if fi, err := os.Stat(filepath.Join(dir, masterKeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("master.key mode: %v %v", fi, err)
	}
}

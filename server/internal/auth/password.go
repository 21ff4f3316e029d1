package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2 is the cost of hashing a password with argon2id (RFC 9106).
// Each hash keeps its own parameters, so raising them later leaves older
// hashes verifiable.
type Argon2 struct {
	Time    uint32 // passes over memory
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultArgon2 is OWASP's recommended argon2id configuration: 19 MiB, two
// passes, one lane — about 30 ms on the venue server's two cores. At most
// two hashes run at once, so sign-ins cost at most 38 MiB together.
var DefaultArgon2 = Argon2{Time: 2, Memory: 19 * 1024, Threads: 1}

const (
	saltBytes = 16
	keyBytes  = 32
)

// errBadHash means a stored hash is not an argon2id PHC string.
var errBadHash = errors.New("auth: stored password hash unreadable")

// hashPassword hashes password with a fresh random salt and answers the
// PHC string "$argon2id$v=19$m=…,t=…,p=…$salt$hash".
func hashPassword(password string, a Argon2) string {
	salt := make([]byte, saltBytes)
	if _, err := rand.Read(salt); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	key := argon2.IDKey([]byte(password), salt, a.Time, a.Memory, a.Threads, keyBytes)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, a.Memory, a.Time, a.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// checkPassword reports whether password matches the PHC string hash,
// comparing in constant time.
func checkPassword(password, hash string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	var a Argon2
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &a.Memory, &a.Time, &a.Threads); err != nil ||
		a.Time == 0 || a.Threads == 0 || a.Memory > 1<<21 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, a.Time, a.Memory, a.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

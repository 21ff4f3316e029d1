package auth

import (
	"strings"
	"testing"
)

// TestPasswordHash: passwords are stored as argon2id PHC strings with the
// default cost and a salt of their own, so two people with one password
// have different hashes; only the right password matches.
func TestPasswordHash(t *testing.T) {
	t.Parallel()
	a := hashPassword("长城-2026", DefaultArgon2)
	b := hashPassword("长城-2026", DefaultArgon2)
	if !strings.HasPrefix(a, "$argon2id$v=19$m=19456,t=2,p=1$") || a == b {
		t.Fatalf("hashes %q and %q", a, b)
	}
	for pw, want := range map[string]bool{"长城-2026": true, "长城-2027": false, "": false, "长城-2026 ": false} {
		if ok, err := checkPassword(pw, a); err != nil || ok != want {
			t.Errorf("check %q: %v %v", pw, ok, err)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=64,t=0,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaA"} {
		if ok, err := checkPassword("x", bad); ok || err == nil {
			t.Errorf("hash %q accepted: %v", bad, err)
		}
	}
}

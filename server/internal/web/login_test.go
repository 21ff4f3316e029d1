package web

import (
	"testing"
	"time"
)

func TestOneTimeCode(t *testing.T) {
	t.Parallel()
	o := newOneTimeCode("secret")
	if o.take("wrong") || !o.take("secret") || o.take("secret") {
		t.Error("the login code must work once, and only when right")
	}
	if newOneTimeCode("").take("") {
		t.Error("an empty code logged in")
	}
}

func TestLimiter(t *testing.T) {
	t.Parallel()
	l := newLimiter(3, time.Hour)
	for i := range 3 {
		if !l.allow("a") {
			t.Fatalf("attempt %d refused", i)
		}
	}
	if l.allow("a") {
		t.Error("fourth attempt allowed")
	}
	if !l.allow("b") {
		t.Error("another address was limited too")
	}
}

package credential

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// FuzzVerify feeds arbitrary text to Verify, as a kiosk gets from any QR code
// held up to it. The committed corpus in testdata/fuzz/FuzzVerify holds valid
// tokens of the test keys, so mutations start from the interesting shape.
//
// Properties: no panic; every failure carries a code and zero claims; Parse
// and Verify agree on the format; and anything accepted is, up to case and
// surrounding whitespace, exactly the token its claims sign to.
func FuzzVerify(f *testing.F) {
	signers := map[string]*Signer{}
	ring := &Keyring{}
	for _, seed := range []byte{1, 3} {
		s := testSigner(f, seed)
		signers[s.KeyID()] = s
		if err := ring.Add(s.Public()); err != nil {
			f.Fatal(err)
		}
	}
	f.Add(mustSign(f, testSigner(f, 3), maxClaims))
	f.Add("")

	f.Fuzz(func(t *testing.T, in string) {
		c, id, err := ring.Verify(in)
		pc, pid, perr := Parse(in)
		if err != nil {
			code := sentinel(err)
			if code == nil {
				t.Fatalf("Verify(%q) error %v has no code", in, err)
			}
			if c != (Claims{}) {
				t.Fatalf("Verify(%q) failed (%v) but returned claims %+v", in, err, c)
			}
			// Format errors come from Parse; only key and signature are Verify's.
			want := sentinel(perr)
			if perr == nil && (code == ErrUnknownKey || code == ErrSignature) {
				want = code
			}
			if code != want {
				t.Fatalf("Verify(%q) says %v but Parse says %v", in, err, perr)
			}
			return
		}
		if perr != nil || pc != c || pid != id {
			t.Fatalf("Verify accepted %q as %+v/%s but Parse = %+v, %s, %v", in, c, id, pc, pid, perr)
		}
		if c.problem() != "" {
			t.Fatalf("accepted claims %+v are invalid: %s", c, c.problem())
		}
		s := signers[id]
		if s == nil {
			t.Fatalf("accepted key id %s that no test key has", id)
		}
		tok, err := s.Sign(c)
		if err != nil {
			t.Fatalf("re-signing accepted claims %+v: %v", c, err)
		}
		if want := strings.ToUpper(strings.Trim(in, " \t\r\n\v\f")); tok != want {
			t.Fatalf("accepted %q, but its claims sign to %q", in, tok)
		}
		if c2, id2, err := ring.Verify(tok); err != nil || c2 != c || id2 != id {
			t.Fatalf("re-signed token: %+v, %s, %v", c2, id2, err)
		}
	})
}

// TestFuzzCorpusValid: the committed valid_* seeds must stay valid tokens of
// the test keys, or the fuzzer silently loses its best starting points when
// the format or the test keys change.
func TestFuzzCorpusValid(t *testing.T) {
	ring := testRing(t, testSigner(t, 1), testSigner(t, 3))
	files, _ := filepath.Glob("testdata/fuzz/FuzzVerify/valid_*")
	if len(files) == 0 {
		t.Fatal("no valid_* seeds in testdata/fuzz/FuzzVerify")
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) != 2 || lines[0] != "go test fuzz v1" ||
			!strings.HasPrefix(lines[1], "string(") || !strings.HasSuffix(lines[1], ")") {
			t.Fatalf("%s: not a one-string go test fuzz v1 file", name)
		}
		tok, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, _, err := ring.Verify(tok); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestBuildsForWasm: the kiosk verifies offline with this package compiled to
// WebAssembly, so it must build for js/wasm and must not pull in process,
// network or cgo machinery that a browser cannot give it.
func TestBuildsForWasm(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH")
	}
	env := append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(goBin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("build", ".")
	for _, dep := range strings.Fields(run("list", "-deps", ".")) {
		switch dep {
		case "os/exec", "net", "runtime/cgo":
			t.Errorf("js/wasm build depends on %s", dep)
		}
	}
	// fmt brings os along, so the direct imports are what show intent.
	for _, imp := range strings.Fields(strings.Trim(run("list", "-f", "{{join .Imports \" \"}}", "."), "\n")) {
		switch imp {
		case "os", "syscall", "time", "unsafe", "net", "os/exec":
			t.Errorf("package imports %s directly", imp)
		}
	}
}

// sentinel is the *Error that err wraps, or nil.
func sentinel(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

package faces

import (
	"encoding/base64"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// unit is a reference as face.js sends it: round(127 × v/|v|) for a random
// direction v drawn from seed.
func unit(seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	v := make([]float64, RefLen)
	var n float64
	for i := range v {
		v[i] = r.NormFloat64()
		n += v[i] * v[i]
	}
	n = math.Sqrt(n)
	out := make([]byte, RefLen)
	for i := range v {
		out[i] = byte(int8(math.Round(127 * v[i] / n)))
	}
	return out
}

// near is ref moved by a fraction of a random direction: the same face
// on another day.
func near(ref []byte, seed uint64, by float64) []byte {
	other := unit(seed)
	v := make([]float64, RefLen)
	var n float64
	for i := range v {
		v[i] = float64(int8(ref[i])) + by*float64(int8(other[i]))
		n += v[i] * v[i]
	}
	n = math.Sqrt(n)
	out := make([]byte, RefLen)
	for i := range v {
		out[i] = byte(int8(math.Round(127 * v[i] / n)))
	}
	return out
}

func TestDecodeRef(t *testing.T) {
	good := unit(1)
	enc := base64.StdEncoding.EncodeToString(good)
	got, err := DecodeRef(enc)
	if err != nil || string(got) != string(good) {
		t.Fatalf("a good reference: %v", err)
	}
	zero := make([]byte, RefLen)
	loud := make([]byte, RefLen)
	for i := range loud {
		loud[i] = 100
	}
	min := unit(2)
	min[7] = 0x80 // -128: round(127·x) never gives it
	for name, s := range map[string]string{
		"empty":          "",
		"short":          base64.StdEncoding.EncodeToString(good[:1023]),
		"long":           base64.StdEncoding.EncodeToString(append(good, 1)),
		"not base64":     enc[:100] + "!" + enc[101:],
		"url alphabet":   base64.URLEncoding.EncodeToString(unit(3)) + "-_",
		"unpadded short": base64.RawStdEncoding.EncodeToString(good),
		"all zero":       base64.StdEncoding.EncodeToString(zero),
		"not normalised": base64.StdEncoding.EncodeToString(loud),
		"minus 128":      base64.StdEncoding.EncodeToString(min),
		"whitespace":     enc[:500] + "\n" + enc[500:],
	} {
		if _, err := DecodeRef(s); !errors.Is(err, ErrRefInvalid) {
			t.Errorf("%s: %v, want ErrRefInvalid", name, err)
		}
	}
}

// TestDistance: the cosine distance computed from the int8s is 0 for the
// same vector, about 1 for unrelated ones, 2 for opposite ones, and
// matches the float computation.
func TestDistance(t *testing.T) {
	a, b := unit(1), unit(2)
	if d := Distance(a, a); math.Abs(d) > 1e-12 {
		t.Errorf("a to itself: %v", d)
	}
	neg := make([]byte, RefLen)
	for i := range a {
		neg[i] = byte(-int8(a[i]))
	}
	if d := Distance(a, neg); math.Abs(d-2) > 1e-12 {
		t.Errorf("a to -a: %v", d)
	}
	if d := Distance(a, b); d < 0.85 || d > 1.15 {
		t.Errorf("two random directions: %v, want about 1", d)
	}
	var dot, na, nb float64
	for i := range a {
		x, y := float64(int8(a[i])), float64(int8(b[i]))
		dot, na, nb = dot+x*y, na+x*x, nb+y*y
	}
	if want := 1 - dot/math.Sqrt(na*nb); math.Abs(Distance(a, b)-want) > 1e-12 {
		t.Errorf("distance %v, want %v", Distance(a, b), want)
	}
	if d := Distance(a, near(a, 9, 0.3)); d > 0.1 {
		t.Errorf("a near a: %v", d)
	}
}

// TestNearest: the closest references come first, at most k of them,
// and a reference of another length is never matched.
func TestNearest(t *testing.T) {
	refs := map[int64][]byte{}
	for id := int64(1); id <= 200; id++ {
		refs[id] = unit(uint64(id))
	}
	refs[999] = []byte{1, 2, 3}
	q := near(refs[42], 77, 0.2)
	got := Nearest(refs, q, 5)
	if len(got) != 5 || got[0].ID != 42 {
		t.Fatalf("nearest %+v, want 42 first of 5", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Distance < got[i-1].Distance {
			t.Errorf("not in order: %+v", got)
		}
	}
	if len(Nearest(map[int64][]byte{1: unit(1)}, q, 5)) != 1 {
		t.Error("one reference gives one match")
	}
	// Ties break by id, so the answer is the same every time.
	same := Nearest(map[int64][]byte{3: refs[1], 2: refs[1], 1: refs[1]}, refs[1], 2)
	if same[0].ID != 1 || same[1].ID != 2 {
		t.Errorf("ties %+v", same)
	}
}

// BenchmarkNearest3000 is the 1:N search of the desk's 忘带证件 panel over
// 3,000 references.
func BenchmarkNearest3000(b *testing.B) {
	refs := make(map[int64][]byte, 3000)
	for id := int64(1); id <= 3000; id++ {
		refs[id] = unit(uint64(id))
	}
	q := near(refs[1234], 5, 0.2)
	b.ResetTimer()
	for b.Loop() {
		if m := Nearest(refs, q, 5); m[0].ID != 1234 {
			b.Fatal(m)
		}
	}
}

func FuzzDecodeRef(f *testing.F) {
	f.Add(base64.StdEncoding.EncodeToString(unit(1)))
	f.Add(base64.StdEncoding.EncodeToString(make([]byte, RefLen)))
	f.Add("")
	f.Add("AAAA")
	f.Fuzz(func(t *testing.T, s string) {
		v, err := DecodeRef(s)
		if err != nil {
			if !errors.Is(err, ErrRefInvalid) {
				t.Fatalf("error %v is not ErrRefInvalid", err)
			}
			return
		}
		if len(v) != RefLen {
			t.Fatalf("accepted %d bytes", len(v))
		}
		if d := Distance(v, v); math.Abs(d) > 1e-9 {
			t.Fatalf("an accepted reference is at %v from itself", d)
		}
		if base64.StdEncoding.EncodeToString(v) != s {
			t.Fatal("accepted a spelling that does not round-trip")
		}
	})
}

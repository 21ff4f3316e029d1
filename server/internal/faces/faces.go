// Package faces is the server's side of 刷脸 (issue 15.4–15.5): the wire
// format of a reference embedding, and the 1:N search of the desk's 忘带证件
// panel. Embeddings are computed in browsers (kiosk/web/common/face.js);
// the server only checks, stores and compares them.
package faces

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Model names the embedding model face.js runs (its MODEL): references of
// another model are never compared with this one's.
const Model = "human-3.3.6/faceres"

// RefLen is a reference's length: 1024 signed bytes, round(127 × the
// L2-normalised embedding).
const RefLen = 1024

// RefTextLen is the length of a reference in base64, its wire format.
var RefTextLen = base64.StdEncoding.EncodedLen(RefLen)

// ErrRefInvalid is a reference that is not one: wrong length, not base64,
// or not a normalised vector.
var ErrRefInvalid = errors.New("faces: invalid reference")

// A normalised vector times 127, rounded, has a length near 127: each
// component's rounding moves it by at most half a unit. Outside these
// bounds the bytes are not a face.js reference (all zeros, raw floats
// cast, random bytes).
const minNorm, maxNorm = 110, 145

// DecodeRef reads a reference in its wire format: standard base64 of
// exactly RefLen bytes, none of them -128, of length near 127.
func DecodeRef(s string) ([]byte, error) {
	if len(s) != RefTextLen {
		return nil, fmt.Errorf("%w: %d characters, want %d", ErrRefInvalid, len(s), RefTextLen)
	}
	v, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(v) != RefLen {
		return nil, fmt.Errorf("%w: not base64 of %d bytes", ErrRefInvalid, RefLen)
	}
	var sq int64
	for _, b := range v {
		x := int64(int8(b))
		if x == -128 {
			return nil, fmt.Errorf("%w: a component of -128", ErrRefInvalid)
		}
		sq += x * x
	}
	if sq < minNorm*minNorm || sq > maxNorm*maxNorm {
		return nil, fmt.Errorf("%w: length %.1f, want about 127", ErrRefInvalid, math.Sqrt(float64(sq)))
	}
	return v, nil
}

// EncodeRef is a reference in its wire format.
func EncodeRef(v []byte) string { return base64.StdEncoding.EncodeToString(v) }

// Distance is the cosine distance (1 − cosine) of two references, computed
// exactly from their int8 components: 0 the same direction, 2 opposite.
// References of different lengths, or a zero one, are at distance 2.
func Distance(a, b []byte) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 2
	}
	dot, na, nb := products(a, b)
	if na == 0 || nb == 0 {
		return 2
	}
	return 1 - float64(dot)/math.Sqrt(float64(na)*float64(nb))
}

// products is a·b, a·a and b·b of two int8 vectors of the same length.
// A block of 1024 products of at most 128² each fits an int32; the sums
// of blocks go to int64, so any length is exact.
func products(a, b []byte) (dot, na, nb int64) {
	b = b[:len(a)]
	for len(a) > 0 {
		n := min(len(a), 1024)
		x, y := a[:n], b[:n]
		var d, p, q int32
		for i := range x {
			u, v := int32(int8(x[i])), int32(int8(y[i]))
			d += u * v
			p += u * u
			q += v * v
		}
		dot, na, nb = dot+int64(d), na+int64(p), nb+int64(q)
		a, b = a[n:], b[n:]
	}
	return dot, na, nb
}

// Match is one person the search found, and how far their reference is.
type Match struct {
	ID       int64
	Distance float64
}

// Nearest ranks refs (attendee → reference) by distance to q and answers
// the k closest, closest first, ties by attendee id. A reference of
// another length than q is skipped.
func Nearest(refs map[int64][]byte, q []byte, k int) []Match {
	if k <= 0 || len(q) == 0 {
		return nil
	}
	_, nq, _ := products(q, q)
	best := make([]Match, 0, k+1)
	for id, r := range refs {
		if len(r) != len(q) {
			continue
		}
		dot, nr, _ := products(r, q)
		d := 2.0
		if nr > 0 && nq > 0 {
			d = 1 - float64(dot)/math.Sqrt(float64(nr)*float64(nq))
		}
		m := Match{ID: id, Distance: d}
		if len(best) == k && !closer(m, best[k-1]) {
			continue
		}
		i, _ := slices.BinarySearchFunc(best, m, func(x, y Match) int {
			if closer(x, y) {
				return -1
			}
			return 1
		})
		best = slices.Insert(best, i, m)
		if len(best) > k {
			best = best[:k]
		}
	}
	return best
}

func closer(x, y Match) bool {
	return x.Distance < y.Distance || x.Distance == y.Distance && x.ID < y.ID
}

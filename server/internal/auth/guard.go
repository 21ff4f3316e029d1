package auth

import (
	"errors"
	"sync"
	"time"
)

// ErrThrottled means too many attempts of this kind failed lately, from
// this address or from all addresses together: try again later.
var ErrThrottled = errors.New("auth: too many failed attempts")

// Kind names what a failed attempt was guessing at. Each kind has budgets
// of its own, so that guessing one thing never locks another out (a login
// page is not refused because pairing codes were guessed).
type Kind string

// The kinds of attempts that are counted.
const (
	KindLogin        Kind = "login"         // a user name and password, or the one-time link's code
	KindPairingCode  Kind = "pairing_code"  // a device typing a code the desk made (POST /api/v1/pair)
	KindPairingClaim Kind = "pairing_claim" // the desk entering a kiosk's code (POST /api/v1/devices/claim)
	KindPairingPoll  Kind = "pairing_poll"  // a kiosk collecting its token with its claim secret
	KindToken        Kind = "token"         // a bearer token or session cookie looked up
)

// Limit is how many failures of a kind are let through within Window: per
// client address, and over all addresses together (so that many addresses
// cannot guess together at many times the rate). Zero means no limit.
type Limit struct {
	PerAddress int
	Global     int
	Window     time.Duration
}

// Guard counts failed attempts per kind in a sliding window. An address,
// or everyone, whose budget of failures is spent is refused until the
// oldest failure leaves the window; successes cost nothing.
type Guard struct {
	now func() time.Time

	mu     sync.Mutex
	limits map[Kind]Limit
	addr   map[guardKey][]time.Time
	all    map[Kind][]time.Time
}

type guardKey struct {
	kind Kind
	addr string
}

func newGuard(now func() time.Time) *Guard {
	return &Guard{now: now, limits: map[Kind]Limit{}, addr: map[guardKey][]time.Time{}, all: map[Kind][]time.Time{}}
}

func (g *Guard) setLimits(l map[Kind]Limit) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.limits = l
}

// recent drops the times before the window from h.
func recent(h []time.Time, cut time.Time) []time.Time {
	i := 0
	for i < len(h) && !h[i].After(cut) {
		i++
	}
	return h[i:]
}

// Allow reports whether another attempt of kind from addr may be tried:
// neither the address's nor the global budget of failures is spent. An
// empty addr is checked against the global budget only.
func (g *Guard) Allow(kind Kind, addr string) bool {
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	l, ok := g.limits[kind]
	if !ok {
		return true
	}
	cut := now.Add(-l.Window)
	if l.Global > 0 {
		g.all[kind] = recent(g.all[kind], cut)
		if len(g.all[kind]) >= l.Global {
			return false
		}
	}
	if l.PerAddress > 0 && addr != "" {
		k := guardKey{kind, addr}
		h := recent(g.addr[k], cut)
		if len(h) == 0 {
			delete(g.addr, k)
		} else {
			g.addr[k] = h
		}
		if len(h) >= l.PerAddress {
			return false
		}
	}
	return true
}

// Fail counts a failed attempt of kind from addr.
func (g *Guard) Fail(kind Kind, addr string) {
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	l, ok := g.limits[kind]
	if !ok {
		return
	}
	cut := now.Add(-l.Window)
	if l.Global > 0 {
		// Never more than Global times kept: past it everyone is refused.
		h := recent(g.all[kind], cut)
		if len(h) >= l.Global {
			h = h[1:]
		}
		g.all[kind] = append(h, now)
	}
	if l.PerAddress > 0 && addr != "" {
		k := guardKey{kind, addr}
		h := recent(g.addr[k], cut)
		if len(h) >= l.PerAddress {
			h = h[1:]
		}
		g.addr[k] = append(h, now)
		if len(g.addr) > 10_000 { // forget idle addresses rather than grow without bound
			for k, v := range g.addr {
				if len(v) == 0 || !v[len(v)-1].After(now.Add(-g.limits[k.kind].Window)) {
					delete(g.addr, k)
				}
			}
		}
	}
}

// Allow reports whether an attempt of kind from addr may go ahead (see
// Guard.Allow); handlers call it before checking what was sent.
func (s *Service) Allow(kind Kind, addr string) bool { return s.guard.Allow(kind, addr) }

// Fail counts a failed attempt of kind from addr (see Guard.Fail).
func (s *Service) Fail(kind Kind, addr string) { s.guard.Fail(kind, addr) }

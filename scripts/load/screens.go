package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// sampled is how many screens keep every arrival for the push-latency
// figures; all screens are checked for gaps and order.
const sampled = 20

// screens are websocket subscribers on the attendance topic.
type screens struct {
	conns []*websocket.Conn
	wg    sync.WaitGroup

	mu         sync.Mutex
	gaps       int
	outOfOrder int
	dropped    int
	closing    bool
	// per sampled screen: 实到 of the watched session at the snapshot, and
	// when each later value was first seen
	baseline []int
	arrivals [][]arrival
	// server is each sampled screen's server (index in Config.Servers).
	server []int
}

type arrival struct {
	present int
	at      time.Time
}

type liveMessage struct {
	Topic string          `json:"topic"`
	Seq   int64           `json:"seq"`
	Type  string          `json:"type"`
	Data  json.RawMessage `json:"data"`
}

// counts reads 实到 over every category ("all"): every ok at an entrance
// moves it, whereas the headline figures count voting members only.
type counts struct {
	SessionID string `json:"session_id"`
	All       struct {
		Present int `json:"present"`
	} `json:"all"`
}

// subscribe connects n screens, screen i to server i mod len(clients), so
// that the sampled ones are spread over the servers too.
func subscribe(ctx context.Context, clients []*client, n int) (*screens, error) {
	s := &screens{baseline: make([]int, min(n, sampled)), arrivals: make([][]arrival, min(n, sampled)), server: make([]int, min(n, sampled))}
	dialer := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	for i := range n {
		c := clients[i%len(clients)]
		u := strings.Replace(c.base, "http", "ws", 1) + "/ws?topics=attendance&token=" + c.token
		conn, _, err := dialer.DialContext(ctx, u, nil)
		if err != nil {
			s.close()
			return nil, fmt.Errorf("subscriber %d: %w", i, err)
		}
		// Wait for the snapshot so that every screen starts from a known
		// state before the first scan.
		var snap liveMessage
		if err := conn.ReadJSON(&snap); err != nil || snap.Type != "snapshot" {
			conn.Close()
			s.close()
			return nil, fmt.Errorf("subscriber %d: no snapshot (%v)", i, err)
		}
		if i < sampled {
			s.server[i] = i % len(clients)
			var all struct{ Sessions []counts }
			json.Unmarshal(snap.Data, &all)
			for _, c := range all.Sessions {
				if c.SessionID == watchedSession {
					s.baseline[i] = c.All.Present
				}
			}
		}
		s.conns = append(s.conns, conn)
		s.wg.Add(1)
		go s.read(i, conn, snap.Seq)
	}
	return s, nil
}

func (s *screens) read(i int, conn *websocket.Conn, seq int64) {
	defer s.wg.Done()
	for {
		var m liveMessage
		_, raw, err := conn.ReadMessage()
		if err == nil {
			if i < sampled {
				err = json.Unmarshal(raw, &m)
			} else {
				// The other screens only check order: read the two
				// fields they need without decoding the whole message,
				// so that the measuring side spends little of the CPU
				// it shares with the server.
				m.Seq, m.Type = peekSeq(raw)
			}
		}
		if err != nil {
			s.mu.Lock()
			if !s.closing {
				s.dropped++
			}
			s.mu.Unlock()
			return
		}
		now := time.Now()
		s.mu.Lock()
		switch {
		case m.Type == "snapshot":
			seq = m.Seq
		case m.Seq == seq+1:
			seq = m.Seq
		case m.Seq <= seq:
			s.outOfOrder++
		default:
			s.gaps++
			seq = m.Seq
		}
		if i < sampled && m.Type == "delta" {
			var c counts
			json.Unmarshal(m.Data, &c)
			if c.SessionID == watchedSession {
				s.arrivals[i] = append(s.arrivals[i], arrival{c.All.Present, now})
			}
		}
		s.mu.Unlock()
	}
}

func (s *screens) close() {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	for _, c := range s.conns {
		c.Close()
	}
	s.wg.Wait()
}

// pushSplit is the push latency of every pair of an ok and a screen, and
// split by whether the screen is on the server that took the check-in:
// from the scan's intended send time, and from its answer.
type pushSplit struct {
	all, same, other, sameAfter, otherAfter *histogram
}

// pushLatency pairs each ok at the watched session (k-th by send time) with
// the first delta on each sampled screen whose 实到 reached baseline+k.
func (s *screens) pushLatency(oks *okLog) pushSplit {
	sends := oks.sorted()
	p := pushSplit{&histogram{}, &histogram{}, &histogram{}, &histogram{}, &histogram{}}
	for i, arr := range s.arrivals {
		k := 0 // oks accounted for on this screen
		for _, a := range arr {
			for k < len(sends) && s.baseline[i]+k+1 <= a.present {
				ok := sends[k]
				p.all.add(a.at.Sub(ok.due))
				if ok.server == s.server[i] {
					p.same.add(a.at.Sub(ok.due))
					p.sameAfter.add(a.at.Sub(ok.answered))
				} else {
					p.other.add(a.at.Sub(ok.due))
					p.otherAfter.add(a.at.Sub(ok.answered))
				}
				k++
			}
		}
	}
	return p
}

// peekSeq reads "seq" and "type" from a live message cheaply; the server
// writes both as top-level fields.
func peekSeq(raw []byte) (int64, string) {
	var seq int64
	if i := bytes.Index(raw, []byte(`"seq":`)); i >= 0 {
		for _, c := range raw[i+6:] {
			if c < '0' || c > '9' {
				break
			}
			seq = seq*10 + int64(c-'0')
		}
	}
	typ := "delta"
	if bytes.Contains(raw, []byte(`"type":"snapshot"`)) {
		typ = "snapshot"
	}
	return seq, typ
}

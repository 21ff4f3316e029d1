package live

import (
	"encoding/json"
	"testing"
)

func TestParseClientMessage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in       string
		ok       bool
		topic    string
		since    uint64
		snapshot bool
	}{
		{`{"topic":"attendance","since":42}`, true, "attendance", 42, false},
		{`{"topic":"seats:S1","since":0}`, true, "seats:S1", 0, false},
		{`{"topic":"seats:S1","snapshot":true}`, true, "seats:S1", 0, true},
		{`{"since":1780000000000001}`, true, "", 1780000000000001, false},
		{`{"topic":"attendance","since":7,"client":"v2"}`, true, "attendance", 7, false}, // unknown fields are ignored
		{`{"topic":"attendance"}`, false, "", 0, false},                                  // asks for nothing
		{`{"topic":"attendance","since":3,"snapshot":true}`, false, "", 0, false},        // asks for both
		{`{"topic":"attendance","snapshot":false}`, false, "", 0, false},
		{`{"topic":"attendance","since":-1}`, false, "", 0, false},
		{`{"topic":"attendance","since":1.5}`, false, "", 0, false},
		{`{"topic":"attendance","since":"5"}`, false, "", 0, false},
		{`{"topic":"attendance","since":18446744073709551616}`, false, "", 0, false},
		{`{"topic":"座位","since":1}`, false, "", 0, false},
		{`{"topic":7,"since":1}`, false, "", 0, false},
		{`[{"topic":"attendance","since":1}]`, false, "", 0, false},
		{`{"topic":"attendance","since":1`, false, "", 0, false},
		{`null`, false, "", 0, false},
		{``, false, "", 0, false},
	} {
		m, err := parseClientMessage([]byte(tc.in))
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if !tc.ok {
			continue
		}
		since := uint64(0)
		if m.Since != nil {
			since = *m.Since
		}
		if m.Topic != tc.topic || since != tc.since || m.Snapshot != tc.snapshot {
			t.Errorf("%s: got %+v (since %d)", tc.in, m, since)
		}
	}
}

// FuzzClientMessage feeds the parser of client messages arbitrary bytes: it
// must never panic, and whatever it accepts must be a well-formed request
// that survives a round trip.
func FuzzClientMessage(f *testing.F) {
	f.Add([]byte(`{"topic":"attendance","since":1}`))
	f.Add([]byte(`{"topic":"seats:S1","snapshot":true}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseClientMessage(data)
		if err != nil {
			return
		}
		if (m.Since != nil) == m.Snapshot {
			t.Fatalf("accepted %q asking for since=%v and snapshot=%v", data, m.Since, m.Snapshot)
		}
		if m.Topic != "" && !validTopic(m.Topic) {
			t.Fatalf("accepted invalid topic %q", m.Topic)
		}
		again, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := parseClientMessage(again)
		if err != nil || m2.Topic != m.Topic || m2.Snapshot != m.Snapshot || (m2.Since == nil) != (m.Since == nil) ||
			(m.Since != nil && *m2.Since != *m.Since) {
			t.Fatalf("%q parsed as %+v, but its re-encoding %s as %+v (%v)", data, m, again, m2, err)
		}
	})
}

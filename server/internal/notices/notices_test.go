package notices_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"huiwu/server/internal/notices"
	"huiwu/server/internal/store"
)

func TestTokens(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok, hash := notices.NewToken()
		if len(tok) != notices.TokenLen || seen[tok] {
			t.Fatalf("token %q", tok)
		}
		seen[tok] = true
		got, err := notices.ParseToken(" " + strings.ToUpper(tok) + "\n")
		if err != nil || got != hash {
			t.Fatalf("parse %q: %v", tok, err)
		}
	}
	for _, bad := range []string{"", "abc", strings.Repeat("a", 31), strings.Repeat("a", 33), strings.Repeat("1", 32),
		strings.Repeat("a", 31) + "!", strings.Repeat("a", 100)} {
		if _, err := notices.ParseToken(bad); !errors.Is(err, notices.ErrBadToken) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// FuzzParseToken: whatever a reply link's address holds, ParseToken
// answers a hash only for a token of the one shape NewToken makes.
func FuzzParseToken(f *testing.F) {
	tok, _ := notices.NewToken()
	for _, s := range []string{tok, strings.ToUpper(tok), "", "%00", strings.Repeat("z", 32), "a\x00" + tok[2:]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := notices.ParseToken(s)
		if err != nil {
			return
		}
		n := strings.ToLower(strings.TrimSpace(s))
		if len(n) != notices.TokenLen || strings.Trim(n, "abcdefghijklmnopqrstuvwxyz234567") != "" || h != notices.HashToken(n) {
			t.Fatalf("accepted %q", s)
		}
	})
}

// FuzzCheckAnswer: any JSON a reply page might be sent decodes (or not)
// and checks without a panic, and what Check passes is within its limits.
func FuzzCheckAnswer(f *testing.F) {
	for _, s := range []string{
		`{"status":"confirm","diet":"清真","arrival":{"mode":"flight","number":"CA1234","date":"2026-03-05","time":"8:30"}}`,
		`{"status":"substitute","substitute":{"name":"钱代表","phone":"13900001111"}}`,
		`{"status":"decline","reason":"另有公务"}`, `{"status":"x"}`, `{}`, `null`,
		`{"status":"confirm","arrival":{"companions":-1,"date":"2026-02-30"}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var a store.ReplyAnswer
		dec := json.NewDecoder(strings.NewReader(s))
		dec.DisallowUnknownFields()
		if dec.Decode(&a) != nil {
			return
		}
		if err := notices.Check(&a, store.NoticeSettings{AskTravel: true, AskDiet: true, AskRoom: true}); err != nil {
			var ie *notices.InvalidError
			if !errors.As(err, &ie) || len(ie.Fields) == 0 {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if len([]rune(a.Reason)) > 200 || len([]rune(a.Diet)) > 100 || (a.Status == "substitute") != (a.Substitute != nil) {
			t.Fatalf("passed %+v", a)
		}
		for _, tr := range []*store.ReplyTrip{a.Arrival, a.Departure} {
			if tr != nil && (tr.Companions < 0 || tr.Companions > 20 || len(tr.Number) > 12) {
				t.Fatalf("passed trip %+v", tr)
			}
		}
	})
}

// FuzzReadXLSX: bytes claiming to be a unit's form are read or refused,
// never a panic.
func FuzzReadXLSX(f *testing.F) {
	form := &notices.Form{Event: "测试会议", Unit: store.Unit{ID: 1, Name: "东泉代表团"},
		Settings: store.NoticeSettings{AskTravel: true, AskDiet: true, AskRoom: true},
		Members:  []store.ReplyMember{{ID: 7, Name: "王喆", Title: "主任"}, {ID: 9, Name: "李四"}}}
	var buf bytes.Buffer
	if err := form.WriteXLSX(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		answers, issues, err := notices.ReadXLSX(data, form)
		if err == nil && len(issues) == 0 {
			for _, a := range answers {
				if a.Attendee != 7 && a.Attendee != 9 {
					t.Fatalf("an answer for %d", a.Attendee)
				}
			}
		}
	})
}

// TestDiff: a confirmation that says what the list says asks nothing; a
// changed diet, room, arrival each ask one item, stamped with what they
// change; a decline and a substitute are one item each.
func TestDiff(t *testing.T) {
	arr := &store.ReplyTrip{Mode: "flight", Number: "CA1234", Station: "云州机场", Date: "2026-03-05", Time: "08:15"}
	members := []store.ReplyMember{
		{ID: 1, Name: "甲", Diet: "清真", Stamp: "s1", Arrival: arr, ArrivalStamp: "leg1"},
		{ID: 2, Name: "乙", Stamp: "s2"},
		{ID: 3, Name: "丙", Stamp: "s3"},
	}
	same := *arr
	items, err := notices.Diff(members, []store.ReplyAnswer{
		{Attendee: 1, Status: "confirm", Diet: "清真", Arrival: &same},
		{Attendee: 2, Status: "confirm", Diet: "素食", Room: "单间", Departure: &store.ReplyTrip{Mode: "train", Number: "G2", Date: "2026-03-07"}},
		{Attendee: 3, Status: "decline", Reason: "病假"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.Kind+"/"+it.Base)
	}
	if strings.Join(got, ",") != "diet/,room/,departure/,decline/s3" {
		t.Errorf("items %v", got)
	}
	if _, err := notices.Diff(members, []store.ReplyAnswer{{Attendee: 99, Status: "confirm"}}); !errors.Is(err, store.ErrNotMember) {
		t.Errorf("a stranger: %v", err)
	}
}

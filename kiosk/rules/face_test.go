package rules

import (
	"crypto/rand"
	"encoding/json"
	"testing"

	"huiwu/badge/credential"
	"huiwu/kiosk/guidecache"
)

// TestFaceRules: a face check counts only at a checkpoint that checks
// faces and for a person with a reference; under enforce a mismatch or no
// face is refused and changes nothing, under advise the person passes and
// the answer carries the check; a refusal the rules already made stands.
func TestFaceRules(t *testing.T) {
	d := 0.52
	fail, pass, noface := &FaceCheck{Result: FaceFail, Distance: &d}, &FaceCheck{Result: FacePass, Distance: &d}, &FaceCheck{Result: FaceNoFace}
	facts := func(mode string, check *FaceCheck, ref bool, scan int) *Facts {
		f := door(Entrance, at(8, 30))
		if scan == 2 {
			f = door(Entrance, at(13, 0)) // the door has closed
		}
		f.Checkpoint.Face, f.Face = mode, check
		if ref {
			f.Holder.FaceModel = "human-3.3.6/faceres"
		}
		return f
	}
	for _, tc := range []struct {
		name    string
		f       *Facts
		status  Status
		code    Code
		change  Change
		face    string // the answer's face result, "" for none
		refused bool
	}{
		{"enforce, mismatch", facts(FaceEnforce, fail, true, 1), StatusNotEntitled, "face_mismatch", NoChange, FaceFail, true},
		{"enforce, no face", facts(FaceEnforce, noface, true, 1), StatusNotEntitled, "face_not_seen", NoChange, FaceNoFace, true},
		{"enforce, match", facts(FaceEnforce, pass, true, 1), StatusOK, "ok", Enter, FacePass, false},
		{"advise, mismatch", facts(FaceAdvise, fail, true, 1), StatusOK, "ok", Enter, FaceFail, false},
		{"enforce, no reference", facts(FaceEnforce, fail, false, 1), StatusOK, "ok", Enter, "", false},
		{"off", facts(FaceOff, fail, true, 1), StatusOK, "ok", Enter, "", false},
		{"enforce, no check sent", facts(FaceEnforce, nil, true, 1), StatusOK, "ok", Enter, "", false},
		{"enforce, mismatch, door closed", facts(FaceEnforce, fail, true, 2), StatusOutsideWindow, "session_closed", NoChange, FaceFail, false},
	} {
		res, change := Decide(tc.f)
		got := ""
		if res.Face != nil {
			got = res.Face.Result
			if res.Face.Refused != tc.refused {
				t.Errorf("%s: refused %v, want %v", tc.name, res.Face.Refused, tc.refused)
			}
		}
		if res.Status != tc.status || res.Code != tc.code || change != tc.change || got != tc.face {
			t.Errorf("%s: %s/%s change %d face %q; want %s/%s change %d face %q", tc.name, res.Status, res.Code, change, got,
				tc.status, tc.code, tc.change, tc.face)
		}
		if tc.refused && (res.Guidance != nil || res.FirstAt != nil || res.Message.Zh == "" || res.Message.En == "" || res.Attendee == nil) {
			t.Errorf("%s: a refusal shows %+v", tc.name, res)
		}
	}
}

// TestVerifyGivesTheReference: the kiosk core's verify answers the
// reference and its model from the sealed record, for the page to compare
// faces with, only when the cached checkpoint checks faces.
func TestVerifyGivesTheReference(t *testing.T) {
	signer, err := credential.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	token, _ := signer.Sign(credential.Claims{Event: "ev", Attendee: 7, Serial: 1})
	holder := door(Entrance, at(8, 30)).Holder
	holder.Face, holder.FaceModel = "AQID", "human-3.3.6/faceres"
	plain, _ := json.Marshal(holder)
	idx, blob, err := guidecache.Seal(rand.Reader, "ev", token, plain)
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := json.Marshal(map[string]any{"event": "ev",
		"keys": []map[string]any{{"key_id": signer.KeyID(), "public_key": []byte(signer.Public())}}})
	for _, mode := range []string{FaceAdvise, FaceOff} {
		cache, _ := json.Marshal(Cache{Version: guidecache.Version, Event: "ev", Checkpoint: "east", Kind: string(Entrance),
			Venue: "hall", Face: mode, Generated: at(8, 0), Expires: at(12, 0), Entries: map[string]string{idx: blob}})
		k := NewKiosk()
		if err := k.SetKeys(keys); err != nil {
			t.Fatal(err)
		}
		if err := k.SetCache(cache); err != nil {
			t.Fatal(err)
		}
		v := k.verify(token, at(8, 30))
		want := map[string]string{FaceAdvise: "AQID", FaceOff: ""}[mode]
		if !v.OK || v.Face != want || (want != "") != (v.FaceModel != "") {
			t.Errorf("%s: verify face %q model %q, want %q", mode, v.Face, v.FaceModel, want)
		}
		// The queued scan carries the check; offline, the rules use it.
		d := 0.6
		res, _ := k.Decide(Scan{Token: token, Checkpoint: "east", ScanID: "s", ScannedAt: at(8, 30),
			Face: &FaceCheck{Result: FaceFail, Distance: &d}}, Checkpoint{ID: "east", Kind: Entrance, Venue: "hall"}, nil)
		if (mode == FaceAdvise) != (res.Face != nil) {
			t.Errorf("%s: offline answer's face %+v", mode, res.Face)
		}
	}
}

package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"testing"

	"huiwu/kiosk/rules"
	"huiwu/server/internal/apierr"
)

// FuzzScanFace decodes arbitrary face checks in a scan as the check-in
// handlers do (unknown fields refused) and holds every one accepted to
// what a face check is: a known result, a distance in [0, 2] beside a face
// and none without; anything else is refused with face_invalid, never a
// panic.
func FuzzScanFace(f *testing.F) {
	for _, seed := range []string{
		`{"result":"pass","distance":0.12}`, `{"result":"fail","distance":0.61}`, `{"result":"noface"}`,
		`{"result":"fail"}`, `{"result":"noface","distance":0}`, `{"result":"pass","distance":-1}`,
		`{"result":"pass","distance":1e308}`, `{"result":"PASS","distance":0.1}`, `{"result":"fail","distance":"0.4"}`,
		`null`, `{}`, `{"result":"fail","distance":2,"vector":"AAAA"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, face []byte) {
		if len(face) > 4<<10 {
			t.Skip()
		}
		body := append(append([]byte(`{"token":"x","scan_id":"s","face":`), face...), '}')
		var in scanJSON
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if dec.Decode(&in) != nil || in.Face == nil {
			return
		}
		fc, err := in.Face.check()
		if err != nil {
			var e apierr.Error
			if !errors.As(err, &e) {
				t.Fatalf("%s: refused with %v", face, err)
			}
			if zh, en := e.Text(); e.ErrorCode() != "face_invalid" || e.HTTPStatus() != 400 || zh == "" || en == "" {
				t.Fatalf("%s: refused with %v", face, err)
			}
			return
		}
		switch fc.Result {
		case rules.FacePass, rules.FaceFail:
			if fc.Distance == nil || math.IsNaN(*fc.Distance) || *fc.Distance < 0 || *fc.Distance > 2 {
				t.Fatalf("%s: accepted distance %v", face, fc.Distance)
			}
		case rules.FaceNoFace:
			if fc.Distance != nil {
				t.Fatalf("%s: accepted a distance without a face", face)
			}
		default:
			t.Fatalf("%s: accepted result %q", face, fc.Result)
		}
	})
}

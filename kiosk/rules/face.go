package rules

// The kiosk's 1:1 face check (刷脸, issue 15.4). The kiosk compares the face
// in front of its camera with the badge holder's reference in the browser
// and sends what it found with the scan; the rules decide what that means
// at the checkpoint, the same online and offline.

// A checkpoint's face check (Checkpoint.Face). Empty is off.
const (
	FaceOff     = "off"
	FaceAdvise  = "advise"  // a mismatch calls the usher; the person passes
	FaceEnforce = "enforce" // a mismatch or no face is refused
)

// What the kiosk's face check found (FaceCheck.Result).
const (
	FacePass   = "pass"
	FaceFail   = "fail"
	FaceNoFace = "noface"
)

// The codes of a scan refused by the face check.
const (
	CodeFaceMismatch Code = "face_mismatch"
	CodeFaceNotSeen  Code = "face_not_seen"
)

// FaceCheck is what a kiosk's face check found, sent with the scan:
// pass, fail or noface, and the cosine distance to the reference (none
// without a face).
type FaceCheck struct {
	Result   string   `json:"result"`
	Distance *float64 `json:"distance,omitempty"`
}

// FaceOutcome is the face check as the answer carries it: what was found
// and whether the checkpoint turned the person away for it.
type FaceOutcome struct {
	Result   string   `json:"result"`
	Distance *float64 `json:"distance,omitempty"`
	Refused  bool     `json:"refused,omitempty"`
}

// checksFaces reports whether a checkpoint in mode checks faces.
func checksFaces(mode string) bool { return mode == FaceAdvise || mode == FaceEnforce }

// face applies the scan's face check to the decision made: it counts only
// at a checkpoint that checks faces and for a holder with a reference (a
// check of anyone else is ignored, not stored: they never consented).
// Under enforce, a person the rules would let through with a face that
// does not match, or no face, is refused and nothing changes; a refusal
// the rules made already stands.
func (d *decision) face() {
	f, r := d.f, &d.res
	if f.Face == nil || !checksFaces(f.Checkpoint.Face) || f.Holder.FaceModel == "" || f.Badge.Invalid != "" {
		return
	}
	r.Face = &FaceOutcome{Result: f.Face.Result, Distance: f.Face.Distance}
	if f.Checkpoint.Face != FaceEnforce || f.Face.Result == FacePass || !r.Status.Accepted() {
		return
	}
	code := CodeFaceMismatch
	if f.Face.Result == FaceNoFace {
		code = CodeFaceNotSeen
	}
	*r = Result{Status: StatusNotEntitled, Code: code, Attendee: r.Attendee, Session: r.Session, Meal: r.Meal, Face: r.Face}
	r.Face.Refused = true
	d.change = NoChange
}

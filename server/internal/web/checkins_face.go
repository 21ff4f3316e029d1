package web

import (
	"math"

	"huiwu/kiosk/rules"
)

// faceJSON is a scan's face check as a kiosk sends it.
type faceJSON struct {
	Result   string   `json:"result"`
	Distance *float64 `json:"distance"`
}

// maxFaceDistance is the largest cosine distance there is.
const maxFaceDistance = 2

// check refuses a face check that cannot be one: an unknown result, a
// distance out of [0, 2] (or none beside a face), a distance with no face.
func (f *faceJSON) check() (*rules.FaceCheck, error) {
	switch f.Result {
	case rules.FacePass, rules.FaceFail:
		if f.Distance == nil || math.IsNaN(*f.Distance) || *f.Distance < 0 || *f.Distance > maxFaceDistance {
			return nil, badRequest("face_invalid", "人脸核验结果的距离应为 0 到 2 之间的数", "a face check's distance must be a number from 0 to 2")
		}
	case rules.FaceNoFace:
		if f.Distance != nil {
			return nil, badRequest("face_invalid", "未检测到人脸时不应有距离", "a face check without a face has no distance")
		}
	default:
		return nil, badRequest("face_invalid", "人脸核验结果应为 pass、fail 或 noface", `a face check's result must be "pass", "fail" or "noface"`)
	}
	return &rules.FaceCheck{Result: f.Result, Distance: f.Distance}, nil
}

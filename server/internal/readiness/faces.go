package readiness

import (
	"context"
	"strconv"

	"huiwu/server/internal/faces"
)

// faceRefs: when the event verifies faces (刷脸), everyone who consented
// has a reference for the kiosks to compare with. A person without one
// is checked at the door by the glance check or by hand only. The desk's
// page computes references from photos in the background; someone with
// no photo needs one taken first.
func (k *checker) faceRefs(ctx context.Context) (Check, error) {
	c := Check{ID: "face_refs", Title: "人脸特征已生成", TitleEn: "Everyone who consented has a face reference"}
	if !k.cat.Event.FaceVerification {
		return c, nil
	}
	counts, err := k.db.FaceCounts(ctx, faces.Model)
	if err != nil {
		return c, err
	}
	missing, err := k.db.FacesMissing(ctx, faces.Model)
	if err != nil {
		return c, err
	}
	c.Checked = counts.Consented
	for _, p := range missing {
		it := Item{Subject: strconv.FormatInt(p.ID, 10), Name: person(p.Name, p.Organization),
			Detail:   "已同意人脸核验，但尚未生成人脸特征（打开报到处页面即自动生成）",
			DetailEn: "consented, but no face reference yet (the desk page computes it while open)"}
		if !p.Photo {
			it.Detail, it.DetailEn = "已同意人脸核验，但没有照片，无法生成人脸特征", "consented, but has no photo to compute a face reference from"
		}
		c.fail(it)
	}
	return c, nil
}

package readiness

import (
	"context"
	"fmt"

	"huiwu/server/internal/faces"
)

// faceRetention: once the meeting is over, its photos, face references
// and consents are still on the server only until the retention rule
// deletes them (issue 15.6, docs/photos.md). The board says how many
// remain and the day they go, so that the office archives first and an
// admin may purge sooner (导出 → beside 立卷归档). Before the end, or
// with nothing stored, it passes.
func (k *checker) faceRetention(ctx context.Context) (Check, error) {
	c := Check{ID: "face_retention", Title: "会后照片与人脸数据已清除", TitleEn: "Photos and face data deleted after the meeting"}
	if ends := k.cat.Ends(); ends.IsZero() || k.opts.Now.Before(ends) {
		return c, nil
	}
	c.Checked = 1 // the one server's store
	stored, err := k.db.FaceDataStored(ctx)
	if err != nil || !stored {
		return c, err
	}
	n, err := k.db.FaceCounts(ctx, faces.Model)
	if err != nil {
		return c, err
	}
	due := k.cat.FacesDeletedAt().In(k.cat.Location).Format("2006-01-02")
	c.fail(Item{Subject: "faces", Name: "照片与人脸数据",
		Detail: fmt.Sprintf("会议已结束，服务器上仍存照片 %d 张、人脸特征 %d 个、同意记录 %d 条，将于 %s 0时自动删除；"+
			"请先下载立卷归档，管理员也可在“导出”页立卷归档旁立即清除", n.Photos, n.Refs, n.Consented+n.Refused, due),
		DetailEn: fmt.Sprintf("the meeting is over; the server still holds %d photos, %d face references and %d consent records, "+
			"deleted automatically at 00:00 on %s; download the archive first — an admin may purge them now beside it (Exports)",
			n.Photos, n.Refs, n.Consented+n.Refused, due)})
	return c, nil
}

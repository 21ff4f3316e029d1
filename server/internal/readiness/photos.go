package readiness

import (
	"context"
	"strconv"

	"huiwu/badge/render"
)

// badgePhotos: when the badges print a photo, everyone has one. The
// meeting's badge layout decides (event.badge_layout): on a photo layout
// everyone is checked. The desk may print one job on another size; a
// person whose badge in hand came out of such a job on a photo layout is
// checked too, whatever the meeting's layout. A badge without a photo
// still prints, with a blank frame: this line is the warning.
func (k *checker) badgePhotos(ctx context.Context) (Check, error) {
	c := Check{ID: "badge_photos", Title: "证件照片齐全", TitleEn: "Everyone has a photo for the badge"}
	r, err := render.Default()
	if err != nil {
		return c, err
	}
	meeting := k.cat.Event.BadgeLayout
	label := func(size string) string {
		if l, err := r.Templates().Layout(size, ""); err == nil && l.Label != "" {
			return l.Label
		}
		return size
	}
	// The badge in hand is the last one printed.
	err = k.each(ctx, `SELECT a.id, a.name, a.organization, a.category, p.attendee_id IS NOT NULL,
		coalesce((SELECT b.layout FROM badge_prints b WHERE b.attendee_id = a.id AND b.kind = 'badge' ORDER BY b.id DESC LIMIT 1), '')
		FROM attendees a LEFT JOIN attendee_photos p ON p.attendee_id = a.id
		WHERE a.status = 'active' ORDER BY a.rank, a.id`, nil, func(scan func(...any) error) error {
		var id int64
		var name, org, category, last string
		var hasPhoto bool
		if err := scan(&id, &name, &org, &category, &hasPhoto, &last); err != nil {
			return err
		}
		onMeeting := meeting != "" && r.WantsPhoto(render.Options{Size: meeting}, category)
		onPrinted := last != "" && last != meeting && r.WantsPhoto(render.Options{Size: last}, category)
		if !onMeeting && !onPrinted {
			return nil
		}
		c.Checked++
		if hasPhoto {
			return nil
		}
		it := Item{Subject: strconv.FormatInt(id, 10), Name: person(name, org),
			Detail:   "没有照片，证件（" + label(meeting) + "）上将是空白照片框",
			DetailEn: "no photo: the badge (" + meeting + ") prints an empty frame"}
		if !onMeeting {
			it.Detail = "没有照片，已按带照片的版式（" + label(last) + "）打印的证件上是空白照片框：补照片后重印，或按会议版式重印"
			it.DetailEn = "no photo, and the badge was printed on a photo layout (" + last + ") with an empty frame: add a photo and reprint, or reprint on the meeting's layout"
		}
		c.fail(it)
		return nil
	})
	return c, err
}

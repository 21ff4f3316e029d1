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
	people, err := k.db.BadgePhotoStates(ctx)
	if err != nil {
		return c, err
	}
	for _, p := range people {
		last := p.LastLayout // the badge in hand is the last one printed
		onMeeting := meeting != "" && r.WantsPhoto(render.Options{Size: meeting}, p.Category)
		onPrinted := last != "" && last != meeting && r.WantsPhoto(render.Options{Size: last}, p.Category)
		if !onMeeting && !onPrinted {
			continue
		}
		c.Checked++
		if p.HasPhoto {
			continue
		}
		it := Item{Subject: strconv.FormatInt(p.ID, 10), Name: person(p.Name, p.Organization),
			Detail:   "没有照片，证件（" + label(meeting) + "）上将是空白照片框",
			DetailEn: "no photo: the badge (" + meeting + ") prints an empty frame"}
		if !onMeeting {
			it.Detail = "没有照片，已按带照片的版式（" + label(last) + "）打印的证件上是空白照片框：补照片后重印，或按会议版式重印"
			it.DetailEn = "no photo, and the badge was printed on a photo layout (" + last + ") with an empty frame: add a photo and reprint, or reprint on the meeting's layout"
		}
		c.fail(it)
	}
	return c, nil
}

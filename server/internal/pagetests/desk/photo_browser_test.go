package desk_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/photos"
	"huiwu/server/internal/store"
)

// TestDeskCardPhoto: the card shows the person's stored photo, 3:4, and
// the reprint dialog shows it again, so the desk compares the face before
// a lost badge is replaced; a person without a photo gets an empty box
// saying so.
func TestDeskCardPhoto(t *testing.T) {
	srv, ctx := openDesk(t)
	id, name := someone(t, srv)
	raw, err := os.ReadFile(browsertest.FacePhoto("astronaut.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := photos.Normalize(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.App.DB.PutPhotos(context.Background(), []store.PhotoPut{{Attendee: id, JPEG: p.JPEG, Width: p.Width, Height: p.Height}}, "test", ""); err != nil {
		t.Fatal(err)
	}

	open := func(id int64, name string) {
		t.Helper()
		_, initials := store.SearchKeys(name)
		evalJS[bool](t, ctx, `(document.getElementById('q').value = '') === ''`)
		do(t, ctx, chromedp.SendKeys("#q", initials))
		waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#results li[data-id="%d"]') !== null`, id))
		browsertest.Click(t, ctx, fmt.Sprintf(`#results li[data-id="%d"]`, id))
		waitJS(t, ctx, fmt.Sprintf(`document.getElementById('card-name')?.textContent === %q`, name))
	}
	open(id, name)
	// The stored photo, whole, drawn 3:4 at the card's top right.
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#card-photo img')?.complete && document.querySelector('#card-photo img').naturalWidth === %d`, p.Width))
	box := evalJS[[]float64](t, ctx, `(() => { const r = document.querySelector('#card-photo img').getBoundingClientRect(),
		c = document.getElementById('card').getBoundingClientRect(); return [r.width, r.height, c.right - r.right, r.top - c.top] })()`)
	if w, h := box[0], box[1]; w < 80 || h/w < 1.32 || h/w > 1.35 || box[2] > 40 || box[3] > 40 {
		t.Errorf("card photo %.0f×%.0f px, %.0f px from the card's right, %.0f from its top", w, h, box[2], box[3])
	}
	evalJS[bool](t, ctx, `(window.scrollTo(0, 0), true)`)
	shot(t, ctx, "card-photo.png")

	// 补办: the dialog shows the photo while it asks why; cancelling takes
	// it away with the dialog.
	do(t, ctx, chromedp.Click("#btn-reprint"))
	waitJS(t, ctx, fmt.Sprintf(`document.getElementById('ask').open && document.querySelector('#ask #ask-photo img')?.naturalWidth === %d`, p.Width))
	shot(t, ctx, "reprint-photo.png")
	do(t, ctx, chromedp.Click("#ask-cancel"))
	waitJS(t, ctx, `!document.getElementById('ask').open && !document.getElementById('ask-photo')`)

	// Someone else, without a photo: the box says so.
	var other int64
	var otherName string
	if err := srv.App.DB.ForTest().R.QueryRow(`SELECT id, name FROM attendees WHERE status = 'active' AND id != ? AND length(name) IN (2, 3)
		AND name GLOB '[一-龥]*' ORDER BY id LIMIT 1`, id).Scan(&other, &otherName); err != nil {
		t.Fatal(err)
	}
	open(other, otherName)
	waitJS(t, ctx, `document.querySelector('#card-photo .none')?.textContent.startsWith('无照片') && !document.querySelector('#card-photo img')`)
	evalJS[bool](t, ctx, `(window.scrollTo(0, 0), true)`)
	shot(t, ctx, "card-no-photo.png")
}

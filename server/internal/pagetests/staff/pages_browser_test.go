package staff_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// TestStartPageInBrowser: the server's bare address shows a tile for each
// app, Chinese first with English beneath, side by side on a laptop; the
// desk's tile opens the desk.
func TestStartPageInBrowser(t *testing.T) {
	srv := testkit.Serve(t)
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 900))
	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/"))
	tiles := browsertest.Poll[string](t, ctx, `[...document.querySelectorAll('nav.apps a.app')].map((a) => a.getAttribute('href') + ' ' + a.querySelector('strong').innerText.replace(/\s+/g, ' ')).join('|')`, 5*time.Second)
	for _, want := range []string{"/desk 报到处 Registration desk", "/kiosk 签到机 Kiosk", "/usher 引导员 Usher", "/screen 导引屏 Lobby screen", "/chair 主席台 Chair"} {
		if !strings.Contains(tiles, want) {
			t.Errorf("no tile %q among %s", want, tiles)
		}
	}
	// Three tiles to a row on a laptop, none cut off.
	if row := browsertest.Poll[int](t, ctx, `(() => { const t = [...document.querySelectorAll('nav.apps a.app')].map((a) => a.getBoundingClientRect());
		return t.every((r) => r.right <= innerWidth && r.width > 250) ? t.filter((r) => r.top === t[0].top).length : -1; })()`, time.Second); row != 3 {
		t.Errorf("%d tiles in the first row (-1: a tile cut off), want 3", row)
	}
	// The Chinese face comes from the server (font-display: swap): wait
	// for it, so the screenshot shows what a person sees.
	browsertest.Poll[bool](t, ctx, `document.fonts.status === 'loaded' && document.fonts.check('30px "Noto Sans SC"', '报到处')`, 10*time.Second)
	browsertest.Screenshot(t, ctx, browsertest.ShotDir(t, "start"), "start.png")
	browsertest.Click(t, ctx, `a.app[href="/desk"]`)
	browsertest.PollAcross[bool](t, ctx, `location.pathname === '/desk'`, 10*time.Second)
}

package staff_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// tofuJS answers the CJK characters a page shows as tofu: for each text
// (and placeholder) in the page, in the font its element asks for, once
// every face that could hold it has loaded, a character drawn exactly as a
// character no font has (U+10FFFD) is one the browser had no glyph for.
const tofuJS = `(async () => {
	await document.fonts.ready;
	const byFont = new Map();
	const add = (el, text) => {
		const chars = [...text].filter((c) => c.codePointAt(0) >= 0x2E80 && !/\s/.test(c));
		if (!chars.length) return;
		const fam = getComputedStyle(el).fontFamily;
		if (!byFont.has(fam)) byFont.set(fam, new Set());
		chars.forEach((c) => byFont.get(fam).add(c));
	};
	const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		if (n.parentElement && n.parentElement.getClientRects().length) add(n.parentElement, n.data);
	}
	document.querySelectorAll('[placeholder]').forEach((el) => add(el, el.placeholder));
	const canvas = new OffscreenCanvas(48, 48);
	const g = canvas.getContext('2d', { willReadFrequently: true });
	const tofu = [];
	let checked = 0;
	for (const [fam, set] of byFont) {
		const chars = [...set];
		await document.fonts.load('32px ' + fam, chars.join(''));
		const draw = (c) => {
			g.clearRect(0, 0, 48, 48);
			g.font = '32px ' + fam;
			g.fillText(c, 4, 36);
			const d = g.getImageData(0, 0, 48, 48).data;
			let h = 0;
			for (let i = 3; i < d.length; i += 4) h = (h * 31 + d[i]) | 0;
			return h;
		};
		const none = draw('\u{10FFFD}');
		for (const c of chars) {
			checked++;
			if (draw(c) === none) tofu.push(c);
		}
	}
	return { checked, tofu: tofu.join('') };
})()`

// TestPagesHaveNoTofu (issue 11.24): on a device without Chinese fonts of
// its own, every page draws every Chinese character it shows — 𠮷 (CJK
// Extension B) and 䶮 (Extension A) included — from the fonts the server
// ships.
func TestPagesHaveNoTofu(t *testing.T) {
	srv := testkit.Serve(t)
	shots := browsertest.ShotDir(t, "fonts")
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800), browsertest.LatinFontsOnly(t.TempDir()))
	check := func(name string) {
		t.Helper()
		res, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
			Checked int
			Tofu    string
		}](tofuJS, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if res.Checked == 0 || res.Tofu != "" {
			browsertest.Screenshot(t, ctx, shots, name+".png")
			t.Errorf("%s: %d CJK characters checked, tofu for %q", name, res.Checked, res.Tofu)
		}
	}
	for _, p := range []struct{ name, path, ready string }{
		{"start", "/", `document.body.innerText.includes('报到')`},
		{"login", "/login", `document.body.innerText.includes('登录')`},
		{"kiosk", "/kiosk", `document.body.dataset.screen === 'pair'`},
	} {
		staffPage(p).open(t, ctx, srv.URL, shots, func() string { return "" })
		check(p.name)
	}
	testkit.NewKiosk(t, srv, "东门字体", "hall-east") // a row on the desk's devices view
	browsertest.SignIn(t, ctx, srv.URL, testkit.AdminToken)
	for _, p := range staffPages {
		p.open(t, ctx, srv.URL, shots, func() string { return "" })
		if p.name == "desk" {
			// The rare names on the desk's list: Extension B and A.
			if err := chromedp.Do(ctx, chromedp.SetValue("#q", "𠮷田"),
				chromedp.Evaluate[chromedp.Void](`document.getElementById('q').dispatchEvent(new Event('input', {bubbles: true}))`)); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('#results').innerText.includes('𠮷田健一')`,
				chromedp.WithPollingTimeout(10*time.Second))); err != nil {
				t.Fatalf("desk: no 𠮷田健一 in the results: %v", err)
			}
		}
		check(p.name)
		if p.name == "desk" {
			browsertest.Screenshot(t, ctx, shots, "desk-rare.png")
		}
	}
}

package staff_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/documents"
	"huiwu/server/internal/store"
	"huiwu/server/internal/testkit"
)

// TestDocumentsByScans (issue 13, "How it is checked"): at /documents the
// desk issues and takes back confidential copies with a USB scanner — the
// scans typed as a scanner types them, fast keys and Enter: a badge, then
// a copy's cover issues it; the same copy to someone else is refused,
// saying who holds it; in 清退 mode the copy alone comes back; a copy
// brought back after another person's badge makes the page ask why, say
// who holds it, and record the reason.
func TestDocumentsByScans(t *testing.T) {
	srv := testkit.Serve(t)
	ctx := context.Background()
	db := srv.App.DB
	shots := browsertest.ShotDir(t, "documents")
	docs, err := db.Documents(ctx)
	if err != nil || len(docs) != 1 {
		t.Fatalf("the demo's document: %v %v", docs, err)
	}
	doc := docs[0]
	key, err := db.DocumentKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	code := func(n int) string { return documents.Sign(key, documents.Code{Document: doc.ID, Copy: n}) }
	// The two on the list who have no copy yet, and the holder of copy 1.
	due, err := db.CopiesNotIssued(ctx)
	if err != nil || len(due) != 2 {
		t.Fatalf("due: %v %v", due, err)
	}
	badge := func(id int64) string {
		c, err := srv.App.Creds.Current(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return c.Token
	}
	a, b := due[0].Person, due[1].Person
	copies, _ := db.DocumentCopies(ctx, doc.ID)
	holder1 := *copies[0].Holder

	var u struct{ Token string }
	if st := srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"name": "机要员小周", "role": "desk"}, &u); st != 201 {
		t.Fatalf("desk account: HTTP %d", st)
	}
	page := browsertest.New(t, browsertest.WindowSize(1366, 900))
	browsertest.Do(t, page, chromedp.EmulateViewport(1366, 900))
	watchCSP(t, page)
	browsertest.SignIn(t, page, srv.URL, u.Token)
	browsertest.Do(t, page, chromedp.Navigate(srv.URL+"/documents"))
	browsertest.Poll[bool](t, page, `document.body.dataset.state === 'ready' && documentsPage.loads() > 0 && !!document.querySelector('#doc .copies')`, 15*time.Second)
	browsertest.Screenshot(t, page, shots, "documents-open.png")

	scans := 0
	// scan types text as a USB scanner does, into whatever has the focus.
	scan := func(text string) {
		t.Helper()
		if err := chromedp.Do(page, chromedp.KeyEvent(text+"\r")); err != nil {
			t.Fatal(err)
		}
	}
	// outcome waits for the page's next scan result.
	outcome := func(shot string) (kind, code, zh string) {
		t.Helper()
		scans++
		r := browsertest.Poll[map[string]string](t, page, fmt.Sprintf(`documentsPage.results().length >= %d && documentsPage.results()[%d]`, scans, scans-1), 10*time.Second)
		if shot != "" {
			browsertest.Screenshot(t, page, shots, shot)
		}
		return r["kind"], r["code"], r["zh"]
	}
	evalJS(t, page, `document.getElementById('scan').focus()`)

	// 发放: A's badge, then copy 11.
	scan(badge(a.ID))
	browsertest.Poll[bool](t, page, fmt.Sprintf(`(documentsPage.person() || {}).id === %d && document.getElementById('person').textContent.includes(%q)`, a.ID, a.Name), 10*time.Second)
	scan(code(11))
	if kind, c, zh := outcome("issued.png"); kind != "ok" || c != "issue" || !strings.Contains(zh, a.Name) {
		t.Fatalf("issue by scans: %s %s %s", kind, c, zh)
	}
	browsertest.Poll[bool](t, page, `document.querySelector('#doc .copy[data-copy="11"]').dataset.state === 'out'`, 5*time.Second)
	// The same copy to B: refused, naming A.
	scan(badge(b.ID))
	browsertest.Poll[bool](t, page, fmt.Sprintf(`(documentsPage.person() || {}).id === %d`, b.ID), 10*time.Second)
	scan(code(11))
	if kind, c, zh := outcome("refused-twice.png"); kind != "bad" || c != "copy_out" || !strings.Contains(zh, a.Name) {
		t.Fatalf("second issue: %s %s %s", kind, c, zh)
	}
	// B gets copy 12.
	scan(code(12))
	if kind, c, _ := outcome(""); kind != "ok" || c != "issue" {
		t.Fatalf("issue 12: %s %s", kind, c)
	}

	// 清退: copy 11 alone comes back from its holder.
	evalJS(t, page, `document.getElementById('mode-return').click()`)
	browsertest.Poll[bool](t, page, `documentsPage.mode() === 'return' && document.activeElement.id === 'scan'`, 5*time.Second)
	evalJS(t, page, `document.querySelector('#person button').click()`) // 换人: nobody at the desk
	scan(code(11))
	if kind, c, zh := outcome(""); kind != "ok" || c != "return" || !strings.Contains(zh, a.Name) {
		t.Fatalf("return by scan: %s %s %s", kind, c, zh)
	}
	browsertest.Poll[bool](t, page, `document.querySelector('#doc .copy[data-copy="11"]').dataset.state === 'in'`, 5*time.Second)
	browsertest.Screenshot(t, page, shots, "returned.png")

	// Copy 12 (B's) brought back by the holder of copy 1: the page asks why.
	scan(badge(holder1.ID))
	browsertest.Poll[bool](t, page, fmt.Sprintf(`(documentsPage.person() || {}).id === %d`, holder1.ID), 10*time.Second)
	scan(code(12))
	if kind, c, _ := outcome(""); kind != "warn" || c != "returned_by_other" {
		t.Fatalf("return under another name: %s %s", kind, c)
	}
	browsertest.Poll[bool](t, page, fmt.Sprintf(`!document.getElementById('reason').hidden && document.getElementById('reason-what').textContent.includes(%q) && document.activeElement.id === 'reason-text'`, b.Name), 5*time.Second)
	browsertest.Screenshot(t, page, shots, "asks-reason.png")
	if chain, _ := db.CopyChain(ctx, doc.ID, 12); len(chain) != 1 {
		t.Fatalf("the refused return was recorded: %+v", chain)
	}
	// Sending without a reason is held back on the page.
	evalJS(t, page, `document.getElementById('reason-go').click()`)
	browsertest.Poll[bool](t, page, `documentsPage.pending() && !document.getElementById('toast').hidden`, 5*time.Second)
	reason := "领取人临时离会，委托同团代表交回"
	browsertest.Do(t, page, chromedp.SendKeys(`#reason-text`, reason))
	evalJS(t, page, `document.getElementById('reason-go').click()`)
	if kind, c, zh := outcome("returned-by-other.png"); kind != "ok" || c != "return" || !strings.Contains(zh, holder1.Name) || !strings.Contains(zh, b.Name) {
		t.Fatalf("return with a reason: %s %s %s", kind, c, zh)
	}
	chain, err := db.CopyChain(ctx, doc.ID, 12)
	if err != nil || len(chain) != 2 || chain[1].By == nil || chain[1].By.ID != holder1.ID || chain[1].Reason != reason || !strings.Contains(chain[1].Actor, "机要员小周") {
		t.Fatalf("chain of copy 12: %+v %v", chain, err)
	}
	browsertest.Poll[bool](t, page, `document.activeElement.id === 'scan'`, 5*time.Second)
	// The copy's chain, on the page: issued to B, 代还 by the holder of copy 1, why.
	browsertest.Poll[bool](t, page, `document.querySelector('#doc .copy[data-copy="12"]').dataset.state === 'in'`, 5*time.Second)
	evalJS(t, page, `document.querySelector('#doc .copy[data-copy="12"] button').click()`)
	browsertest.Poll[bool](t, page, fmt.Sprintf(`!document.getElementById('chain').hidden && document.getElementById('chain').textContent.includes('代还') && document.getElementById('chain').textContent.includes(%q)`, reason), 5*time.Second)
	evalJS(t, page, `document.getElementById('chain').scrollIntoView()`)
	browsertest.Screenshot(t, page, shots, "chain.png")
	// A new document for a list of people, registered on the page.
	evalJS(t, page, `document.getElementById('new-doc').open = true; document.getElementById('new-doc').scrollIntoView()`)
	browsertest.Do(t, page, chromedp.SetValue(`#doc-form input[name=title]`, "代表团团长会议纪要"),
		chromedp.SetValue(`#doc-form input[name=copies]`, "3"))
	evalJS(t, page, `(() => { const s = document.querySelector('#doc-form select[name=audience]'); s.value = 'list'; s.dispatchEvent(new Event('change')); })()`)
	browsertest.Do(t, page, chromedp.SendKeys(`#doc-form .list input[type=search]`, a.Name))
	browsertest.Poll[bool](t, page, fmt.Sprintf(`[...document.querySelectorAll('#doc-form .found button')].some((b) => b.textContent.startsWith(%q))`, a.Name), 5*time.Second)
	evalJS(t, page, fmt.Sprintf(`[...document.querySelectorAll('#doc-form .found button')].find((b) => b.textContent.startsWith(%q)).click()`, a.Name))
	browsertest.Poll[bool](t, page, fmt.Sprintf(`document.querySelector('#doc-form .chips').textContent.includes(%q)`, a.Name), 5*time.Second)
	browsertest.Screenshot(t, page, shots, "new-document.png")
	evalJS(t, page, `document.querySelector('#doc-form > button[type=submit]').click()`)
	browsertest.Poll[bool](t, page, `document.querySelectorAll('#doc-list li').length === 2 && document.querySelector('#doc header').textContent.includes('代表团团长会议纪要') && document.querySelector('#doc header').textContent.includes('名单 1 人')`, 5*time.Second)
	browsertest.Screenshot(t, page, shots, "new-document-open.png")
	if holders, err := db.DocumentHolders(ctx, doc.ID+1); err != nil || len(holders) != 1 || holders[0].ID != a.ID || !holders[0].Due {
		t.Fatalf("the new document's list: %+v %v", holders, err)
	}
	if v := browsertest.CSPViolations(t, page); len(v) > 0 {
		t.Errorf("CSP violations on /documents: %v", v)
	}
	var left []store.OutCopy
	if left, err = db.CopiesOut(ctx); err != nil || len(left) != 8 {
		t.Fatalf("copies out after: %d %v", len(left), err)
	}
}

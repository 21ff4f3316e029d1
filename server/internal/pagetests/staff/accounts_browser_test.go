package staff_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiwu/server/internal/browsertest"
	"huiwu/server/internal/testkit"
)

// accountShots is where the login and users pages' screenshots go.
func accountShots(t *testing.T) string { return browsertest.ShotDir(t, "accounts") }

// TestFirstAdminPage: the one-time link opens the "create the first admin"
// form in the browser; filling it in signs the new admin in and opens the
// desk. The plain login page is what everyone else sees.
func TestFirstAdminPage(t *testing.T) {
	srv := testkit.ServeLinked(t, t.TempDir())
	shots := accountShots(t)
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 900))
	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/login?code="+srv.App.LoginCode))
	browsertest.Poll[bool](t, ctx, `document.body.dataset.mode === 'setup'`, 10*time.Second)
	if u := browsertest.Poll[string](t, ctx, `location.href`, time.Second); strings.Contains(u, srv.App.LoginCode) {
		t.Errorf("the login code stays in the address bar: %s", u)
	}
	browsertest.Screenshot(t, ctx, shots, "login-first-admin.png")
	browsertest.Do(t, ctx,
		chromedp.SetValue(`#setup-form input[name=login]`, "wangf"),
		chromedp.SetValue(`#setup-form input[name=name]`, "王芳"),
		chromedp.SetValue(`#setup-form input[name=password]`, "长城-2026-desk"),
		chromedp.SetValue(`#setup-form input[name=password2]`, "长城-2026-dexk"),
		chromedp.Click(`#setup-go`))
	if msg := browsertest.Poll[string](t, ctx, `document.getElementById('setup-err').textContent`, 5*time.Second); !strings.Contains(msg, "不一致") {
		t.Fatalf("mismatched passwords say %q", msg)
	}
	browsertest.Do(t, ctx, chromedp.SetValue(`#setup-form input[name=password2]`, "长城-2026-desk"), chromedp.Click(`#setup-go`))
	browsertest.PollAcross[bool](t, ctx, `location.pathname === '/desk'`, 10*time.Second)

	// A cookie the page script cannot read.
	if c := browsertest.Poll[string](t, ctx, `'cookie:' + document.cookie`, time.Second); strings.Contains(c, "huiwu_token") {
		t.Errorf("the session cookie is readable by scripts: %s", c)
	}
	// The link is spent: it now shows the ordinary login form, saying so.
	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/login?code="+srv.App.LoginCode))
	browsertest.Poll[bool](t, ctx, `document.body.dataset.mode === 'login' && document.getElementById('notice').textContent.includes('已有管理员')`, 10*time.Second)
	browsertest.Screenshot(t, ctx, shots, "login-link-spent.png")
}

// TestUsersPage: the admin's users page creates an usher account; the
// usher signs in from the usher page's prompt (the login page, then back
// to the seat map, on the session cookie); the admin sees the session,
// resets the password, changes the role and revokes the account, and the
// usher's open seat map drops to the sign-in prompt at once.
func TestUsersPage(t *testing.T) {
	srv := testkit.Serve(t)
	shots := accountShots(t)
	admin := browsertest.New(t, browsertest.WindowSize(1280, 900))
	browsertest.SignIn(t, admin, srv.URL, testkit.AdminToken)
	browsertest.Do(t, admin, chromedp.Navigate(srv.URL+"/users"))
	browsertest.Poll[bool](t, admin, `document.body.dataset.state === 'ready'`, 10*time.Second)
	browsertest.Do(t, admin,
		chromedp.SetValue(`#create-form input[name=login]`, "lina"),
		chromedp.SetValue(`#create-form input[name=name]`, "李娜"),
		chromedp.SetValue(`#create-form select[name=role]`, "usher"),
		chromedp.SetValue(`#create-form input[name=password]`, "usher-pass-2026"),
		chromedp.Click(`#create-go`))
	id := browsertest.Poll[string](t, admin, `(document.querySelector('tr.user[data-login="lina"]') || {dataset: {}}).dataset.id`, 10*time.Second)
	row := `tr.user[data-id="` + id + `"]`

	// The usher's tablet opens the server as localhost: a cookie jar of its
	// own. Unsigned, the seat map asks to pair or to sign in.
	base := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	usher, cancel := chromedp.NewContext(admin)
	defer cancel()
	browsertest.Do(t, usher, chromedp.Navigate(base+"/usher?session=opening"))
	browsertest.Poll[bool](t, usher, `!!document.querySelector('.signin a.staff')`, 15*time.Second)
	browsertest.Click(t, usher, `.signin a.staff`)
	browsertest.PollAcross[bool](t, usher, `location.pathname === '/login' && document.body.dataset.mode === 'login'`, 10*time.Second)
	browsertest.Do(t, usher,
		chromedp.SetValue(`#login-form input[name=login]`, "lina"),
		chromedp.SetValue(`#login-form input[name=password]`, "wrong-password"),
		chromedp.Click(`#login-go`))
	if msg := browsertest.Poll[string](t, usher, `document.getElementById('login-err').textContent`, 5*time.Second); !strings.Contains(msg, "用户名或密码") {
		t.Fatalf("a wrong password says %q", msg)
	}
	browsertest.Screenshot(t, usher, shots, "login.png")
	browsertest.Do(t, usher, chromedp.SetValue(`#login-form input[name=password]`, "usher-pass-2026"), chromedp.Click(`#login-go`))
	browsertest.PollAcross[bool](t, usher, `location.pathname === '/usher' && window.usher && window.usher.count() > 0 && document.getElementById('conn').className.includes('live')`, 20*time.Second)

	// The admin sees the session.
	browsertest.Do(t, admin, chromedp.Reload())
	browsertest.PollAcross[bool](t, admin, `document.querySelectorAll('`+row+` li.session').length === 1`, 10*time.Second)
	browsertest.Screenshot(t, admin, shots, "users.png")

	// Change the role: the usher's map closes (its live feed was the old
	// role's) and comes back, since the desk may see seat maps too.
	setRole := func(role string) {
		t.Helper()
		if _, err := chromedp.Run(admin, chromedp.Evaluate[bool](`(() => {
			const sel = document.querySelector('`+row+` select.role');
			sel.value = '`+role+`';
			return sel.dispatchEvent(new Event('change'));
		})()`)); err != nil {
			t.Fatal(err)
		}
		browsertest.Poll[bool](t, admin, `document.querySelector('`+row+`').dataset.role === '`+role+`'`, 10*time.Second)
	}
	setRole("desk")
	browsertest.PollAcross[bool](t, usher, `location.pathname === '/usher' && window.usher && window.usher.count() > 0 && document.getElementById('conn').className.includes('live')`, 20*time.Second)

	// Reset the password through the page's dialog.
	browsertest.Click(t, admin, row+` button.reset`)
	browsertest.Poll[bool](t, admin, `document.getElementById('ask').open`, 5*time.Second)
	browsertest.Do(t, admin, chromedp.SetValue(`#ask-input`, "usher-pass-2027"), chromedp.Click(`#ask-ok`))
	browsertest.Poll[bool](t, admin, `document.querySelectorAll('`+row+` li.session').length === 0`, 10*time.Second)
	browsertest.PollAcross[bool](t, usher, `!!document.querySelector('.signin')`, 10*time.Second)

	// Sign in again with the new password, then the admin revokes the
	// account: the open map drops to the prompt at once.
	browsertest.Click(t, usher, `.signin a.staff`)
	browsertest.PollAcross[bool](t, usher, `document.body.dataset.mode === 'login'`, 10*time.Second)
	browsertest.Do(t, usher,
		chromedp.SetValue(`#login-form input[name=login]`, "lina"),
		chromedp.SetValue(`#login-form input[name=password]`, "usher-pass-2027"),
		chromedp.Click(`#login-go`))
	browsertest.PollAcross[bool](t, usher, `location.pathname === '/usher' && window.usher.count() > 0 && document.getElementById('conn').className.includes('live')`, 20*time.Second)
	browsertest.Click(t, admin, row+` button.revoke`)
	browsertest.Poll[bool](t, admin, `document.getElementById('ask').open`, 5*time.Second)
	browsertest.Click(t, admin, `#ask-ok`)
	browsertest.Poll[bool](t, admin, `document.querySelector('`+row+`').dataset.state === 'revoked'`, 10*time.Second)
	browsertest.PollAcross[bool](t, usher, `!!document.querySelector('.signin')`, 10*time.Second)
	browsertest.Screenshot(t, admin, shots, "users-revoked.png")
}

// TestViewPagesTakeNoTokenInURL: /usher, /screen and /chair ignore a token
// in the page address (it would sit in history, logs and Referer headers);
// they pair with a code from the desk, as before, or use a staff login.
func TestViewPagesTakeNoTokenInURL(t *testing.T) {
	srv := testkit.Serve(t)
	base := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	_, token := testkit.PairedKiosk(t, srv, "hall-east") // any valid token would do
	var u struct{ Token string }
	srv.Call("POST", "/users", testkit.AdminToken, map[string]string{"name": "引导员", "role": "usher"}, &u)
	ctx := browsertest.New(t, browsertest.WindowSize(1280, 800))
	for _, page := range []string{"/usher?session=opening&token=", "/screen?token=", "/chair?session=opening&token="} {
		browsertest.Do(t, ctx, chromedp.Navigate(base+page+u.Token))
		browsertest.Poll[bool](t, ctx, `!!document.querySelector('.signin input[name=code]')`, 15*time.Second)
		if kept := browsertest.Poll[string](t, ctx, `'kept:' + (localStorage.getItem('huiwu.view.token') || '')`, time.Second); kept != "kept:" {
			t.Errorf("%s kept the URL's token: %s", page, kept)
		}
	}
	_ = token
	// Pairing from the prompt still works.
	var p struct {
		Code string `json:"pairing_code"`
	}
	if st := srv.Call("POST", "/devices", testkit.AdminToken, map[string]string{"name": "引导平板", "kind": "usher"}, &p); st != 201 {
		t.Fatalf("create device: HTTP %d", st)
	}
	browsertest.Do(t, ctx, chromedp.Navigate(base+"/usher?session=opening"))
	browsertest.Poll[bool](t, ctx, `!!document.querySelector('.signin input[name=code]')`, 15*time.Second)
	browsertest.Do(t, ctx, chromedp.SetValue(`.signin input[name=code]`, p.Code), chromedp.Click(`.signin button`))
	browsertest.PollAcross[bool](t, ctx, `location.pathname === '/usher' && window.usher && window.usher.count() > 0`, 20*time.Second)
}

// login.js — staff sign-in (user name and password), and, from the
// one-time link printed when the server starts, the form that creates the
// first admin account. The session is an HTTP-only cookie the server
// sets; this page never sees it.

const $ = (s) => document.querySelector(s);
const params = new URLSearchParams(location.search);
const code = params.get('code') || '';
const next = safeNext(params.get('next'));

// The link's code leaves the address bar (history, screenshots) at once;
// the page keeps it in memory for the form.
if (code) {
  params.delete('code');
  const q = params.toString();
  history.replaceState(null, '', location.pathname + (q ? '?' + q : ''));
}

/** safeNext keeps a page of this server to return to, nothing else: not
 * another site, and not the API (signing in lands on a page, never on
 * JSON). */
function safeNext(p) {
  if (!p || !p.startsWith('/') || p.startsWith('//') || /[\\\t\r\n]/.test(p)) return '';
  if (p.startsWith('/api/') || p.startsWith('/login') || p.startsWith('/logout')) return '';
  return p;
}

/** call sends JSON to path and answers the decoded answer; a refusal
 * throws an Error carrying the server's code and both languages. */
async function call(path, opts = {}) {
  const init = { method: opts.method || 'GET', credentials: 'same-origin', headers: {} };
  if (opts.body) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  const r = await fetch(path, init);
  const body = r.status === 204 ? null : await r.json().catch(() => null);
  if (!r.ok) {
    const e = new Error((body && body.error && body.error.message.en) || 'HTTP ' + r.status);
    e.status = r.status;
    e.code = body && body.error && body.error.code;
    e.zh = (body && body.error && body.error.message.zh) || '请求失败';
    throw e;
  }
  return body;
}

/** field is a form's input by name (form.name would be the form's own). */
const field = (f, n) => f.elements.namedItem(n);

function say(el, zh, en) {
  const span = document.createElement('span');
  span.className = 'en';
  span.textContent = en || '';
  el.replaceChildren(zh || '', span);
}

function show(mode) {
  document.body.dataset.mode = mode;
  $('#login-form').hidden = mode !== 'login';
  $('#setup-form').hidden = mode !== 'setup';
  const first = mode === 'setup' ? $('#setup-form input[name=login]') : $('#login-form input[name=login]');
  if (first) first.focus();
}

function done(r) {
  location.assign(next || r.next || '/desk');
}

const ROLE = { admin: '管理员', desk: '报到处', usher: '引导员', chair: '主席台/秘书处', screen: '导引屏' };

/** whoAmI says who is signed in already, with a way out. */
async function whoAmI() {
  let me;
  try {
    me = await call('/api/v1/me');
  } catch {
    return;
  }
  if (!me.staff) return;
  const box = $('#whoami');
  const out = document.createElement('button');
  out.type = 'button';
  out.className = 'plain';
  say(out, '退出登录', 'Sign out');
  out.addEventListener('click', async () => {
    await call('/logout', { method: 'POST' }).catch(() => {});
    location.reload();
  });
  const text = document.createElement('span');
  say(text, `已登录：${me.name}（${ROLE[me.role] || me.role}）`, `Signed in as ${me.login} (${me.role})`);
  box.replaceChildren(text, out);
  box.hidden = false;
}

$('#login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = ev.target;
  const err = $('#login-err');
  err.textContent = '';
  $('#login-go').disabled = true;
  try {
    done(await call('/login', { method: 'POST', body: { login: field(f, 'login').value.trim(), password: field(f, 'password').value } }));
  } catch (e) {
    say(err, e.zh, e.message);
    field(f, 'password').select();
  } finally {
    $('#login-go').disabled = false;
  }
});

$('#setup-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = ev.target;
  const err = $('#setup-err');
  err.textContent = '';
  if (field(f, 'password').value !== field(f, 'password2').value) {
    say(err, '两次输入的密码不一致', 'The two passwords do not match');
    field(f, 'password2').select();
    return;
  }
  $('#setup-go').disabled = true;
  try {
    done(await call('/login/setup', { method: 'POST',
      body: { code, login: field(f, 'login').value.trim(), name: field(f, 'name').value.trim(), password: field(f, 'password').value } }));
  } catch (e) {
    say(err, e.zh, e.message);
    if (e.code === 'admin_exists' || e.code === 'bad_login_code') start();
  } finally {
    $('#setup-go').disabled = false;
  }
});

async function start() {
  let st = { first_admin: false, admin_exists: true };
  try {
    st = await call('/login/state' + (code ? '?code=' + encodeURIComponent(code) : ''));
  } catch (e) {
    say($('#notice'), e.zh, e.message);
    $('#notice').hidden = false;
  }
  if (code && st.first_admin) {
    show('setup');
    return;
  }
  if (code) {
    if (st.admin_exists) {
      say($('#notice'), '此登录链接已失效：已有管理员账号，请用账号和密码登录。',
        'This link no longer works: an admin account exists. Sign in with a user name and password.');
    } else {
      say($('#notice'), '登录链接无效或已使用。请用服务器启动时显示的最新链接。',
        'The login link is wrong or used. Use the latest link the server printed when it started.');
    }
    $('#notice').hidden = false;
  }
  show('login');
  whoAmI();
}
start();

// login.js — staff sign-in (user name and password), and, from the
// one-time link printed when the server starts, the form that creates the
// first admin account. The session is an HTTP-only cookie the server
// sets; this page never sees it.

import { call } from '/static/common/api.js';
import { h, bi } from '/static/common/dom.js';

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

/** post sends JSON to one of the login routes (outside /api/v1). */
const post = (path, body) => call('POST', path, body, { base: '' });

/** field is a form's input by name (form.name would be the form's own). */
const field = (f, n) => f.elements.namedItem(n);

function say(el, zh, en) {
  el.replaceChildren(...bi(zh || '', en || ''));
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

const ROLE = { admin: '管理员', desk: '报到处', usher: '引导员', chair: '主席台/秘书处', screen: '导引屏', logistics: '会务组' };

/** whoAmI says who is signed in already, with a way out. */
async function whoAmI() {
  let me;
  try {
    me = await call('GET', '/me');
  } catch {
    return;
  }
  if (!me.staff) return;
  const box = $('#whoami');
  const out = h('button', { type: 'button', class: 'plain', onclick: async () => {
    await post('/logout').catch(() => {});
    location.reload();
  } }, ...bi('退出登录', 'Sign out'));
  const text = h('span', {}, ...bi(`已登录：${me.name}（${ROLE[me.role] || me.role}）`, `Signed in as ${me.login} (${me.role})`));
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
    done(await post('/login', { login: field(f, 'login').value.trim(), password: field(f, 'password').value }));
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
    done(await post('/login/setup',
      { code, login: field(f, 'login').value.trim(), name: field(f, 'name').value.trim(), password: field(f, 'password').value }));
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
    st = await call('GET', '/login/state' + (code ? '?code=' + encodeURIComponent(code) : ''), undefined, { base: '' });
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

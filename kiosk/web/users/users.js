// users.js — the admin's users page: named staff accounts with their
// roles and open sessions; create one, change a role, reset a password,
// end a session, revoke an account. Every change is made by the server
// (audited under the admin's name) and applies to the very next request,
// open live pages included.

import { call } from '/static/common/api.js';
import { h, bi, toast, fail } from '/static/common/dom.js';

const $ = (s) => document.querySelector(s);

const ROLES = [
  ['admin', '管理员', 'Admin', '一切，包括本页的用户与权限', 'everything, this page included'],
  ['desk', '报到处', 'Desk', '人员（完整信息）、导入、证件与补打、请假、手工补签、设备与配对、会议设置、排座',
    'attendees (full record), imports, badges and reprints, leave, manual check-in, devices and pairing, set-up, seating'],
  ['usher', '引导员', 'Usher', '场次、人数、座位图（姓名）、查人（号码遮蔽，无饮食与健康信息）',
    'sessions, counts, seat maps (names), finding people (numbers masked, no diet or health)'],
  ['chair', '主席台/秘书处', 'Chair / secretariat', '场次、出席人数与宣读语、缺席名单、到会曲线（主席台视图）',
    "sessions, attendance and the chair's sentence, absentees, arrivals (the chair's view)"],
  ['screen', '导引屏', 'Screen', '场次与人数，不含任何个人信息', 'sessions and counts; nothing personal'],
  ['logistics', '会务组（接送与住宿）', 'Logistics', '接站、车辆、住宿与返程（含行程与房间）；不含证件号码',
    'arrivals, vehicles, hotel stays and departures (travel and rooms); no ID numbers'],
];
const roleName = Object.fromEntries(ROLES.map(([k, zh, en]) => [k, [zh, en]]));

function when(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString('zh-CN', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
}

/** ask opens the dialog; with a password field it answers the typed
 * text, else true; null when cancelled. check(value) may answer an error
 * to show instead of closing. */
function ask(zhText, enText, { password = false, okLabel } = {}) {
  const d = $('#ask');
  $('#ask-text').replaceChildren(...bi(zhText, enText));
  const input = $('#ask-input');
  input.hidden = !password;
  input.value = '';
  $('#ask-err').textContent = '';
  if (okLabel) $('#ask-ok').replaceChildren(...bi(okLabel[0], okLabel[1]));
  return new Promise((resolve) => {
    const done = (v) => {
      d.close();
      $('#ask-ok').onclick = null;
      $('#ask-cancel').onclick = null;
      resolve(v);
    };
    $('#ask-cancel').onclick = () => done(null);
    $('#ask-ok').onclick = (ev) => {
      ev.preventDefault();
      if (!password) return done(true);
      if ([...input.value].length < 8) {
        $('#ask-err').replaceChildren(...bi('密码至少 8 个字符', 'At least 8 characters'));
        return;
      }
      done(input.value);
    };
    d.showModal();
    if (password) input.focus();
  });
}

function roleSelect(u) {
  const sel = h('select', { class: 'role', 'aria-label': '角色 role', disabled: !!u.revoked_at });
  for (const [k, zh, en] of ROLES) sel.append(h('option', { value: k }, `${zh} ${en}`));
  sel.value = u.role;
  sel.addEventListener('change', async () => {
    try {
      await call('PATCH', `/users/${u.id}`, { role: sel.value });
      toast(`${u.name} 现为${roleName[sel.value][0]}`, `${u.name} is now ${roleName[sel.value][1]}`);
    } catch (e) {
      fail(e);
    }
    load();
  });
  return sel;
}

function sessionsCell(u) {
  if (!u.sessions.length) return h('span', { class: 'none' }, '—');
  return h('ul', { class: 'sessions' }, ...u.sessions.map((s) => h('li', { class: 'session', 'data-id': s.id },
    h('span', {}, s.kind === 'api' ? '令牌 token' : '浏览器 browser'),
    h('span', { title: s.agent || '' }, s.address || ''),
    h('span', { title: '最近使用 last used' }, when(s.last_seen_at)),
    h('button', { type: 'button', class: 'end', onclick: async () => {
      if (!await ask(`结束 ${u.name} 的这个登录会话？`, `End this session of ${u.name}?`, { okLabel: ['结束', 'End'] })) return;
      try {
        await call('DELETE', `/users/${u.id}/sessions/${s.id}`);
      } catch (e) {
        fail(e);
      }
      load();
    } }, '结束 End'))));
}

function stateOf(u) {
  if (u.revoked_at) return 'revoked';
  if (u.locked_until) return 'locked';
  return 'active';
}

function stateCell(u) {
  switch (stateOf(u)) {
    case 'revoked': return h('span', { class: 'state revoked' }, '已停用 revoked');
    case 'locked': return h('span', { class: 'state locked', title: '密码错误次数过多 too many wrong passwords' },
      `锁定至 ${when(u.locked_until)} locked`);
  }
  return h('span', { class: 'state' }, '可用 active');
}

function actions(u) {
  if (u.revoked_at) return h('td', {});
  return h('td', {}, h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'reset', disabled: !u.login, title: u.login ? '' : '令牌账号没有密码 a token account has no password',
      onclick: async () => {
        const pw = await ask(`为 ${u.name}（${u.login}）设定新密码。其所有登录会话将结束。`,
          `New password for ${u.login}. Every session of the account ends.`, { password: true, okLabel: ['设定', 'Set'] });
        if (pw == null) return;
        try {
          await call('POST', `/users/${u.id}/password`, { password: pw });
          toast('密码已重置，原登录已结束', 'Password reset; its sessions have ended');
        } catch (e) {
          fail(e);
        }
        load();
      } }, ...bi('重置密码', 'Reset password')),
    h('button', { type: 'button', class: 'revoke danger', onclick: async () => {
      if (!await ask(`停用 ${u.name} 的账号？立即生效，已打开的页面也会退出。`,
        `Revoke ${u.name}'s account? It applies at once, open pages included.`, { okLabel: ['停用', 'Revoke'] })) return;
      try {
        await call('POST', `/users/${u.id}/revoke`);
        toast(`${u.name} 的账号已停用`, `${u.name}'s account is revoked`);
      } catch (e) {
        fail(e);
      }
      load();
    } }, ...bi('停用', 'Revoke'))));
}

function render(list) {
  const rows = list.map((u) => h('tr', { class: 'user', 'data-id': u.id, 'data-login': u.login || '', 'data-role': u.role, 'data-state': stateOf(u) },
    h('td', { class: 'login' }, u.login || h('span', { class: 'none' }, '（令牌账号 token only）')),
    h('td', { class: 'name' }, u.name),
    h('td', {}, roleSelect(u)),
    h('td', {}, stateCell(u)),
    h('td', {}, sessionsCell(u)),
    actions(u)));
  $('#users tbody').replaceChildren(...rows);
}

async function load() {
  try {
    render(await call('GET', '/users'));
  } catch (e) {
    fail(e);
  }
}

$('#create-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = ev.target;
  const v = (n) => f.elements.namedItem(n).value.trim();
  $('#create-err').textContent = '';
  try {
    await call('POST', '/users', { login: v('login'), name: v('name'), role: v('role'), password: f.elements.namedItem('password').value });
    toast(`已创建 ${v('name')}`, `Created ${v('login')}`);
    f.reset();
  } catch (e) {
    $('#create-err').replaceChildren(...bi(e.zh, e.message));
  }
  load();
});

$('#logout').addEventListener('click', async () => {
  await call('POST', '/logout', undefined, { base: '' }).catch(() => {});
  location.assign('/login?next=/users');
});

function banner(zh, en, link) {
  const b = $('#banner');
  b.replaceChildren(...bi(zh, en));
  if (link) b.append(h('a', { href: link }, '登录 Sign in'));
  b.hidden = false;
}

async function start() {
  const sel = $('#create-form select[name=role]');
  for (const [k, zh, en] of ROLES) sel.append(h('option', { value: k }, `${zh} ${en}`));
  sel.value = 'desk';
  $('#roles').replaceChildren(...ROLES.map(([k, zh, en, dz, de]) => h('tr', {},
    h('td', {}, ...bi(zh, en)), h('td', {}, ...bi(dz, de)))));
  let me;
  try {
    me = await call('GET', '/me');
  } catch (e) {
    document.body.dataset.state = 'signin';
    if (e.status === 401) banner('请先登录', 'Sign in first', '/login?next=/users');
    else fail(e);
    return;
  }
  $('#me').textContent = me.name;
  $('#logout').hidden = !me.staff;
  if (me.role !== 'admin') {
    document.body.dataset.state = 'forbidden';
    banner('只有管理员可以管理用户', 'Only an admin manages users');
    return;
  }
  $('#main').hidden = false;
  await load();
  document.body.dataset.state = 'ready';
}
start();

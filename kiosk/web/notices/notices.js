// notices.js — the desk's 会议通知与回执 page: every unit (代表团 or
// 单位) with where its reply stands (未回执 / 已回执 / 有变更), its
// contact, its private reply link (made and shown once with a QR code to
// hand over, revoked, made again), the 回执 form as PDF and XLSX, a
// filled-in XLSX taken in as the unit's reply, and each reply's changes
// to apply or reject one by one. Applying is all or nothing per item: if
// the person changed since the reply, the server refuses and says so.

import { call, upload } from '/static/common/api.js';
import { h, bi, toast, fail, time } from '/static/common/dom.js';

const $ = (s) => document.querySelector(s);

const STATUS = { none: ['未回执', 'No reply'], replied: ['已回执', 'Replied'], changes: ['有变更', 'Changes'] };
const ANSWER = { confirm: ['参加', 'Comes'], substitute: ['代会', 'Substitute'], decline: ['不参加', 'Declines'] };
const KIND = {
  substitute: ['代会', 'Substitute'], decline: ['不参加', 'Declines'], diet: ['饮食', 'Diet'], room: ['住宿需求', 'Room'],
  arrival: ['抵达', 'Arrival'], departure: ['返程', 'Departure'],
};
const ITEM_STATE = { pending: ['待处理', 'Pending'], applied: ['已应用', 'Applied'], rejected: ['已驳回', 'Rejected'], superseded: ['已被新回执取代', 'Superseded'] };
const LINK = { live: ['有效', 'live'], expired: ['已过期', 'expired'], revoked: ['已作废', 'revoked'] };

const state = { units: [], filter: 'all', unit: 0, detail: null, loads: 0 };

function chip(status) {
  const [zh, en] = STATUS[status];
  return h('span', { class: `chip s-${status}` }, ...bi(zh, en));
}

function linkWords(l) {
  if (!l) return bi('未发', 'none');
  const [zh, en] = LINK[l.state];
  return bi(`${zh} ${l.state === 'live' ? '至 ' + time(l.expires_at) : ''}`, en);
}

function renderUnits() {
  const n = (s) => state.units.filter((u) => u.status === s).length;
  $('#totals').replaceChildren(
    h('span', { class: 'tot' }, ...bi(`${state.units.length} 个单位`, 'units')),
    h('span', { class: 'tot none' }, ...bi(`未回执 ${n('none')}`, 'no reply')),
    h('span', { class: 'tot changes' }, ...bi(`有变更 ${n('changes')}`, 'changes')),
    h('span', { class: 'tot replied' }, ...bi(`已回执 ${n('replied')}`, 'replied')));
  const shown = state.units.filter((u) => state.filter === 'all' || u.status === state.filter);
  $('#units tbody').replaceChildren(...shown.map((u) => {
    const tr = h('tr', { class: 'unit-row', 'data-unit': u.id, 'data-status': u.status, 'aria-selected': u.id === state.unit ? 'true' : 'false' },
      h('td', { class: 'name' }, u.name, h('span', { class: 'en' }, u.kind === 'delegation' ? '代表团 delegation' : '单位 organisation')),
      h('td', { class: 'num' }, u.members),
      h('td', {}, chip(u.status), u.reply.pending ? h('span', { class: 'pending' }, ` ${u.reply.pending} 项`) : ''),
      h('td', { class: 'link' }, ...linkWords(u.link)));
    tr.addEventListener('click', () => openUnit(u.id));
    return tr;
  }));
}

async function loadUnits() {
  state.units = await call('GET', '/notices/units');
  renderUnits();
}

function drawQR(rows) {
  const c = $('#link-qr');
  const ctx = c.getContext('2d');
  const n = rows.length;
  const quiet = 4;
  const cell = Math.floor(c.width / (n + 2 * quiet));
  const off = Math.floor((c.width - cell * n) / 2);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.fillStyle = '#000';
  rows.forEach((r, y) => [...r].forEach((b, x) => { if (b === '1') ctx.fillRect(off + x * cell, off + y * cell, cell, cell); }));
}

async function issueLink(u) {
  if (u.link && u.link.state === 'live' &&
    !confirm(`重新发链接后，${u.name} 手中的旧链接将立即失效。继续？\nThe old link stops working at once. Go on?`)) return;
  try {
    const r = await call('POST', `/notices/units/${u.id}/link`, {});
    $('#link-title').replaceChildren(...bi(`${u.name} 的回执链接`, `Reply link of ${u.name}`));
    $('#link-url').value = r.url;
    $('#link-until').textContent = `有效至 ${time(r.link.expires_at)} · valid until ${time(r.link.expires_at)}`;
    drawQR(r.qr);
    $('#link').showModal();
    await refresh();
  } catch (e) {
    fail(e);
  }
}

async function revokeLink(u) {
  if (!confirm(`作废 ${u.name} 的回执链接？\nWithdraw this unit's reply link?`)) return;
  try {
    await call('DELETE', `/notices/units/${u.id}/link`);
    toast('链接已作废', 'Link withdrawn');
    await refresh();
  } catch (e) {
    fail(e);
  }
}

function answerWords(a) {
  if (!a) return h('span', { class: 'ans none' }, ...bi('未答', 'none'));
  const [zh, en] = ANSWER[a.status];
  let extra = '';
  if (a.status === 'substitute' && a.substitute) extra = ` ${a.substitute.name}`;
  if (a.status === 'decline' && a.reason) extra = `（${a.reason}）`;
  return h('span', { class: `ans ${a.status}` }, zh + extra, h('span', { class: 'en' }, en));
}

function itemRow(it) {
  const [kz, ke] = KIND[it.kind];
  const [sz, se] = ITEM_STATE[it.state];
  const actions = h('td', { class: 'actions' });
  if (it.state === 'pending') {
    const apply = h('button', { type: 'button', class: 'primary apply' }, ...bi('应用', 'Apply'));
    const reject = h('button', { type: 'button', class: 'reject' }, ...bi('驳回', 'Reject'));
    apply.addEventListener('click', () => decide(it, 'apply'));
    reject.addEventListener('click', () => decide(it, 'reject'));
    actions.append(apply, reject);
  } else {
    actions.append(h('span', { class: `state ${it.state}` }, ...bi(sz, se)),
      it.decided_by ? h('span', { class: 'by' }, `${it.decided_by} ${time(it.decided_at)}`) : '',
      it.reason ? h('span', { class: 'by' }, it.reason) : '');
  }
  return h('tr', { class: 'item', 'data-item': it.id, 'data-kind': it.kind, 'data-state': it.state },
    h('td', { class: 'who' }, it.name),
    h('td', {}, ...bi(kz, ke)),
    h('td', { class: 'before' }, it.before || '—'),
    h('td', { class: 'after' }, it.wanted || '—'),
    actions);
}

async function decide(it, what) {
  let body = {};
  if (what === 'reject') {
    const reason = prompt('驳回原因（会记入日志）\nWhy (kept in the log)', '');
    if (reason === null) return;
    body = { reason };
  }
  try {
    await call('POST', `/notices/items/${it.id}/${what}`, body);
    toast(what === 'apply' ? `已应用：${it.name}` : `已驳回：${it.name}`, what === 'apply' ? 'Applied' : 'Rejected');
  } catch (e) {
    fail(e);
  }
  await refresh();
}

function renderUnit() {
  const u = state.detail;
  const box = $('#unit');
  const contact = h('form', { class: 'contact' },
    h('label', {}, ...bi('联系人', 'Contact'), h('input', { name: 'contact', value: u.contact, maxlength: 40 })),
    h('label', {}, ...bi('电话', 'Phone'), h('input', { name: 'phone', value: u.phone, maxlength: 20, inputmode: 'tel' })),
    h('button', { type: 'submit' }, ...bi('保存', 'Save')));
  contact.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await call('PATCH', `/notices/units/${u.id}`, { contact: contact.elements.contact.value, phone: contact.elements.phone.value });
      toast('联系人已保存', 'Contact saved');
      await refresh();
    } catch (e) {
      fail(e);
    }
  });
  const live = u.link && u.link.state === 'live';
  const issue = h('button', { type: 'button', class: 'primary issue' }, ...bi(u.link ? '重新发链接' : '发回执链接', u.link ? 'New link' : 'Make link'));
  issue.addEventListener('click', () => issueLink(u));
  const revoke = h('button', { type: 'button', class: 'revoke', disabled: !live }, ...bi('作废链接', 'Withdraw link'));
  revoke.addEventListener('click', () => revokeLink(u));
  const file = h('input', { type: 'file', accept: '.xlsx', hidden: true });
  const imp = h('button', { type: 'button', class: 'import' }, ...bi('导入回执表', 'Import form'));
  imp.addEventListener('click', () => file.click());
  const importErr = h('div', { class: 'import-err', role: 'alert' });
  file.addEventListener('change', async () => {
    if (!file.files.length) return;
    const form = new FormData();
    form.append('file', file.files[0]);
    importErr.replaceChildren();
    try {
      const { data } = await upload(`/notices/units/${u.id}/import`, form);
      toast(`已导入回执：${data.answers} 人，${data.changes} 项变更`, `Imported: ${data.answers} people, ${data.changes} changes`);
      await refresh();
    } catch (e) {
      const errs = (e.details && e.details.errors) || [];
      importErr.replaceChildren(h('p', {}, ...bi(e.zh, e.en)),
        h('ul', {}, errs.map((x) => h('li', {}, `第 ${x.row} 行 ${x.column} 列（${x.header}）：${x.message}`))));
    }
    file.value = '';
  });
  const pending = u.items.filter((it) => it.state === 'pending');
  const done = u.items.filter((it) => it.state !== 'pending');
  const itemsTable = (list) => h('table', { class: 'items' },
    h('thead', {}, h('tr', {}, h('th', {}, ...bi('人员', 'Person')), h('th', {}, ...bi('事项', 'What')),
      h('th', {}, ...bi('名单现为', 'List says')), h('th', {}, ...bi('回执要求', 'Reply asks')), h('th', {}, ...bi('处理', 'Decision')))),
    h('tbody', {}, list.map(itemRow)));
  const confirmed = u.members.filter((m) => m.answer && m.answer.status === 'confirm').length;
  box.replaceChildren(
    h('header', {}, h('h2', {}, u.name), chip(u.status),
      u.reply.replied_at ? h('span', { class: 'when' }, `最后回执 ${time(u.reply.replied_at)}`) : ''),
    contact,
    h('div', { class: 'linkrow' }, h('span', { class: 'linkstate' }, ...linkWords(u.link)), issue, revoke),
    h('div', { class: 'forms' },
      h('a', { href: `/api/v1/notices/units/${u.id}/form.pdf`, target: '_blank', class: 'btn' }, ...bi('回执表 PDF', 'Form (PDF)')),
      h('a', { href: `/api/v1/notices/units/${u.id}/form.xlsx`, class: 'btn' }, ...bi('回执表 XLSX', 'Form (XLSX)')),
      imp, file),
    importErr,
    h('h3', {}, ...bi(`待处理变更 ${pending.length} 项`, 'Changes to decide')),
    pending.length ? itemsTable(pending) : h('p', { class: 'none' }, ...bi('没有待处理的变更', 'Nothing to decide')),
    h('h3', {}, ...bi(`人员 ${u.members.length}，已确认参加 ${confirmed}`, `People; ${confirmed} confirmed`)),
    h('table', { class: 'members' }, h('tbody', {}, u.members.map((m) => h('tr', { 'data-person': m.id },
      h('td', { class: 'who' }, m.name), h('td', { class: 'title' }, m.title), h('td', {}, answerWords(m.answer)))))),
    done.length ? h('details', { class: 'history' }, h('summary', {}, ...bi(`已处理 ${done.length} 项`, 'Decided')), itemsTable(done)) : '');
  box.hidden = false;
}

async function openUnit(id) {
  state.unit = id;
  try {
    state.detail = await call('GET', `/notices/units/${id}`);
  } catch (e) {
    return fail(e);
  }
  renderUnits();
  renderUnit();
  state.loads++;
}

async function refresh() {
  await loadUnits();
  if (state.unit) await openUnit(state.unit);
}

for (const b of document.querySelectorAll('.filter button')) {
  b.addEventListener('click', () => {
    state.filter = b.dataset.filter;
    for (const x of document.querySelectorAll('.filter button')) x.classList.toggle('on', x === b);
    renderUnits();
  });
}

$('#link-close').addEventListener('click', () => $('#link').close());
$('#link-copy').addEventListener('click', async () => {
  $('#link-url').select();
  try {
    await navigator.clipboard.writeText($('#link-url').value);
    toast('已复制', 'Copied');
  } catch {
    toast('请手动复制', 'Copy it by hand', true);
  }
});

$('#settings').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = ev.target.elements;
  try {
    await call('PUT', '/notices/settings', { ask_travel: f.ask_travel.checked, ask_diet: f.ask_diet.checked,
      ask_room: f.ask_room.checked, deadline: f.deadline.value });
    toast('已保存', 'Saved');
  } catch (e) {
    fail(e);
  }
});

async function start() {
  try {
    const s = await call('GET', '/notices/settings');
    const f = $('#settings').elements;
    f.ask_travel.checked = s.ask_travel;
    f.ask_diet.checked = s.ask_diet;
    f.ask_room.checked = s.ask_room;
    f.deadline.value = s.deadline;
    await loadUnits();
  } catch (e) {
    document.body.dataset.state = 'signin';
    const b = $('#banner');
    if (e.status === 401) {
      b.replaceChildren(...bi('请先登录', 'Sign in first'), h('a', { href: '/login?next=/notices' }, ' 登录 Sign in'));
    } else {
      b.replaceChildren(...bi(e.zh || '出错了', e.en || 'Error'));
    }
    b.hidden = false;
    return;
  }
  $('#main').hidden = false;
  document.body.dataset.state = 'ready';
  const want = Number(new URLSearchParams(location.search).get('unit'));
  if (want) await openUnit(want);
}

// Replies come in while the desk watches: the list is read again every
// 15 s, and the open unit when its reply moved.
setInterval(async () => {
  if (document.visibilityState !== 'visible' || $('#link').open || document.body.dataset.state !== 'ready') return;
  const was = state.units.find((u) => u.id === state.unit);
  try {
    await loadUnits();
  } catch {
    return;
  }
  const now = state.units.find((u) => u.id === state.unit);
  if (was && now && (was.reply.replied_at !== now.reply.replied_at || was.reply.pending !== now.reply.pending)) await openUnit(state.unit);
}, 15000);

window.notices = { state: () => document.body.dataset.state, loads: () => state.loads, detail: () => state.detail, units: () => state.units };
start();

// pickup.js — the pickup phone (/pickup), held in one hand at an airport or
// railway station by staff signed in with a logistics (or desk) account.
// It lists today's arrivals at the chosen station (kept on the phone) in
// time order, found by name, pinyin initials or flight/train number, and
// marks them 已接 (picked up), 未到 (not on the flight) or 改签 (a new
// flight or time: POST …/rebook makes a new leg in place of the old; a
// change whose new time is not known yet is the state "changed").
//
// A mark shows at once and is sent; one that cannot be sent (no network,
// server away) stays on its row as 未保存, is kept on the phone across a
// reload, and is sent again when the network or the live connection
// comes back, every 20 s meanwhile, or when its row is tapped. Other
// phones' marks arrive over the `logistics` topic, which only says that
// something changed: the list is read again.
import { setup, call, Unreachable } from '/static/common/api.js';
import { h, bi, setZone, fmtTime, fmtDay, fail } from '/static/common/dom.js';
import { Live } from '/static/usher/live.js';
import { staffOnly, signOutTo } from '/static/logistics/staff.js';

// The staff cookie alone (usher/live.js set up a paired device's token);
// a call that hangs on a dead network gives up after 8 s and says so.
setup({ timeout: 8000, signedOut: () => signIn() });

const $ = (s) => document.querySelector(s);
const KEEP = { station: 'huiwu.pickup.station', pending: 'huiwu.pickup.pending' };

const STATUS = {
  waiting: ['待接', 'Waiting'],
  late: ['延误', 'Late'],
  picked_up: ['已接', 'Picked up'],
  missed: ['未到', 'Not arrived'],
  changed: ['改签', 'Changed'],
  own: ['自行抵达', 'On their own'],
};
const MODE = { flight: ['航班', 'Flight'], train: ['火车', 'Train'], car: ['自驾', 'By car'], other: ['其他', 'Other'] };
const TODO = ['waiting', 'late', 'changed', 'own'];

const state = {
  stations: [],
  station: Number(localStorage.getItem(KEEP.station)) || 0,
  date: '',
  rows: [],
  loaded: false,
  loads: 0,
  filter: 'todo',
  q: '',
  open: 0, // the leg whose sheet is open
  form: false, // the sheet shows the 改签 form (a re-read must not wipe it)
  pending: new Map(), // leg id → {leg, method, path, body, label, name, failed}
};

// For the browser tests.
window.pickup = {
  ready: () => state.loaded,
  loads: () => state.loads,
  station: () => state.station,
  rows: () => state.rows.length,
  shown: () => document.querySelectorAll('#list > li').length,
  pending: () => state.pending.size,
  failed: () => [...state.pending.values()].filter((op) => op.failed).length,
};

// ---- what a row shows ----

/** statusOf is a row's status now: a mark on its way wins, and a waiting
 * arrival whose time has passed is late even before the list is read again. */
function statusOf(r) {
  const op = state.pending.get(r.id);
  if (op && op.body.state) return op.body.state !== 'expected' ? op.body.state : r.status === 'own' ? 'own' : waitingOrLate(r);
  if (op) return 'changed';
  return r.status === 'waiting' ? waitingOrLate(r) : r.status;
}

function waitingOrLate(r) {
  return r.at && Date.parse(r.at) < Date.now() ? 'late' : 'waiting';
}

function inFilter(st) {
  if (state.filter === 'todo') return TODO.includes(st);
  if (state.filter === 'done') return st === 'picked_up';
  return true;
}

/** matches finds a row by name, pinyin (initials first), or number. */
function matches(r, q) {
  if (!q) return true;
  const lower = q.toLowerCase();
  return r.name.replace(/\s+/g, '').includes(q) ||
    (r.initials || '').toLowerCase().startsWith(lower) ||
    (r.pinyin || '').toLowerCase().replace(/\s+/g, '').includes(lower) ||
    (r.number || '').toLowerCase().includes(lower);
}

function minutesLate(r) {
  return Math.max(0, Math.round((Date.now() - Date.parse(r.at)) / 60000));
}

/** line is the row's small print: what happened, or what is on its way. */
function line(r, st, op) {
  if (op && op.failed) return h('span', { class: 'line warn' }, ...bi(`未保存（${op.label}），点此重试`, `Not saved (${op.labelEn}) — tap to retry`));
  if (op) return h('span', { class: 'line' }, ...bi(`正在保存：${op.label}`, `Saving: ${op.labelEn}`));
  if (st === 'late') return h('span', { class: 'line bad' }, ...bi(`延误 ${minutesLate(r)} 分钟`, `${minutesLate(r)} min past due`));
  if (st === 'picked_up') {
    return h('span', { class: 'line' }, ...bi(`已接 ${r.state_at ? fmtTime(r.state_at) : ''} ${r.state_by || ''}`, `Picked up by ${r.state_by || '—'}`));
  }
  if (st === 'missed') return h('span', { class: 'line' }, ...bi('未到：不在此航班/车次', 'Not on this flight or train'));
  if (st === 'changed') return h('span', { class: 'line warn' }, ...bi(r.notes || '改签，新时间未定', r.notes ? 'Rebooked' : 'Changed; new time not known'));
  if (r.vehicle) return h('span', { class: 'line' }, ...bi(`乘车：${r.vehicle}${r.plate ? ' ' + r.plate : ''}`, 'Vehicle'));
  return null;
}

function item(r) {
  const st = statusOf(r);
  const op = state.pending.get(r.id);
  const cls = ['row', st, op ? 'pending' : '', op && op.failed ? 'failed' : ''].filter(Boolean).join(' ');
  const who = h('button', { type: 'button', class: 'who', onclick: () => (op && op.failed ? send(op) : openSheet(r.id)) },
    h('span', { class: 'when' }, h('b', {}, r.at ? fmtTime(r.at) : '--:--'), ' ', r.number || (MODE[r.mode] || ['', ''])[0]),
    h('span', { class: 'name' }, r.name, r.companions ? h('span', { class: 'plus' }, `+${r.companions}`) : null),
    h('span', { class: 'meta' }, h('i', { class: 'cat' }), [r.category_name, r.delegation].filter(Boolean).join(' · ')),
    line(r, st, op));
  if (r.color) who.style.setProperty('--cat', r.color);
  let act;
  if (op && op.failed) {
    act = h('button', { type: 'button', class: 'act retry', onclick: () => send(op) }, ...bi('重试', 'Retry'));
  } else if (TODO.includes(st)) {
    act = h('button', { type: 'button', class: 'act go', onclick: () => mark(r, 'picked_up') }, ...bi('已接', 'Picked up'));
  } else {
    act = h('button', { type: 'button', class: 'act back', onclick: () => mark(r, 'expected') }, ...bi('撤销', 'Undo'));
  }
  return h('li', { class: cls, dataset: { leg: r.id, status: st } }, who, act);
}

function counts() {
  const c = { todo: 0, done: 0, all: state.rows.length };
  for (const r of state.rows) {
    const st = statusOf(r);
    if (TODO.includes(st)) c.todo++;
    if (st === 'picked_up') c.done++;
  }
  return c;
}

function render() {
  const q = state.q;
  // An unsaved mark keeps its row in sight whatever the filter.
  const unsaved = (r) => { const op = state.pending.get(r.id); return op && op.failed; };
  const shown = state.rows.filter((r) => matches(r, q) && (q || unsaved(r) || inFilter(statusOf(r))));
  $('#list').replaceChildren(...shown.map(item));
  const c = counts();
  for (const b of document.querySelectorAll('#filters button')) {
    b.classList.toggle('on', !q && b.dataset.filter === state.filter);
    b.querySelector('.n').textContent = ' ' + c[b.dataset.filter];
  }
  $('#tally').replaceChildren(...bi(`已接 ${c.done}/${c.all}`, `${c.done} of ${c.all} met`));
  const empty = $('#empty');
  empty.hidden = shown.length > 0 || !state.loaded;
  if (!state.rows.length) empty.replaceChildren(...bi('今天此站没有抵达人员', 'No arrivals at this station today'));
  else if (q) empty.replaceChildren(...bi(`没有找到“${q}”（搜索包括已接）`, `Nobody matches "${q}" (picked up included)`));
  else if (state.filter === 'todo') empty.replaceChildren(...bi('全部接到了', 'Everyone here is met'));
  else empty.replaceChildren(...bi('还没有已接的人员', 'Nobody picked up yet'));
  renderPending();
  if (state.open && !state.form) renderSheet();
}

function renderPending() {
  const failed = [...state.pending.values()].filter((op) => op.failed);
  const bar = $('#pending');
  bar.hidden = failed.length === 0;
  if (!failed.length) return;
  bar.replaceChildren(h('span', {}, ...bi(`${failed.length} 项未保存：网络或服务器不通，恢复后自动重试`, `${failed.length} not saved: no network or server; sent again when it is back`)),
    h('button', { type: 'button', onclick: retryAll }, ...bi('全部重试', 'Retry all')));
}

// ---- sending marks ----

function keepPending() {
  const ops = [...state.pending.values()].map(({ leg, method, path, body, label, labelEn, name }) => ({ leg, method, path, body, label, labelEn, name }));
  if (ops.length) localStorage.setItem(KEEP.pending, JSON.stringify(ops));
  else localStorage.removeItem(KEEP.pending);
}

function restorePending() {
  try {
    for (const op of JSON.parse(localStorage.getItem(KEEP.pending) || '[]')) {
      state.pending.set(op.leg, { ...op, failed: { zh: '尚未保存', en: 'not saved yet' } });
    }
  } catch {
    localStorage.removeItem(KEEP.pending);
  }
}

const LABEL = {
  picked_up: ['已接', 'picked up'],
  missed: ['未到', 'not arrived'],
  changed: ['改签（时间未定）', 'changed, time not known'],
  expected: ['恢复待接', 'back to waiting'],
};

let undoTimer = 0;
function offerUndo(r) {
  const bar = $('#undo');
  bar.replaceChildren(h('span', {}, ...bi(`已接：${r.name}`, 'Picked up')),
    h('button', { type: 'button', onclick: () => { bar.hidden = true; mark(r, 'expected'); } }, ...bi('撤销', 'Undo')));
  bar.hidden = false;
  clearTimeout(undoTimer);
  undoTimer = setTimeout(() => { bar.hidden = true; }, 6000);
}

/** mark records a state for r. */
function mark(r, st, notes = '') {
  const [label, labelEn] = LABEL[st];
  const body = notes ? { state: st, notes } : { state: st };
  closeSheet();
  if (st === 'picked_up') offerUndo(r);
  send({ leg: r.id, method: 'PATCH', path: `/pickup/legs/${r.id}`, body, label, labelEn, name: r.name });
}

/** rebook sends 改签 with a new time. */
function rebook(r, body) {
  closeSheet();
  send({ leg: r.id, method: 'POST', path: `/pickup/legs/${r.id}/rebook`, body,
    label: `改签 ${body.number || ''} ${body.time}`.replace(/\s+/g, ' '), labelEn: `rebooked ${body.time}`, name: r.name });
}

async function send(op) {
  op.failed = null;
  state.pending.set(op.leg, op);
  keepPending();
  render();
  try {
    const row = await call(op.method, op.path, op.body);
    if (state.pending.get(op.leg) === op) state.pending.delete(op.leg);
    keepPending();
    put(row, op.leg);
  } catch (e) {
    if (state.pending.get(op.leg) !== op) return; // a later mark of the same row took over
    if (e instanceof Unreachable || e.status >= 500) {
      // The row and the bar at the top say so until it is sent.
      op.failed = { zh: e.zh, en: e.en };
      keepPending();
      $('#undo').hidden = true;
    } else {
      state.pending.delete(op.leg);
      keepPending();
      fail(e);
      if (e.code === 'leg_changed' || e.status === 404) load();
    }
  }
  render();
}

let retrying = false;
async function retryAll() {
  if (retrying) return;
  retrying = true;
  try {
    for (const op of [...state.pending.values()]) {
      if (op.failed) await send(op);
    }
  } finally {
    retrying = false;
  }
}

/** put puts the server's answer for leg old in the list (a rebooking
 * answers a new leg, which may belong to another day). */
function put(row, old) {
  const i = state.rows.findIndex((x) => x.id === old);
  const here = row.station_id === state.station && row.on_date === state.date && !row.cancelled_at;
  if (i >= 0 && here) state.rows[i] = row;
  else if (i >= 0) state.rows.splice(i, 1);
  else if (here) state.rows.push(row);
  state.rows.sort((a, b) => (a.at ? Date.parse(a.at) : Infinity) - (b.at ? Date.parse(b.at) : Infinity) || a.id - b.id);
}

// ---- the sheet: one person, every action ----

function rowById(id) { return state.rows.find((r) => r.id === id); }

function openSheet(id) {
  state.open = id;
  $('#undo').hidden = true;
  renderSheet();
}

function closeSheet() {
  state.open = 0;
  state.form = false;
  $('#sheet').hidden = true;
  document.body.classList.remove('sheet-open');
}

function renderSheet(form = false) {
  const r = rowById(state.open);
  if (!r) return closeSheet();
  state.form = form;
  const st = statusOf(r);
  const sheet = $('#sheet');
  const facts = [
    [r.number || (MODE[r.mode] || ['—'])[0], r.at ? fmtTime(r.at) : '时间未定'].join(' · '),
    r.companions ? `随行 ${r.companions} 人 · ${r.companions} with them` : '',
    r.vehicle ? `乘车 ${r.vehicle}${r.plate ? ' ' + r.plate : ''}` : '',
    r.notes || '',
  ].filter(Boolean);
  const head = [
    h('button', { type: 'button', class: 'close', 'aria-label': '关闭 Close', onclick: closeSheet }, '×'),
    h('h2', {}, r.name, r.companions ? h('span', { class: 'plus' }, `+${r.companions}`) : null),
    h('p', { class: 'org' }, [r.organization, r.category_name, r.delegation].filter(Boolean).join(' · ')),
    h('p', { class: 'state ' + st }, ...bi(STATUS[st][0], STATUS[st][1])),
    h('ul', { class: 'facts' }, facts.map((f) => h('li', {}, f))),
  ];
  const acts = form ? rebookForm(r) : h('div', { class: 'acts' },
    st !== 'picked_up' && h('button', { type: 'button', class: 'go', onclick: () => mark(r, 'picked_up') }, ...bi('已接', 'Picked up')),
    st !== 'missed' && h('button', { type: 'button', class: 'miss', onclick: () => mark(r, 'missed') }, ...bi('未到', 'Not on this flight')),
    h('button', { type: 'button', class: 'change', onclick: () => renderSheet(true) }, ...bi('改签…', 'New flight or time…')),
    !TODO.includes(st) || st === 'changed' ? h('button', { type: 'button', class: 'back', onclick: () => mark(r, 'expected') }, ...bi('恢复待接', 'Back to waiting')) : null);
  sheet.replaceChildren(h('div', { class: 'panel' }, ...head, acts));
  sheet.hidden = false;
  document.body.classList.add('sheet-open');
}

function addDays(day, n) {
  const t = new Date(day + 'T12:00:00Z');
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

/** rebookForm asks for the new flight or train and time. */
function rebookForm(r) {
  const days = [0, 1, 2].map((n) => addDays(state.date, n));
  const dayWords = [['今天', 'Today'], ['明天', 'Tomorrow'], ['后天', 'Day after']];
  const form = h('form', { class: 'rebook' },
    h('label', {}, ...bi('新航班/车次', 'New flight or train'),
      h('input', { name: 'number', value: r.number || '', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' })),
    h('fieldset', { class: 'days' }, h('legend', {}, ...bi('日期', 'Day')),
      days.map((d, i) => h('label', {}, h('input', { type: 'radio', name: 'day', value: d, checked: i === 0 }), ...bi(dayWords[i][0], dayWords[i][1])))),
    h('label', {}, ...bi('新抵达时间', 'New arrival time'), h('input', { name: 'time', type: 'time', required: true })),
    h('label', {}, ...bi('原因（可不填）', 'Reason (optional)'), h('input', { name: 'reason', maxlength: 200, autocomplete: 'off' })),
    h('p', { class: 'err', role: 'alert' }),
    h('div', { class: 'acts' },
      h('button', { type: 'submit', class: 'go' }, ...bi('确定改签', 'Rebook')),
      h('button', { type: 'button', class: 'change', onclick: () => mark(r, 'changed', field('reason').value.trim()) },
        ...bi('已改签，时间未定', 'Changed, time not known')),
      h('button', { type: 'button', class: 'back', onclick: () => renderSheet(false) }, ...bi('返回', 'Back'))));
  const field = (n) => form.elements.namedItem(n);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const time = field('time').value;
    if (!/^\d\d:\d\d$/.test(time)) {
      form.querySelector('.err').replaceChildren(...bi('请填写新抵达时间', 'Enter the new arrival time'));
      field('time').focus();
      return;
    }
    const day = form.querySelector('input[name=day]:checked').value;
    rebook(r, { on_date: day, time, number: field('number').value.trim(), reason: field('reason').value.trim() });
  });
  return form;
}

// ---- stations and the list ----

async function chooseStation(note) {
  let list;
  try {
    list = await call('GET', '/pickup/stations');
  } catch (e) {
    return fail(e);
  }
  state.stations = list;
  const box = $('#overlay');
  const pick = (s) => {
    state.station = s.id;
    localStorage.setItem(KEEP.station, String(s.id));
    box.hidden = true;
    state.rows = [];
    state.loaded = false;
    load();
  };
  box.replaceChildren(h('div', { class: 'choose' },
    h('h1', {}, ...bi('您在哪个站点接站？', 'Which station are you at?')),
    note ? h('p', { class: 'note' }, ...bi(note[0], note[1])) : null,
    list.length ? h('ul', { class: 'stations' }, list.map((s) => h('li', {},
      h('button', { type: 'button', class: s.id === state.station ? 'on' : '', dataset: { station: s.id }, onclick: () => pick(s) },
        h('b', {}, s.name), s.name_en ? h('span', { class: 'en' }, s.name_en) : null,
        h('span', { class: 'n' }, ...bi(`今日抵达 ${s.arrivals} 人，待接 ${s.waiting}`, `${s.arrivals} today, ${s.waiting} waiting`))))))
      : h('p', {}, ...bi('还没有站点：导入名单的抵达信息或在会务组页面添加后再来。', 'No stations yet: they come with the list\'s arrival data or from the logistics page.')),
    state.station && list.some((s) => s.id === state.station) ? h('button', { type: 'button', class: 'plain', onclick: () => { box.hidden = true; } }, ...bi('取消', 'Cancel')) : null));
  box.hidden = false;
}

function showStation(s) {
  $('#station-name').replaceChildren(s.name, h('span', { class: 'en' }, `${fmtDay(state.date + 'T12:00:00Z')} · 换站点 change`));
}

// loadsAsked numbers the reads of the list: on a slow network a read asked
// earlier can be answered after a later one, and only the latest asked
// may show (an older answer would undo newer marks, or show the station
// the phone has just left).
let loadsAsked = 0;

async function load() {
  if (!state.station) return chooseStation();
  const asked = ++loadsAsked;
  try {
    const r = await call('GET', `/pickup/arrivals?station=${state.station}`);
    if (asked !== loadsAsked) return;
    state.rows = r.rows;
    state.date = r.date;
    state.loaded = true;
    state.loads++;
    document.body.dataset.state = 'ready';
    showStation(r.station);
  } catch (e) {
    if (asked !== loadsAsked) return;
    if (e.status === 404) {
      localStorage.removeItem(KEEP.station);
      state.station = 0;
      return chooseStation(['此站点已不存在，请重新选择', 'That station is gone; choose again']);
    }
    if (e instanceof Unreachable) {
      $('#conn').className = 'conn offline';
      return;
    }
    return fail(e);
  }
  render();
}

let soonTimer = 0;
function loadSoon() {
  clearTimeout(soonTimer);
  soonTimer = setTimeout(load, 150);
}

function signIn(zh = '请用会务组或报到处账号登录', en = 'Sign in with a logistics or desk account') {
  document.body.dataset.state = 'signin';
  $('#overlay').replaceChildren(h('div', { class: 'choose signin' },
    h('h1', {}, ...bi('接站', 'Pickup')),
    h('p', {}, ...bi(zh, en)),
    h('a', { class: 'button', href: '/login?next=/pickup' }, ...bi('登录', 'Sign in'))));
  $('#overlay').hidden = false;
}

async function start() {
  const me = await staffOnly({
    out: () => signIn(),
    failed: fail,
    refused: (who) => {
      signIn(`当前账号（${who.name}）不能接站，请换用会务组或报到处账号`, `This account (${who.login || who.name}) cannot do pickups; use a logistics or desk account`);
      $('#overlay .button').addEventListener('click', (ev) => {
        ev.preventDefault();
        signOutTo('/pickup');
      });
    },
  });
  if (!me) return;
  try {
    const ev = await call('GET', '/event');
    setZone(ev.timezone);
  } catch { /* times fall back to the default zone */ }
  restorePending();
  await load();
  new Live(['logistics'], {
    snapshot: loadSoon,
    delta: loadSoon,
    status: (s) => {
      $('#conn').className = 'conn ' + s;
      if (s === 'live') retryAll();
    },
  });
  window.addEventListener('online', retryAll);
  setInterval(() => { if (state.pending.size) retryAll(); }, 20000);
  setInterval(render, 30000); // late as the clock passes their time
}

// ---- controls ----

$('#q').addEventListener('input', (ev) => {
  state.q = ev.target.value.trim().replace(/\s+/g, '');
  render();
});
$('#filters').addEventListener('click', (ev) => {
  const b = ev.target.closest('button');
  if (!b) return;
  state.filter = b.dataset.filter;
  state.q = '';
  $('#q').value = '';
  render();
});
$('#station-btn').addEventListener('click', () => chooseStation());
$('#sheet').addEventListener('click', (ev) => { if (ev.target.id === 'sheet') closeSheet(); });

start();

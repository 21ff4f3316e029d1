// screen.js — the lobby guidance screen (/screen): per session 应到 / 实到 /
// 请假 / 缺席 with the quorum line and the chair's sentence, rotating
// through the sessions of the day; the agenda now and next; directions.
// Counts only: nothing personal is ever shown here. 切换场次 holds the
// screen on one session (kept on this device; ?session=ID does the same
// and wins) or sets it rotating again; ?rotate=SECONDS sets the pace
// (default 12).
import { call } from '/static/common/api.js';
import { h, fmtTime, when, setZone } from '/static/common/dom.js';
import { Live, needSignIn } from '/static/usher/live.js';
import { Choice, isNoEvent, showPicker, showNoEvent, hideOverlay, overlayShown, watchEvent } from '/static/common/pick.js';

const params = new URLSearchParams(location.search);
const ROTATE_MS = Math.max(3, Number(params.get('rotate')) || 12) * 1000;
const $ = (s) => document.querySelector(s);

let sessions = [];
let venues = [];
let checkpoints = [];
const counts = new Map(); // session id -> attendance counts
const choice = new Choice('screen.session');
let held = choice.wanted(); // the session the screen is held on, '' to rotate
let showing = held;
let hasEvent = true;
let version; // of the event definition shown, when the server says
let watch = null;

window.screenView = { counts: (id) => counts.get(id), showing: () => showing, held: () => held, rotate: () => rotate() };

// today lists the sessions worth showing now: those whose doors have not
// closed and open within the next 18 hours; failing that, the next ones.
function today() {
  const now = Date.now();
  let list = sessions.filter((s) => Date.parse(s.closes_at) > now && Date.parse(s.opens_at) < now + 18 * 3600e3);
  if (!list.length) list = sessions.filter((s) => Date.parse(s.closes_at) > now).slice(0, 3);
  if (!list.length) list = sessions.slice(-3);
  return list;
}

function rotate() {
  const list = today();
  if (held && sessions.some((s) => s.id === held)) showing = held;
  else if (list.length) {
    const i = list.findIndex((s) => s.id === showing);
    showing = list[(i + 1) % list.length].id;
  }
  renderCard();
  renderStrip();
}

function renderCard() {
  const s = sessions.find((x) => x.id === showing);
  const c = counts.get(showing);
  $('#held').hidden = !(s && s.id === held);
  if (!s) {
    if (!sessions.length) {
      $('#s-name').replaceChildren('暂无场次', h('span', { class: 'en' }, 'No sessions yet'));
      $('#s-when').textContent = '请在报到处 /desk 的“会议设置”中添加场次 · The desk adds sessions at /desk';
    }
    return;
  }
  $('#s-name').textContent = s.name;
  $('#s-when').textContent = `${when(s)} · ${s.venue}`;
  const set = (id, v) => { $(id).textContent = v == null ? '—' : v; };
  // Before the start those not here yet are 未到, neutral; from the start
  // (or the close, by the session's rule), 缺席 in red (docs/counts.md).
  const started = !!(c && c.absent_counted);
  set('#f-expected', c && c.expected);
  set('#f-present', c && c.present);
  set('#f-leave', c && c.on_leave);
  set('#f-absent', c && (started ? c.absent : c.not_yet));
  set('#f-left', c && c.left);
  $('#l-absent').replaceChildren(started ? '缺席' : '未到', h('span', { class: 'en' }, started ? 'Absent' : 'Not yet'));
  $('#fig-rest').classList.toggle('absent', started);
  $('#basis').textContent = c ? c.basis.zh : '';
  $('#basis-en').textContent = c ? c.basis.en : '';
  const q = c && c.quorum;
  if (q && q.base_count > 0) {
    $('#q-fill').style.width = Math.min(100, (100 * c.present) / q.base_count) + '%';
    $('#q-line').style.left = `calc(${(100 * q.required) / q.base_count}% - 2px)`;
    $('#q-label').textContent = `法定人数 ${q.required}`;
    $('#q-text').className = 'q-text ' + (q.met ? 'met' : 'unmet');
    $('#q-text').textContent = q.met
      ? `已达法定人数（${q.ratio}）· Quorum present`
      : `尚差 ${q.required - c.present} 人达到法定人数（${q.ratio}）· ${q.required - c.present} more for a quorum`;
  } else {
    $('#q-fill').style.width = '0';
    $('#q-label').textContent = '';
    $('#q-text').textContent = '';
  }
  $('#statement').textContent = c ? c.statement : '';
  $('#statement-en').textContent = c ? c.statement_en : '';
  const dots = $('#dots');
  dots.replaceChildren(...today().map((x) => h('li', { class: x.id === showing ? 'on' : '' })));
}

function renderStrip() {
  $('#strip').replaceChildren(...today().map((s) => {
    const c = counts.get(s.id);
    const met = c && c.quorum && c.quorum.met;
    return h('div', { class: 's' + (s.id === showing ? ' on' : ''), 'data-session': s.id },
      h('div', {}, s.name),
      h('span', { class: 'lbl' }, '实到 '), h('b', { class: 'present' }, c ? String(c.present) : '—'),
      h('span', { class: 'lbl' }, ' / 应到 '), h('span', { class: 'expected' }, c ? String(c.expected) : '—'),
      ' ', h('span', { class: met ? 'met' : 'unmet' }, c ? (met ? '✓ 法定人数' : '未足法定人数') : ''));
  }));
}

// phaseOf is the session's phase as the server last counted it, else as
// the clock says: 'upcoming', 'open' (doors open), 'in_progress' (进行中,
// between the start and the end), 'ended' or 'closed'.
function phaseOf(s, now = Date.now()) {
  const c = counts.get(s.id);
  if (c && c.phase) return c.phase;
  if (now < Date.parse(s.opens_at)) return 'upcoming';
  if (now < Date.parse(s.starts_at)) return 'open';
  if (now < Date.parse(s.ends_at)) return 'in_progress';
  return now < Date.parse(s.closes_at) ? 'ended' : 'closed';
}

const AGENDA_TAGS = { in_progress: ['进行中 Now', 'now'], open: ['入场中 Doors open', 'open'], ended: ['已散会 Ended', 'ended'] };

function renderAgenda() {
  const now = Date.now();
  const open = sessions.filter((s) => ['open', 'in_progress', 'ended'].includes(phaseOf(s, now)));
  const later = sessions.filter((s) => phaseOf(s, now) === 'upcoming');
  const first = later.length ? later[0].starts_at : null;
  const next = later.filter((s) => s.starts_at === first);
  const item = (s, [tag, cls]) => h('div', { class: 'item', 'data-session': s.id },
    h('div', {}, h('span', { class: 'tag ' + cls }, tag), h('span', { class: 'name' }, s.name)),
    h('div', { class: 'meta' }, `${when(s)} · ${s.venue}`, doorsFor(s.venue_id)));
  const box = $('#agenda');
  box.replaceChildren(...open.map((s) => item(s, AGENDA_TAGS[phaseOf(s, now)])), ...next.map((s) => item(s, ['下一场 Next', 'next'])));
  if (!box.children.length) box.append(h('div', { class: 'item' }, '今日议程已结束 No more sessions today'));
}

function doorsFor(venueID) {
  const ds = checkpoints.filter((c) => c.venue_id === venueID && c.kind === 'entrance' && c.door).map((c) => c.door);
  return ds.length ? ` · 请走${ds.join('、')}` : '';
}

// Directions come from the venues and their checkpoints: where each hall,
// group room and dining hall is entered.
function renderDirections() {
  const what = (v) => {
    const held = sessions.filter((s) => s.venue_id === v.code && Date.parse(s.closes_at) > Date.now());
    const groups = [...new Set(held.map((s) => s.group).filter(Boolean))];
    if (groups.length) return groups.join('、') + ' 分组讨论';
    return { hall: '全体会议 Plenary', room: '会议室 Meeting room', dining: '用餐 Dining', hotel: '住宿 Lodging' }[v.kind] || '';
  };
  $('#directions').replaceChildren(...venues.map((v) => {
    const doors = checkpoints.filter((c) => c.venue_id === v.code && c.door && c.kind !== 'exit').map((c) => c.door);
    const shown = doors.length ? [...new Set(doors)] : v.doors;
    return h('li', {}, h('span', { class: 'place' }, v.name, h('span', { class: 'what' }, what(v))),
      h('span', { class: 'doors' }, shown.join(' · ')));
  }));
}

async function load() {
  let ev;
  try {
    ev = await call('GET', '/event');
  } catch (e) {
    if (!isNoEvent(e)) throw e;
    hasEvent = false;
    sessions = [];
    showNoEvent();
    return;
  }
  const [ss, vs, cps] = await Promise.all([call('GET', '/sessions'), call('GET', '/venues'), call('GET', '/checkpoints')]);
  hasEvent = true;
  if (overlayShown() === 'noevent') hideOverlay();
  setZone(ev.timezone);
  version = ev.version;
  if (watch) watch.loaded(version);
  $('#event').textContent = ev.name;
  sessions = ss || [];
  venues = vs || [];
  checkpoints = cps || [];
  if (held && !sessions.some((s) => s.id === held)) hold(''); // the held session was removed
  else if (held) choice.keep(held); // ?session= given: kept as this screen's choice
  if (!sessions.some((s) => s.id === showing)) showing = held || (today()[0] || {}).id || '';
  renderAgenda();
  renderDirections();
  renderCard();
  renderStrip();
  if (overlayShown() === 'picker') pick();
}

/** hold keeps the screen on session id ('' rotates again), on this device. */
function hold(id) {
  held = id;
  choice.keep(id);
  if (id) showing = id;
  renderCard();
  renderStrip();
}

/** pick offers the sessions to hold the screen on, or rotating again. */
function pick() {
  showPicker({
    sessions, current: held,
    title: ['导引屏显示哪个场次', 'Which session this screen shows'],
    lead: { zh: '轮播今日场次', en: "Rotate through today's sessions", on: !held,
      sub: `每 ${ROTATE_MS / 1000} 秒换一场 · every ${ROTATE_MS / 1000} s` },
    onPick: (id) => { hideOverlay(); hold(id); },
    onClose: () => {},
  });
}

function tick() {
  $('#clock').textContent = fmtTime(Date.now());
}

async function start() {
  try {
    await load();
  } catch (e) {
    if (e.status === 401) return needSignIn('导引屏', 'screen');
    setTimeout(start, 5000); // the server may be restarting: try again
    return;
  }
  tick();
  setInterval(tick, 10e3);
  setInterval(renderAgenda, 30e3);
  setInterval(() => load().catch(() => {}), 5 * 60e3);
  if (!showing && today().length) showing = today()[0].id;
  renderCard();
  renderStrip();
  setInterval(rotate, ROTATE_MS);
  $('#change').addEventListener('click', () => { if (hasEvent) pick(); });
  // A change of the event definition (a session's window moved, a door
  // changed, sessions added or removed): fetch it all again, no reload.
  watch = watchEvent(() => load(), () => hasEvent);
  if (hasEvent) watch.loaded(version); // a change before the websocket is up still counts
  window.screenView.refresh = watch.refresh;
  window.screenView.live = new Live(['attendance'], {
    snapshot: (_, d) => {
      counts.clear();
      for (const c of d.sessions || []) counts.set(c.session_id, c);
      renderCard();
      renderStrip();
      renderAgenda();
    },
    delta: (_, c) => {
      const was = counts.get(c.session_id);
      counts.set(c.session_id, c);
      if (c.session_id === showing) renderCard();
      renderStrip();
      if (!was || was.phase !== c.phase) renderAgenda(); // a session started or ended
    },
    status: (st) => { $('#conn').className = 'conn ' + st; },
  });
}
start();

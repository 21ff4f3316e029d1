// usher.js — the usher's live seat map of one session: who has arrived,
// who is missing, who is on leave; VIP arrivals stand out; filter to a
// section; search a name and its seat lights up. A room without a seat map
// shows its list of people instead. The session comes from ?session=ID,
// else the one this tablet last showed, else a list to choose from (halls
// with seats first); 切换场次 changes it while running.
//
// Two kinds of figures, labelled apart (docs/counts.md): the session's
// 应到 / 实到 / 请假 / 未到 or 缺席 / 离场 from the attendance feed, over the
// categories that count; and the seats of the map (座位, everyone seated,
// 列席 included), never called 应到.
import { call } from '/static/common/api.js';
import { h, fmtTime, when } from '/static/common/dom.js';
import { Live, needSignIn } from './live.js';
import { SeatMap, COLORS, shown, paintVars } from './map.js';
import { Perf } from './perf.js';
import { FacePanel } from './faces.js';
import { loadEvent, Choice, showPicker, showNoEvent, hideOverlay, overlayShown, watchEvent, hasSeatMap } from '/static/common/pick.js';

const VIP_RANK = 32; // presidium, or among the first 32 of the published list
const params = new URLSearchParams(location.search);
const choice = new Choice('usher.session');
let sessionID = '';
const $ = (s) => document.querySelector(s);

paintVars(document.documentElement);
const map = new SeatMap($('#seats'), $('#overlay'));
const perf = new Perf();
// 刷脸 alerts and the door's recent scans with photos (issue 15.3–15.4).
const faces = new FacePanel($('#face-alerts'), $('#recent-box'));
window.usherPerf = perf;
let section = params.get('section') || '';
let byAttendee = new Map(); // attendee id -> label
let counts = null; // the session's counts from the attendance feed
let roster = null; // the list of a room without a seat map: {counts, people}
const fresh = new Set(); // VIPs whose arrival this page saw happen

/** usher is what tests (and a curious engineer at the console) can read. */
window.usher = {
  seat: (label) => map.seats.get(label),
  seatOf: (id) => byAttendee.get(id),
  count: () => map.seats.size,
  session: () => sessionID,
  lastChange: null,
  /** shownState is the state a seat is drawn in (缺席 is 'absent'). */
  shownState: (label) => { const s = map.seats.get(label); return s ? shown(s, map.started) : ''; },
  /** shown is the fill colour of a seat state as drawn now. */
  shown: (state) => COLORS[state === 'assigned' && map.started ? 'absent' : state][0],
  showsNames: () => map.names,
  seatSize: () => [map.w, map.h],
  counts: () => counts,
  faces: faces.state,
};

function isVIP(s) { return s.section === 'presidium' || (s.rank > 0 && s.rank <= VIP_RANK); }

function applySnapshot(data) {
  const seats = data.seats || [];
  byAttendee = new Map();
  for (const s of seats) {
    s.vip = isVIP(s);
    if (s.attendee_id) byAttendee.set(s.attendee_id, s.seat);
  }
  map.setSeats(seats);
  buildSections();
  renderCounts();
  renderVIPs();
  showMode();
}

// A delta carries the changed seats whole. One attendee holds one seat per
// session, so a seat given to someone empties the seat they held before.
function applyDelta(data) {
  const t0 = performance.now();
  performance.mark('usher:delta-start');
  const changed = [];
  if ((data.seats || []).length > 200) {
    // A re-arrangement: cheaper and surer to take a fresh snapshot.
    live.resync('seats:' + sessionID);
    return;
  }
  const seated = new Set();
  let vips = false;
  for (const s of data.seats || []) {
    s.vip = isVIP(s);
    const was = map.seats.get(s.seat);
    if (s.attendee_id) {
      seated.add(s.attendee_id);
      const prev = byAttendee.get(s.attendee_id);
      if (prev && prev !== s.seat) vacate(prev, s.attendee_id, changed);
      byAttendee.set(s.attendee_id, s.seat);
    }
    map.seats.set(s.seat, s);
    changed.push(s.seat);
    vips = vips || s.vip || (was && was.vip);
    if (s.state === 'arrived' && (!was || was.state !== 'arrived') && s.vip) {
      map.mark(s.seat, '#d4a017', 8000);
      fresh.add(s.attendee_id);
    }
  }
  // The delta also names everyone it concerns: whoever it gives no seat
  // has lost the one they held.
  for (const id of data.attendees || []) {
    if (seated.has(id)) continue;
    const prev = byAttendee.get(id);
    if (prev) vacate(prev, id, changed);
    byAttendee.delete(id);
  }
  performance.measure('usher:delta', 'usher:delta-start');
  perf.applied(performance.now() - t0);
  if (vips) vipsDirty = true;
  draw(changed);
}

// vacate empties a seat that the attendee no longer holds.
function vacate(label, attendeeID, changed) {
  const p = map.seats.get(label);
  if (!p || p.attendee_id !== attendeeID) return;
  Object.assign(p, { attendee_id: 0, name: '', rank: 0, category: '', vip: false, arrived_at: undefined, leave: false,
    state: p.kind === 'blocked' ? 'blocked' : p.kind === 'reserved' ? 'reserved' : 'vacant' });
  changed.push(label);
}

// draw repaints changed seats on the next animation frame, so deltas that
// arrive within one frame cost one paint and the counts are summed once.
const dirty = new Set();
let vipsDirty = false;
let frame = 0;
function draw(labels) {
  for (const l of labels) dirty.add(l);
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const seats = [...dirty];
    dirty.clear();
    map.update(seats);
    renderCounts();
    if (vipsDirty) renderVIPs();
    vipsDirty = false;
    if (seats.length) window.usher.lastChange = { seats, at: Date.now() };
  });
}

// renderVIPs lists the VIPs: once the session has started, the absent
// first, in red; then the arrivals, latest first, with the time in the
// event's zone; before the start, those not here yet last, in small. It
// reads the seats, so a reload shows everyone who came before it.
function renderVIPs() {
  const vips = [...map.seats.values()].filter((s) => s.vip && s.attendee_id);
  const missing = vips.filter((s) => s.state === 'assigned').sort((a, b) => (a.rank || 1e9) - (b.rank || 1e9));
  const came = vips.filter((s) => s.state === 'arrived' || s.state === 'left')
    .sort((a, b) => String(b.arrived_at || '').localeCompare(String(a.arrived_at || '')));
  $('#vip-n').textContent = `${vips.filter((s) => s.state === 'arrived').length}/${vips.length}`;
  const absent = map.started;
  const sub = (zh, en, n) => h('li', { class: 'sub' }, `${zh} ${n} 人`, h('span', { class: 'en' }, en));
  const miss = missing.map((s) => h('li', { class: absent ? 'absent' : 'notyet', onclick: () => showSeat(s) },
    h('b', {}, s.name), ` ${s.seat}`, absent ? h('small', {}, ' 缺席') : null));
  const arrivals = came.map((s) => h('li', { class: 'arrived' + (fresh.has(s.attendee_id) ? ' vip-new' : '') + (s.state === 'left' ? ' left' : ''),
    onclick: () => showSeat(s) },
  h('b', {}, s.name), ` ${s.seat} `, s.state === 'left' ? '离场 ' : '', h('small', {}, s.arrived_at ? fmtTime(s.arrived_at) : '')));
  const parts = absent
    ? [missing.length ? sub('缺席', 'absent', missing.length) : null, ...miss, ...arrivals]
    : [...arrivals, missing.length ? sub('未到', 'not here yet', missing.length) : null, ...miss];
  $('#vip').replaceChildren(...parts.filter(Boolean));
  fresh.clear();
}

function sectionName(code) {
  return code === 'presidium' ? '主席台' : code + '区';
}

function sectionsInOrder() {
  const codes = [...new Set([...map.seats.values()].map((s) => s.section))];
  return codes.sort((a, b) => (a === 'presidium' ? -1 : b === 'presidium' ? 1 : a.localeCompare(b)));
}

function buildSections() {
  const bar = $('#sections');
  bar.replaceChildren();
  if (!map.seats.size) return;
  const btn = (code, label) => h('button', { 'data-section': code, onclick: () => pick(code),
    title: '已到 / 座位人数 · arrived / seated' }, label, h('span', { class: 'n' }));
  bar.append(btn('', '全部 All'));
  for (const c of sectionsInOrder()) bar.append(btn(c, sectionName(c)));
  pick(section);
}

function pick(code) {
  section = code;
  for (const b of document.querySelectorAll('#sections button')) b.classList.toggle('on', b.dataset.section === code);
  $('#seat-scope').textContent = code ? sectionName(code) : '全部';
  map.zoom = 1; // a new view starts whole
  $('#zoom-in').disabled = false;
  $('#zoom-out').disabled = true;
  map.show(code ? (s) => s.section === code : () => true);
  renderCounts();
}

// Per-section seat figures: people seated there, and of them arrived (in
// the hall now), not yet or absent, on leave, left; empty seats apart.
function seatFigures() {
  const by = {};
  const add = (k, s) => {
    const c = by[k] || (by[k] = { seated: 0, arrived: 0, missing: 0, leave: 0, left: 0, vacant: 0 });
    if (!s.attendee_id) {
      if (s.state === 'vacant') c.vacant++;
      return;
    }
    c.seated++;
    if (s.state === 'arrived') c.arrived++;
    else if (s.state === 'left') c.left++;
    else if (s.state === 'on_leave') c.leave++;
    else c.missing++;
  };
  for (const s of map.seats.values()) { add(s.section, s); add('', s); }
  return by;
}

// listFigures are the same over a room's list of people.
function listFigures() {
  const c = { seated: 0, arrived: 0, missing: 0, leave: 0, left: 0, vacant: 0 };
  for (const p of roster ? roster.people : []) {
    c.seated++;
    if (p.state === 'present') c.arrived++;
    else if (p.state === 'left') c.left++;
    else if (p.state === 'on_leave') c.leave++;
    else c.missing++;
  }
  return c;
}

function renderCounts() {
  const list = mode === 'list';
  let c;
  if (list) c = listFigures();
  else {
    const by = seatFigures();
    for (const b of document.querySelectorAll('#sections button')) {
      const x = by[b.dataset.section] || { seated: 0, arrived: 0 };
      b.querySelector('.n').textContent = ` ${x.arrived}/${x.seated}`;
    }
    c = by[section] || { seated: 0, arrived: 0, missing: 0, leave: 0, left: 0, vacant: 0 };
  }
  $('#c-seated').textContent = c.seated;
  $('#c-arrived').textContent = c.arrived;
  $('#c-missing').textContent = c.missing;
  $('#c-leave').textContent = c.leave;
  $('#c-left').textContent = c.left;
  $('#c-vacant').textContent = c.vacant;
}

// renderSession shows the session's figures as every page counts them,
// and switches 未到 to 缺席 when the session starts.
function renderSession() {
  const c = counts;
  const set = (id, v) => { $(id).textContent = v == null ? '—' : String(v); };
  set('#sc-expected', c && c.expected);
  set('#sc-present', c && c.present);
  set('#sc-leave', c && c.on_leave);
  set('#sc-rest', c && (c.absent_counted ? c.absent : c.not_yet));
  set('#sc-left', c && c.left);
  $('#basis').textContent = c ? c.basis.zh : '';
  $('#basis-en').textContent = c ? c.basis.en : '';
  // started: those not in are 缺席 by now (from the start, or the close by
  // the session's rule; docs/counts.md).
  const started = !!(c && c.absent_counted);
  $('#sl-rest').textContent = started ? '缺席' : '未到';
  $('#sc-rest').parentElement.classList.toggle('absent', started);
  $('#l-missing').textContent = started ? '缺席' : '未到';
  $('#l-missing-en').textContent = started ? 'absent' : 'not yet';
  document.body.classList.toggle('started', started);
  $('#legend-missing').textContent = started ? '缺席 absent' : '未到 not yet';
  if (started !== map.started) {
    map.setStarted(started);
    renderVIPs();
    if (mode === 'list') renderRoster();
  }
}

// mode is 'map' for a hall with seats, 'list' for a room without.
let mode = 'map';
function showMode() {
  const s = data.sessions.find((x) => x.id === sessionID);
  const list = !!s && (!hasSeatMap(s, data.venues) || (seatsLoaded && map.seats.size === 0));
  mode = list ? 'list' : 'map';
  document.body.classList.toggle('list-mode', list);
  $('#roster-box').hidden = !list;
  $('#vip-box').hidden = list;
  $('#seat-title').textContent = list ? '名单' : '座位';
  $('#seat-title-en').textContent = list ? 'List (every category)' : 'Seats (every category seated)';
  if (list && !roster) loadRoster();
  renderCounts();
}
let seatsLoaded = false;

// The list of a room without a seat map, fetched again (at most once a
// second) when its counts move.
let rosterTimer = 0;
function rosterSoon() {
  if (rosterTimer) return;
  rosterTimer = setTimeout(() => { rosterTimer = 0; loadRoster(); }, 800);
}

async function loadRoster() {
  const id = sessionID;
  try {
    const r = await call('GET', `/sessions/${encodeURIComponent(id)}/roster`);
    if (id !== sessionID) return;
    roster = r;
    renderRoster();
    renderCounts();
  } catch (e) {
    if (e.status === 401) return signIn();
    $('#roster').replaceChildren(h('li', { class: 'note' }, (e.zh || '') + ' ', h('span', { class: 'en' }, e.message)));
  }
}

const ORDER = { absent: 0, not_yet: 0, on_leave: 1, left: 2, present: 3 };
const STATE_WORDS = { present: ['已到', 'in'], left: ['离场', 'left'], on_leave: ['请假', 'on leave'],
  not_yet: ['未到', 'not yet'], absent: ['缺席', 'absent'] };

function renderRoster() {
  if (!roster) return;
  const q = $('#q').value.trim();
  const people = roster.people.filter((p) => !q || p.name.includes(q))
    .sort((a, b) => ORDER[a.state] - ORDER[b.state]);
  $('#roster').replaceChildren(...people.map((p) => {
    const [zh, en] = STATE_WORDS[p.state];
    return h('li', { class: 'r-' + p.state + (p.counted ? '' : ' uncounted'), 'data-state': p.state },
      h('i', { class: 'sw' }), h('b', {}, p.name),
      h('span', { class: 'state' }, zh, h('span', { class: 'en' }, en)),
      p.leave && (p.state === 'present' || p.state === 'left') ? h('span', { class: 'tag' }, '请假已销') : null,
      p.counted ? null : h('span', { class: 'tag' }, '不计人数'),
      h('small', {}, p.arrived_at ? fmtTime(p.arrived_at) : ''));
  }));
}

function search(q) {
  if (mode === 'list') { renderRoster(); return; }
  map.clearMarks('#0057d9');
  const out = $('#results');
  out.replaceChildren();
  q = q.trim();
  if (!q) return;
  const hits = [...map.seats.values()].filter((s) => s.seat === q.toUpperCase() || (s.name && s.name.includes(q))).slice(0, 12);
  if (!hits.length) { out.append(h('li', {}, '未找到 Not found')); return; }
  if (section && !hits.some((s) => s.section === section)) pick('');
  for (const s of hits) {
    map.mark(s.seat, '#0057d9', 0);
    out.append(h('li', { onclick: () => showSeat(s) }, h('b', {}, s.name || '（空位）'), ' ', s.seat, ' ', stateWord(s)));
  }
  if (hits.length === 1) showSeat(hits[0]);
}

const WORDS = { vacant: '空位 empty seat', assigned: '未到 not yet', absent: '缺席 absent', arrived: '已到 in', left: '离场 left',
  on_leave: '请假 on leave', blocked: '停用 blocked', reserved: '预留 reserved' };
function stateWord(s) { return WORDS[shown(s, map.started)] || s.state; }

function showSeat(s) {
  const d = $('#detail');
  d.replaceChildren(h('div', { class: 'seat-label' }, s.seat),
    h('div', { class: 'seat-name' }, s.name || '（空位 empty seat）'),
    h('div', { class: 'seat-state st-' + shown(s, map.started) }, stateWord(s)),
    s.arrived_at ? h('div', {}, `到场 ${fmtTime(s.arrived_at)}`, h('span', { class: 'en' }, 'arrived')) : null,
    s.leave && s.arrived_at ? h('div', {}, '请假已销', h('span', { class: 'en' }, 'came despite leave')) : null,
    s.door ? h('div', {}, '就近入口 Door: ' + s.door) : null);
}

$('#q').addEventListener('input', (e) => search(e.target.value));
$('#seats').parentElement.addEventListener('click', (e) => {
  const r = $('#seats').getBoundingClientRect();
  const s = map.seatAt(e.clientX - r.left, e.clientY - r.top);
  if (s) showSeat(s);
});
window.addEventListener('resize', () => map.layout());
const ZOOMS = [1, 1.5, 2, 3];
function zoomBy(step) {
  const i = Math.max(0, Math.min(ZOOMS.length - 1, ZOOMS.indexOf(map.zoom) + step));
  map.setZoom(ZOOMS[i]);
  $('#zoom-in').disabled = i === ZOOMS.length - 1;
  $('#zoom-out').disabled = i === 0;
}
$('#zoom-in').addEventListener('click', () => zoomBy(1));
$('#zoom-out').addEventListener('click', () => zoomBy(-1));
$('#zoom-out').disabled = true;

let live = null;
let data = { event: null, sessions: [], venues: [] }; // what the server has, as last fetched
let watch = null;

let dead = false; // an error or the sign-in prompt has replaced the page

function fatal(e) {
  dead = true;
  faces.close();
  if (live) live.close();
  hideOverlay();
  document.body.replaceChildren(h('p', { class: 'fatal' }, e.zh || String(e), h('span', { class: 'en' }, e.message)));
}

async function fetchEvent() {
  data = await loadEvent({ venues: true });
  if (watch && data.event) watch.loaded(data.event.version);
}

/** pickSession lays the list of sessions over the map. */
function pickSession(notice) {
  showPicker({
    sessions: data.sessions, venues: data.venues, current: sessionID, notice, seatMap: true,
    title: ['选择场次 · 座位图', 'Choose a session · Seat map'],
    onPick: (id) => open(id),
    onClose: sessionID ? () => {} : null,
  });
}

function showSession(s) {
  faces.setVenue(s.venue_id || '');
  $('#title').textContent = s.name;
  $('#venue').textContent = `${s.venue} · ${when(s)}`;
  document.title = `${s.name} · 座位图 Usher seat map`;
  $('#empty').replaceChildren(...(hasSeatMap(s, data.venues)
    ? ['本场次的会场没有座位图', h('span', { class: 'en' }, "This session's venue has no seat map")]
    : ['本场次的会场不是大会堂，没有座位图', h('span', { class: 'en' }, "This session's venue is not a hall with seats: no seat map")]));
}

/** open shows session id: its map over HTTP first, then live. */
async function open(id) {
  const s = data.sessions.find((x) => x.id === id);
  if (!s) {
    if (sessionID === id) sessionID = '';
    pickSession(id ? ['没有场次“' + id + '”，请重新选择', `There is no session "${id}"; choose one`] : null);
    return;
  }
  hideOverlay();
  choice.keep(id);
  const changed = id !== sessionID;
  if (changed) {
    if (live) live.close();
    live = null;
    if (sessionID) section = ''; // another hall's sections differ
    sessionID = id;
    counts = null;
    roster = null;
    seatsLoaded = false;
    $('#vip').replaceChildren();
    $('#results').replaceChildren();
    $('#roster').replaceChildren();
    $('#q').value = '';
    showSeat0();
    if (byAttendee.size || map.seats.size) applySnapshot({ seats: [] });
  }
  showSession(s);
  showMode();
  renderSession();
  if (!changed && live) return;
  try {
    // The map and the counts over plain HTTP first: they paint before
    // the websocket is up and tell a device without the usher role why
    // it sees nothing.
    const [seats, c] = await Promise.all([call('GET', `/sessions/${encodeURIComponent(id)}/seats`),
      call('GET', `/sessions/${encodeURIComponent(id)}/attendance`)]);
    if (id !== sessionID) return; // another session was chosen meanwhile
    counts = c;
    renderSession();
    seatsLoaded = true;
    applySnapshot({ seats });
  } catch (e) {
    if (e.status === 401) return signIn();
    fatal(e);
    return;
  }
  live = new Live(['seats:' + id, 'attendance'], {
    snapshot: (topic, d) => {
      if (topic === 'attendance') {
        const c = (d.sessions || []).find((x) => x.session_id === sessionID);
        if (c) { counts = c; renderSession(); if (mode === 'list') rosterSoon(); }
        return;
      }
      applySnapshot(d);
    },
    delta: (topic, d) => {
      if (topic === 'attendance') {
        if (d.session_id !== sessionID) return;
        counts = d;
        renderSession();
        if (mode === 'list') rosterSoon();
        return;
      }
      applyDelta(d);
    },
    status: (st) => { $('#conn').className = 'conn ' + st; $('#conn').title = st; },
  });
}

function showSeat0() {
  $('#detail').replaceChildren(h('p', { class: 'hint' }, '点选座位查看 ', h('span', { class: 'en' }, 'Tap a seat for details')));
}

/** show decides what the page shows from what the server has. */
function show() {
  if (!data.event) {
    if (live) live.close();
    live = null;
    sessionID = '';
    showNoEvent();
    return;
  }
  if (overlayShown() === 'noevent') hideOverlay();
  if (sessionID) {
    const s = data.sessions.find((x) => x.id === sessionID);
    if (!s) {
      if (live) live.close();
      live = null;
      const gone = sessionID;
      sessionID = '';
      applySnapshot({ seats: [] });
      pickSession(['场次“' + gone + '”已被取消，请重新选择', `The session "${gone}" was removed; choose another`]);
      return;
    }
    showSession(s);
    if (overlayShown() === 'picker') pickSession();
    // The hall's seats may have moved with the event: take a fresh snapshot.
    if (live) { live.resync('seats:' + sessionID); live.resync('attendance'); }
    if (mode === 'list') loadRoster();
    return;
  }
  const want = choice.wanted();
  if (want && overlayShown() !== 'picker') open(want);
  else pickSession();
}

// refresh follows a change of the event definition: the list, the session
// and its seats again, without a reload.
async function refresh() {
  if (dead) return;
  try {
    await fetchEvent();
  } catch (e) {
    if (e.status === 401) return signIn();
    throw e;
  }
  if (!dead) show();
}

function signIn() {
  dead = true;
  faces.close();
  if (live) live.close();
  hideOverlay();
  needSignIn('引导员平板', 'usher tablet');
}

$('#change').addEventListener('click', () => pickSession());

async function start() {
  try {
    await fetchEvent();
  } catch (e) {
    if (e.status === 401) return signIn();
    fatal(e);
    return;
  }
  watch = watchEvent(refresh, () => !!data.event);
  if (data.event) watch.loaded(data.event.version); // a change before the websocket is up still counts
  window.usher.refresh = watch.refresh;
  faces.start();
  show();
}
start();

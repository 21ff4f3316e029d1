// usher.js — the usher's live seat map of one session: who has arrived,
// who is missing, who is on leave; VIP arrivals stand out; filter to a
// section; search a name and its seat lights up. The session comes from
// ?session=ID, else the one this tablet last showed, else a list to choose
// from (halls with seats first); 切换场次 changes it while running.
import { api, Live, needSignIn, el } from './live.js';
import { SeatMap } from './map.js';
import { Perf } from './perf.js';
import { loadEvent, Choice, showPicker, showNoEvent, hideOverlay, overlayShown, watchEvent, when, hasSeatMap } from '/static/common/pick.js';

const VIP_RANK = 32; // presidium, or among the first 32 of the published list
const params = new URLSearchParams(location.search);
const choice = new Choice('usher.session');
let sessionID = '';
const $ = (s) => document.querySelector(s);

const map = new SeatMap($('#seats'), $('#overlay'));
const perf = new Perf();
window.usherPerf = perf;
let section = params.get('section') || '';
let byAttendee = new Map(); // attendee id -> label

/** usher is what tests (and a curious engineer at the console) can read. */
window.usher = {
  seat: (label) => map.seats.get(label),
  seatOf: (id) => byAttendee.get(id),
  count: () => map.seats.size,
  session: () => sessionID,
  lastChange: null,
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
  $('#empty').hidden = seats.length > 0;
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
    if (s.state === 'arrived' && (!was || was.state !== 'arrived')) arrived(s);
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
  draw(changed);
}

// vacate empties a seat that the attendee no longer holds.
function vacate(label, attendeeID, changed) {
  const p = map.seats.get(label);
  if (!p || p.attendee_id !== attendeeID) return;
  Object.assign(p, { attendee_id: 0, name: '', rank: 0, category: '', vip: false,
    state: p.kind === 'blocked' ? 'blocked' : p.kind === 'reserved' ? 'reserved' : 'vacant' });
  changed.push(label);
}

// draw repaints changed seats on the next animation frame, so deltas that
// arrive within one frame cost one paint and the counts are summed once.
const dirty = new Set();
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
    if (seats.length) window.usher.lastChange = { seats, at: Date.now() };
  });
}

function arrived(s) {
  if (!s.vip) return;
  map.mark(s.seat, '#d4a017', 8000);
  const list = $('#vip');
  const time = new Date().toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' });
  list.prepend(el('li', { class: 'vip-new' }, el('b', {}, s.name), ` ${s.seat} `, el('small', {}, time)));
  while (list.children.length > 6) list.lastChild.remove();
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
  const btn = (code, label) => el('button', { 'data-section': code, onclick: () => pick(code) }, label,
    el('span', { class: 'n' }));
  bar.append(btn('', '全部 All'));
  for (const c of sectionsInOrder()) bar.append(btn(c, sectionName(c)));
  pick(section);
}

function pick(code) {
  section = code;
  for (const b of document.querySelectorAll('#sections button')) b.classList.toggle('on', b.dataset.section === code);
  map.show(code ? (s) => s.section === code : () => true);
}

// Per-section counts: seats assigned (应到 on this map), arrived, on leave.
function renderCounts() {
  const by = {};
  const add = (k, s) => {
    const c = by[k] || (by[k] = { assigned: 0, arrived: 0, leave: 0, left: 0 });
    if (!s.attendee_id) return;
    c.assigned++;
    if (s.state === 'arrived') c.arrived++;
    else if (s.state === 'left') c.left++;
    else if (s.state === 'on_leave') c.leave++;
  };
  for (const s of map.seats.values()) { add(s.section, s); add('', s); }
  for (const b of document.querySelectorAll('#sections button')) {
    const c = by[b.dataset.section] || { assigned: 0, arrived: 0 };
    b.querySelector('.n').textContent = ` ${c.arrived + (c.left || 0)}/${c.assigned}`;
  }
  const c = by[section] || { assigned: 0, arrived: 0, leave: 0, left: 0 };
  $('#c-arrived').textContent = c.arrived;
  $('#c-left').textContent = c.left;
  $('#c-leave').textContent = c.leave;
  $('#c-missing').textContent = c.assigned - c.arrived - c.left - c.leave;
}

function search(q) {
  map.clearMarks('#0057d9');
  const out = $('#results');
  out.replaceChildren();
  q = q.trim();
  if (!q) return;
  const hits = [...map.seats.values()].filter((s) => s.seat === q.toUpperCase() || (s.name && s.name.includes(q))).slice(0, 12);
  if (!hits.length) { out.append(el('li', {}, '未找到 Not found')); return; }
  if (section && !hits.some((s) => s.section === section)) pick('');
  for (const s of hits) {
    map.mark(s.seat, '#0057d9', 0);
    out.append(el('li', { onclick: () => showSeat(s) }, el('b', {}, s.name || '（空位）'), ' ', s.seat, ' ', stateWord(s.state)));
  }
  if (hits.length === 1) showSeat(hits[0]);
}

const WORDS = { vacant: '空位 vacant', assigned: '未到 not arrived', arrived: '已到 arrived', left: '离场 left',
  on_leave: '请假 on leave', blocked: '停用 blocked', reserved: '预留 reserved' };
function stateWord(s) { return WORDS[s] || s; }

function showSeat(s) {
  const d = $('#detail');
  d.replaceChildren(el('div', { class: 'seat-label' }, s.seat),
    el('div', { class: 'seat-name' }, s.name || '（空位 vacant）'),
    el('div', { class: 'seat-state st-' + s.state }, stateWord(s.state)),
    s.door ? el('div', {}, '就近入口 Door: ' + s.door) : null);
}

$('#q').addEventListener('input', (e) => search(e.target.value));
$('#seats').parentElement.addEventListener('click', (e) => {
  const r = $('#seats').getBoundingClientRect();
  const s = map.seatAt(e.clientX - r.left, e.clientY - r.top);
  if (s) showSeat(s);
});
window.addEventListener('resize', () => map.layout());

let live = null;
let data = { event: null, sessions: [], venues: [] }; // what the server has, as last fetched
let tz = 'Asia/Shanghai';
let watch = null;

let dead = false; // an error or the sign-in prompt has replaced the page

function fatal(e) {
  dead = true;
  if (live) live.close();
  hideOverlay();
  document.body.replaceChildren(el('p', { class: 'fatal' }, e.zh || String(e), el('span', { class: 'en' }, e.message)));
}

async function fetchEvent() {
  data = await loadEvent({ venues: true });
  tz = (data.event && data.event.timezone) || tz;
  if (watch && data.event) watch.loaded(data.event.version);
}

/** pickSession lays the list of sessions over the map. */
function pickSession(notice) {
  showPicker({
    sessions: data.sessions, venues: data.venues, tz, current: sessionID, notice, seatMap: true,
    title: ['选择场次 · 座位图', 'Choose a session · Seat map'],
    onPick: (id) => open(id),
    onClose: sessionID ? () => {} : null,
  });
}

function showSession(s) {
  $('#title').textContent = s.name;
  $('#venue').textContent = `${s.venue} · ${when(s, tz)}`;
  document.title = `${s.name} · 座位图 Usher seat map`;
  $('#empty').replaceChildren(...(hasSeatMap(s, data.venues)
    ? ['本场次的会场没有座位图', el('span', { class: 'en' }, "This session's venue has no seat map")]
    : ['本场次的会场不是大会堂，没有座位图', el('span', { class: 'en' }, "This session's venue is not a hall with seats: no seat map")]));
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
    $('#vip').replaceChildren();
    $('#results').replaceChildren();
    $('#q').value = '';
    showSeat0();
    if (byAttendee.size || map.seats.size) applySnapshot({ seats: [] });
  }
  showSession(s);
  if (!changed && live) return;
  try {
    // The map over plain HTTP first: it paints before the websocket is up
    // and tells a device without the usher role why it sees nothing.
    const seats = await api(`/sessions/${encodeURIComponent(id)}/seats`);
    if (id !== sessionID) return; // another session was chosen meanwhile
    applySnapshot({ seats });
  } catch (e) {
    if (e.status === 401) return signIn();
    fatal(e);
    return;
  }
  live = new Live(['seats:' + id], {
    snapshot: (_, d) => applySnapshot(d),
    delta: (_, d) => applyDelta(d),
    status: (st) => { $('#conn').className = 'conn ' + st; $('#conn').title = st; },
  });
}

function showSeat0() {
  $('#detail').replaceChildren(el('p', { class: 'hint' }, '点选座位查看 ', el('span', { class: 'en' }, 'Tap a seat for details')));
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
    if (live) live.resync('seats:' + sessionID);
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
  show();
}
start();

// chair.js — the chair's view: the attendance sentence live, the
// absentees without leave for the secretariat (desk role), and the arrival
// curve: arrivals per minute as bars, the running total as a line against
// the quorum. The session comes from ?session=ID, else the one this laptop
// last showed, else a list to choose from; 切换场次 changes it.
import { api, Live, needSignIn, el } from '/static/usher/live.js';
import { loadEvent, Choice, showPicker, showNoEvent, hideOverlay, overlayShown, watchEvent, when } from '/static/common/pick.js';

const choice = new Choice('chair.session');
let sessionID = '';
const $ = (s) => document.querySelector(s);
const SVG = 'http://www.w3.org/2000/svg';
let counts = null;
let tz = 'Asia/Shanghai';

window.chairView = { counts: () => counts, session: () => sessionID };

function renderCounts(c) {
  counts = c;
  $('#statement').textContent = c.statement;
  $('#statement-en').textContent = c.statement_en;
  const set = (id, v) => { $(id).textContent = v; };
  set('#f-expected', c.expected);
  set('#f-present', c.present);
  set('#f-leave', c.on_leave);
  set('#f-absent', c.absent);
  set('#f-left', c.left);
  set('#f-required', c.quorum.required);
}

// Refresh the lists at most once a second however fast scans arrive.
let pending = null;
function refreshSoon() {
  if (pending) return;
  pending = setTimeout(() => { pending = null; loadAbsentees(); loadCurve(); }, 1000);
}

async function loadAbsentees() {
  const id = sessionID;
  try {
    const list = await api(`/sessions/${encodeURIComponent(id)}/absentees`);
    if (id !== sessionID) return;
    $('#abs-n').textContent = `${list.length} 人`;
    $('#absentees').replaceChildren(...list.map((a) => el('li', {}, a.name)));
  } catch (e) {
    const msg = e.status === 403 ? '名单仅限报到处或管理员查看 · The list is for the desk and admins' : (e.zh || '') + ' ' + e.message;
    $('#absentees').replaceChildren(el('p', { class: 'note' }, msg));
  }
}

async function loadCurve() {
  const id = sessionID;
  if (!id) return;
  let d;
  try {
    d = await api(`/sessions/${encodeURIComponent(id)}/arrivals`);
  } catch (e) {
    console.warn('arrival curve', e);
    return;
  }
  if (id !== sessionID) return;
  $('#curve-total').textContent = `共 ${d.total} 人 total`;
  drawCurve(d);
}

function node(tag, attrs, text) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  if (text != null) n.textContent = text;
  return n;
}

function drawCurve(d) {
  const svg = $('#chart');
  const W = svg.clientWidth || 600, H = svg.clientHeight || 240;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.replaceChildren();
  const L = 40, R = 44, T = 12, B = 26;
  const minute = 60e3;
  const pts = d.minutes.map((m) => ({ t: Date.parse(m.at), n: m.n }));
  const start = Date.parse(d.starts_at);
  let t0 = pts.length ? Math.min(pts[0].t, start - 10 * minute) : start - 30 * minute;
  let t1 = Math.max(pts.length ? pts[pts.length - 1].t + minute : 0, start + 5 * minute, Math.min(Date.now(), start + 60 * minute));
  t0 = Math.floor(t0 / minute) * minute;
  const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const maxN = Math.max(1, ...pts.map((p) => p.n));
  const base = counts ? Math.max(counts.quorum.base_count, d.total) : Math.max(1, d.total);
  const y = (n) => H - B - (n / maxN) * (H - T - B);
  const yc = (n) => H - B - (n / Math.max(1, base)) * (H - T - B);
  svg.append(node('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }));
  // Hour and ten-minute ticks in the event's time zone.
  for (let t = Math.ceil(t0 / (10 * minute)) * 10 * minute; t <= t1; t += 10 * minute) {
    svg.append(node('line', { class: 'axis', x1: x(t), y1: H - B, x2: x(t), y2: H - B + 4 }));
    svg.append(node('text', { x: x(t), y: H - 8, 'text-anchor': 'middle' },
      new Date(t).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', timeZone: tz })));
  }
  const bw = Math.max(1, x(t0 + minute) - x(t0) - 1);
  for (const p of pts) {
    const bar = node('rect', { class: 'bar', x: x(p.t), y: y(p.n), width: bw, height: H - B - y(p.n) });
    bar.append(node('title', {}, `${new Date(p.t).toLocaleTimeString('zh-CN', { timeZone: tz })}: ${p.n}`));
    svg.append(bar);
  }
  let sum = 0;
  let path = `M${x(t0)},${yc(0)}`;
  for (const p of pts) { path += ` L${x(p.t)},${yc(sum)}`; sum += p.n; path += ` L${x(p.t + minute)},${yc(sum)}`; }
  path += ` L${x(t1)},${yc(sum)}`;
  svg.append(node('path', { class: 'cum', d: path }));
  svg.append(node('line', { class: 'start', x1: x(start), y1: T, x2: x(start), y2: H - B }));
  svg.append(node('text', { x: x(start) + 4, y: T + 10 }, '开会 start'));
  if (counts && counts.quorum.required) {
    const q = yc(counts.quorum.required);
    svg.append(node('line', { class: 'quorum', x1: L, y1: q, x2: W - R, y2: q }));
    svg.append(node('text', { x: W - R + 4, y: q + 4 }, String(counts.quorum.required)));
  }
  svg.append(node('text', { x: L - 6, y: T + 10, 'text-anchor': 'end' }, String(maxN)));
  svg.append(node('text', { x: L - 6, y: H - B, 'text-anchor': 'end' }, '0'));
  svg.dataset.total = String(d.total);
}

let data = { event: null, sessions: [] }; // what the server has, as last fetched
const latest = new Map(); // session id -> counts, from the live feed
let live = null;
let watch = null;
let dead = false; // an error or the sign-in prompt has replaced the page

function fatal(e) {
  dead = true;
  if (live) live.close();
  hideOverlay();
  document.body.replaceChildren(el('p', { class: 'note fatal' }, e.zh || '', el('span', { class: 'en' }, e.message || String(e))));
}

function signIn() {
  dead = true;
  if (live) live.close();
  hideOverlay();
  needSignIn('主席台视图', 'chair view');
}

async function fetchEvent() {
  data = await loadEvent();
  tz = (data.event && data.event.timezone) || tz;
  if (watch && data.event) watch.loaded(data.event.version);
}

function pickSession(notice) {
  showPicker({
    sessions: data.sessions, tz, current: sessionID, notice,
    title: ['选择场次 · 出席情况', "Choose a session · Chair's view"],
    onPick: (id) => open(id),
    onClose: sessionID ? () => {} : null,
  });
}

function showSession(s) {
  $('#title').textContent = s.name + ' · 出席情况';
  $('#when').textContent = `${when(s, tz)} · ${s.venue}`;
  document.title = `${s.name} · 出席情况 Chair's view`;
}

function blank() {
  counts = null;
  for (const id of ['#statement', '#f-expected', '#f-present', '#f-leave', '#f-absent', '#f-left', '#f-required']) $(id).textContent = '—';
  $('#statement-en').textContent = '';
  $('#absentees').replaceChildren();
  $('#abs-n').textContent = '';
  $('#curve-total').textContent = '';
  $('#chart').replaceChildren();
  delete $('#chart').dataset.total;
}

/** open shows session id. */
async function open(id) {
  const s = data.sessions.find((x) => x.id === id);
  if (!s) {
    pickSession(id ? ['没有场次“' + id + '”，请重新选择', `There is no session "${id}"; choose one`] : null);
    return;
  }
  hideOverlay();
  choice.keep(id);
  if (id !== sessionID) {
    sessionID = id;
    blank();
  }
  showSession(s);
  await loadSession();
}

// loadSession fetches the counts, the absentees and the curve of the
// session shown, and follows the counts live.
async function loadSession() {
  const id = sessionID;
  if (latest.has(id)) renderCounts(latest.get(id));
  try {
    const c = await api(`/sessions/${encodeURIComponent(id)}/attendance`);
    if (id === sessionID) renderCounts(c);
  } catch (e) {
    if (e.status === 401) return signIn();
    if (id === sessionID) $('#statement').textContent = (e.zh || '') + ' ' + e.message;
  }
  loadAbsentees();
  loadCurve();
  if (live) return;
  live = new Live(['attendance'], {
    snapshot: (_, d) => {
      latest.clear();
      for (const c of d.sessions || []) latest.set(c.session_id, c);
      const c = latest.get(sessionID);
      if (c) { renderCounts(c); refreshSoon(); }
    },
    delta: (_, c) => {
      latest.set(c.session_id, c);
      if (c.session_id === sessionID) { renderCounts(c); refreshSoon(); }
    },
    status: (st) => { $('#conn').className = 'conn ' + st; },
  });
}

/** show decides what the page shows from what the server has. */
function show() {
  if (!data.event) {
    sessionID = '';
    showNoEvent();
    return;
  }
  if (overlayShown() === 'noevent') hideOverlay();
  if (sessionID) {
    const s = data.sessions.find((x) => x.id === sessionID);
    if (!s) {
      const gone = sessionID;
      sessionID = '';
      blank();
      pickSession(['场次“' + gone + '”已被取消，请重新选择', `The session "${gone}" was removed; choose another`]);
      return;
    }
    showSession(s);
    if (overlayShown() === 'picker') pickSession();
    loadSession(); // a moved window moves the curve's start and may change who is expected
    return;
  }
  const want = choice.wanted();
  if (want && overlayShown() !== 'picker') open(want);
  else pickSession();
}

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

async function start() {
  try {
    await fetchEvent();
  } catch (e) {
    if (e.status === 401) return signIn();
    fatal(e);
    return;
  }
  $('#change').addEventListener('click', () => pickSession());
  window.addEventListener('resize', () => loadCurve());
  watch = watchEvent(refresh, () => !!data.event);
  if (data.event) watch.loaded(data.event.version); // a change before the websocket is up still counts
  window.chairView.refresh = watch.refresh;
  show();
}
start();

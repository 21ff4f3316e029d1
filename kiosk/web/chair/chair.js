// chair.js — the chair's view: the attendance sentence live, the
// absentees without leave for the secretariat (desk and chair roles), and
// the arrival curve: arrivals per minute as bars on the left axis, the
// running total as a line on the right axis against the quorum. Every
// figure on the page comes from one snapshot (GET /sessions/{id}/chair),
// fetched again when the live feed says the session's counts moved, so
// the sentence, the tiles, the curve and the list never disagree. The
// session comes from ?session=ID, else the one this laptop last showed,
// else a list to choose from; 切换场次 changes it.
import { call } from '/static/common/api.js';
import { h, svg, fmtTime, when } from '/static/common/dom.js';
import { Live, needSignIn } from '/static/usher/live.js';
import { loadEvent, Choice, showPicker, showNoEvent, hideOverlay, overlayShown, watchEvent } from '/static/common/pick.js';

const choice = new Choice('chair.session');
let sessionID = '';
const $ = (s) => document.querySelector(s);
let view = null; // the last snapshot: {counts, arrivals, absentees}

window.chairView = { counts: () => view && view.counts, session: () => sessionID, view: () => view };

// render paints the whole page from one snapshot.
function render(v) {
  view = v;
  const c = v.counts;
  $('#statement').textContent = c.statement;
  $('#statement-en').textContent = c.statement_en;
  $('#basis').textContent = c.basis.zh;
  $('#basis-en').textContent = c.basis.en;
  const set = (id, n) => { $(id).textContent = n; };
  set('#f-expected', c.expected);
  set('#f-present', c.present);
  set('#f-leave', c.on_leave);
  set('#f-absent', c.absent_counted ? c.absent : c.not_yet);
  set('#f-left', c.left);
  set('#f-required', c.quorum.required);
  $('#l-absent').replaceChildren(c.absent_counted ? '缺席 ' : '未到 ', h('span', { class: 'en' }, c.absent_counted ? 'absent' : 'not yet'));
  $('#fig-rest').classList.toggle('absent', c.absent_counted);
  renderAbsentees(v);
  $('#curve-total').textContent = `累计到会 ${v.arrivals.total} 人 · ${v.arrivals.total} arrived`;
  drawCurve(v.arrivals, c);
}

// renderAbsentees: from the start (or the close, by the session's rule),
// the 缺席 without leave by name; before it, nobody is absent yet and no
// list is shown.
function renderAbsentees(v) {
  const c = v.counts;
  const list = $('#absentees');
  if (!c.absent_counted) {
    $('#abs-title').replaceChildren('未到 ', h('span', { class: 'en' }, 'Not here yet'));
    $('#abs-n').textContent = `${c.not_yet} 人`;
    list.replaceChildren();
    $('#abs-note').textContent = c.absent_from === 'close'
      ? '签到关闭后，在此列出未请假而未到会的人员。 Once check-in closes, those not on leave who have not come are listed here.'
      : '会议开始后，在此列出未请假而未到会的人员。 Once the session starts, those not on leave who have not come are listed here.';
    return;
  }
  $('#abs-title').replaceChildren('缺席名单（未请假） ', h('span', { class: 'en' }, 'Absent without leave'));
  $('#abs-n').textContent = `${c.absent} 人`;
  if (v.absentees == null) {
    list.replaceChildren();
    $('#abs-note').textContent = '名单仅限报到处或主席台查看 · The names are for the desk and the chair';
    return;
  }
  $('#abs-note').textContent = '';
  list.replaceChildren(...v.absentees.map((a) => h('li', {}, a.name)));
}

// Refetch at most every 400 ms however fast scans arrive; a change during
// a fetch asks for one more.
let inflight = false;
let again = false;
let timer = 0;
function refreshSoon() {
  if (timer) return;
  timer = setTimeout(() => { timer = 0; load(); }, 400);
}

async function load() {
  const id = sessionID;
  if (!id) return;
  if (inflight) { again = true; return; }
  inflight = true;
  try {
    const v = await call('GET', `/sessions/${encodeURIComponent(id)}/chair`);
    if (id === sessionID) render(v);
  } catch (e) {
    if (e.status === 401) { signIn(); return; }
    if (id === sessionID) $('#statement').textContent = (e.zh || '') + ' ' + e.message;
  } finally {
    inflight = false;
    if (again) { again = false; refreshSoon(); }
  }
}

// niceStep is a round step (1, 2, 5 × 10^k) giving about n ticks up to max.
function niceStep(max, n) {
  const raw = Math.max(1, max / n);
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
}

function drawCurve(d, c) {
  const chart = $('#chart');
  const W = chart.clientWidth || 600, H = chart.clientHeight || 260;
  chart.setAttribute('viewBox', `0 0 ${W} ${H}`);
  chart.replaceChildren();
  const L = 58, R = 66, B = 30;
  // The legend first, above the plot, wrapped to the chart's width.
  const items = [['bar', '每分钟到会 arrivals per minute'], ['cum', '累计到会（含已离场）total arrived'], ['quorum', '法定人数 quorum']];
  let lx = L, ly = 14;
  for (const [cls, label] of items) {
    const g = svg('g', { class: 'legend' });
    chart.append(g);
    const tx = svg('text', { x: 0, y: 0 }, label);
    g.append(tx);
    const w = 26 + tx.getComputedTextLength();
    if (lx > L && lx + w > W - 8) { lx = L; ly += 20; }
    tx.setAttribute('x', lx + 22);
    tx.setAttribute('y', ly + 5);
    g.prepend(cls === 'bar' ? svg('rect', { class: 'bar', x: lx, y: ly - 6, width: 16, height: 12 })
      : svg('line', { class: cls, x1: lx, y1: ly, x2: lx + 18, y2: ly }));
    lx += w + 18;
  }
  const T = ly + 42;
  const minute = 60e3;
  const pts = d.minutes.map((m) => ({ t: Date.parse(m.at), n: m.n }));
  const start = Date.parse(d.starts_at);
  let t0 = pts.length ? Math.min(pts[0].t, start - 10 * minute) : start - 30 * minute;
  const t1 = Math.max(pts.length ? pts[pts.length - 1].t + minute : 0, start + 5 * minute, Math.min(Date.now(), start + 60 * minute));
  t0 = Math.floor(t0 / minute) * minute;
  const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const bottom = H - B;
  // Left axis: arrivals per minute.
  const maxN = Math.max(1, ...pts.map((p) => p.n));
  const stepN = niceStep(maxN, 4);
  const topN = Math.ceil(maxN / stepN) * stepN;
  const y = (n) => bottom - (n / topN) * (bottom - T);
  // Right axis: the running total, up to the quorum's base.
  const base = Math.max(1, c.quorum.base_count, d.total);
  const stepC = niceStep(base, 4);
  const topC = Math.ceil(base / stepC) * stepC;
  const yc = (n) => bottom - (n / topC) * (bottom - T);

  for (let n = 0; n <= topN; n += stepN) {
    chart.append(svg('line', { class: 'grid', x1: L, y1: y(n), x2: W - R, y2: y(n) }));
    chart.append(svg('text', { class: 'y-tick left', x: L - 6, y: y(n) + 5, 'text-anchor': 'end' }, String(n)));
  }
  for (let n = 0; n <= topC; n += stepC) {
    chart.append(svg('text', { class: 'y-tick right', x: W - R + 6, y: yc(n) + 5 }, String(n)));
  }
  chart.append(svg('line', { class: 'axis', x1: L, y1: T, x2: L, y2: bottom }));
  chart.append(svg('line', { class: 'axis cum-axis', x1: W - R, y1: T, x2: W - R, y2: bottom }));
  chart.append(svg('line', { class: 'axis', x1: L, y1: bottom, x2: W - R, y2: bottom }));
  chart.append(svg('text', { class: 'y-title left', x: 4, y: T - 10 }, '每分钟 per min'));
  chart.append(svg('text', { class: 'y-title right', x: W - 4, y: T - 10, 'text-anchor': 'end' }, '累计 total'));
  // Times along the bottom, in the event's zone, every 5, 10, 15 or 30 minutes.
  const span = (t1 - t0) / minute;
  const every = [5, 10, 15, 30, 60].find((m) => span / m <= (W - L - R) / 70) || 60;
  for (let t = Math.ceil(t0 / (every * minute)) * every * minute; t <= t1; t += every * minute) {
    chart.append(svg('line', { class: 'axis', x1: x(t), y1: bottom, x2: x(t), y2: bottom + 5 }));
    chart.append(svg('text', { class: 'x-tick', x: x(t), y: H - 8, 'text-anchor': 'middle' }, fmtTime(t)));
  }
  const bw = Math.max(1, x(t0 + minute) - x(t0) - 1);
  for (const p of pts) {
    const bar = svg('rect', { class: 'bar', x: x(p.t), y: y(p.n), width: bw, height: bottom - y(p.n) });
    bar.append(svg('title', {}, `${fmtTime(p.t)}: ${p.n} 人`));
    chart.append(bar);
  }
  let sum = 0;
  let path = `M${x(t0)},${yc(0)}`;
  for (const p of pts) { path += ` L${x(p.t)},${yc(sum)}`; sum += p.n; path += ` L${x(p.t + minute)},${yc(sum)}`; }
  path += ` L${x(t1)},${yc(sum)}`;
  chart.append(svg('path', { class: 'cum', d: path }));
  chart.append(svg('line', { class: 'start', x1: x(start), y1: T, x2: x(start), y2: bottom }));
  chart.append(svg('text', { class: 'start-label', x: x(start) + 4, y: T + 14 }, `开会 ${fmtTime(start)}`));
  if (c.quorum.required) {
    const q = yc(c.quorum.required);
    chart.append(svg('line', { class: 'quorum', x1: L, y1: q, x2: W - R, y2: q }));
    chart.append(svg('text', { class: 'quorum-label', x: L + 6, y: q - 5 }, `法定人数 ${c.quorum.required}`));
  }
  chart.dataset.total = String(d.total);
}

let data = { event: null, sessions: [] }; // what the server has, as last fetched
let live = null;
let watch = null;
let dead = false; // an error or the sign-in prompt has replaced the page

function fatal(e) {
  dead = true;
  if (live) live.close();
  hideOverlay();
  document.body.replaceChildren(h('p', { class: 'note fatal' }, e.zh || '', h('span', { class: 'en' }, e.message || String(e))));
}

function signIn() {
  dead = true;
  if (live) live.close();
  hideOverlay();
  needSignIn('主席台视图', 'chair view');
}

async function fetchEvent() {
  data = await loadEvent();
  if (watch && data.event) watch.loaded(data.event.version);
}

function pickSession(notice) {
  showPicker({
    sessions: data.sessions, current: sessionID, notice,
    title: ['选择场次 · 出席情况', "Choose a session · Chair's view"],
    onPick: (id) => open(id),
    onClose: sessionID ? () => {} : null,
  });
}

function showSession(s) {
  $('#title').textContent = s.name + ' · 出席情况';
  $('#when').textContent = `${when(s)} · ${s.venue}`;
  document.title = `${s.name} · 出席情况 Chair's view`;
}

function blank() {
  view = null;
  for (const id of ['#statement', '#f-expected', '#f-present', '#f-leave', '#f-absent', '#f-left', '#f-required']) $(id).textContent = '—';
  for (const id of ['#statement-en', '#basis', '#basis-en', '#abs-n', '#abs-note', '#curve-total']) $(id).textContent = '';
  $('#absentees').replaceChildren();
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

// loadSession fetches the session's snapshot and follows the counts live:
// a delta for the session (a scan, a leave, its start) fetches it again.
async function loadSession() {
  await load();
  if (live) return;
  live = new Live(['attendance'], {
    snapshot: () => refreshSoon(),
    delta: (_, c) => { if (c.session_id === sessionID) refreshSoon(); },
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
  window.addEventListener('resize', () => { if (view) drawCurve(view.arrivals, view.counts); });
  watch = watchEvent(refresh, () => !!data.event);
  if (data.event) watch.loaded(data.event.version); // a change before the websocket is up still counts
  window.chairView.refresh = watch.refresh;
  show();
}
start();

// chair.js — the chair's view (/chair?session=ID): the attendance sentence
// live, the absentees without leave for the secretariat (desk role), and
// the arrival curve: arrivals per minute as bars, the running total as a
// line against the quorum.
import { api, Live, needSignIn, el } from '/static/usher/live.js';

const sessionID = new URLSearchParams(location.search).get('session') || '';
const $ = (s) => document.querySelector(s);
const SVG = 'http://www.w3.org/2000/svg';
let counts = null;
let tz = 'Asia/Shanghai';

window.chairView = { counts: () => counts };

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
  try {
    const list = await api(`/sessions/${encodeURIComponent(sessionID)}/absentees`);
    $('#abs-n').textContent = `${list.length} 人`;
    $('#absentees').replaceChildren(...list.map((a) => el('li', {}, a.name)));
  } catch (e) {
    const msg = e.status === 403 ? '名单仅限报到处或管理员查看 · The list is for the desk and admins' : (e.zh || '') + ' ' + e.message;
    $('#absentees').replaceChildren(el('p', { class: 'note' }, msg));
  }
}

async function loadCurve() {
  const d = await api(`/sessions/${encodeURIComponent(sessionID)}/arrivals`);
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

async function start() {
  if (!sessionID) {
    document.body.replaceChildren(el('p', { class: 'note' }, '请在地址中指定场次：/chair?session=场次ID · Name the session: /chair?session=ID'));
    return;
  }
  try {
    const [ev, sessions] = await Promise.all([api('/event'), api('/sessions')]);
    tz = ev.timezone || tz;
    const s = sessions.find((x) => x.id === sessionID);
    if (!s) throw Object.assign(new Error('no session ' + sessionID), { zh: '没有场次 ' + sessionID });
    $('#title').textContent = s.name + ' · 出席情况';
    $('#when').textContent = `${new Date(s.starts_at).toLocaleString('zh-CN', { timeZone: tz })} · ${s.venue}`;
    renderCounts(await api(`/sessions/${encodeURIComponent(sessionID)}/attendance`));
  } catch (e) {
    if (e.status === 401) return needSignIn('主席台视图', 'chair view');
    document.body.replaceChildren(el('p', { class: 'note' }, (e.zh || '') + ' ' + e.message));
    return;
  }
  loadAbsentees();
  loadCurve();
  window.addEventListener('resize', () => loadCurve());
  new Live(['attendance'], {
    snapshot: (_, d) => {
      const c = (d.sessions || []).find((x) => x.session_id === sessionID);
      if (c) { renderCounts(c); refreshSoon(); }
    },
    delta: (_, c) => { if (c.session_id === sessionID) { renderCounts(c); refreshSoon(); } },
    status: (st) => { $('#conn').className = 'conn ' + st; },
  });
}
start();

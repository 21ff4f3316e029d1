// seating.js — the desk's seating page (/seating?session=ID): the hall's
// seat map as the audience sees it, each seat's occupant, pin and unpin,
// swap two seats, the session's arrangement rules, and 重新排座 with a dry
// run first so the desk sees the validation report before anything moves.
// The map itself is the usher's canvas (one drawing code for both pages);
// this page adds its own layer for pins and the seats chosen for a swap.
import { SeatMap, COLORS } from '/static/usher/map.js';
import { setup, call } from '/static/common/api.js';
import { h, bi, toast, fail as showError, setZone, shortTime } from '/static/common/dom.js';

const $ = (s) => document.querySelector(s);
const map = new SeatMap($('#seats'), $('#overlay'));
const marks = $('#marks');
let sessionID = new URLSearchParams(location.search).get('session') || '';
let rules = null;
let sessions = [];
let current = null; // the seat shown in the detail panel
const swap = { a: '', b: '' };
let section = ''; // the section the map is zoomed to, '' for the whole hall
let categories = {}; // code → {Name, NameEn}, from GET /event

/** catName names a category code for people: 代表, not deputy. */
function catName(code) {
  const k = categories[code];
  return k ? k.Name : code;
}

// The huiwu_token cookie carries the login, as on the desk page; any 401
// shows the sign-in banner.
setup({ signedOut: () => { $('#login').hidden = false; } });

const sess = (p) => `/sessions/${encodeURIComponent(sessionID)}${p}`;

// fail toasts an error; a 401 has shown the sign-in banner instead.
function fail(e) {
  if (e.status !== 401) showError(e);
}

/** seating is what tests (and an engineer at the console) can read. */
window.seating = {
  seat: (label) => map.seats.get(label),
  // pos is a seat's centre in page coordinates, for a real click.
  pos: (label) => {
    const s = map.seats.get(label);
    if (!s) return null;
    const r = $('#seats').getBoundingClientRect();
    const [x, y] = map.pos(s);
    return [r.left + x, r.top + y];
  },
  count: () => map.seats.size,
  loaded: 0,
  report: null,
};

// drawMarks paints the pins (a red corner flag) and the two seats chosen
// for a swap (blue rings) over the map.
function drawMarks() {
  const dpr = window.devicePixelRatio || 1;
  marks.width = Math.round(marks.clientWidth * dpr);
  marks.height = Math.round(marks.clientHeight * dpr);
  const g = marks.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  if (!map.seats.size || !map.sx) return;
  const w = map.w, h = map.h;
  const r = Math.max(3, Math.min(w, h) * 0.38);
  if (w >= 30 && h >= 14) drawNames(g);
  g.fillStyle = '#c8102e';
  g.strokeStyle = '#fff';
  g.lineWidth = 1;
  for (const s of map.seats.values()) {
    if (!s.pinned || !map.visible(s)) continue;
    const [cx, cy] = map.pos(s);
    g.beginPath();
    g.arc(cx + w / 2 - r * 0.6, cy - h / 2 + r * 0.6, r, 0, 2 * Math.PI);
    g.fill();
    g.stroke();
  }
  for (const [label, name] of [[swap.a, '甲'], [swap.b, '乙']]) {
    const s = label && map.seats.get(label);
    if (!s) continue;
    const [cx, cy] = map.pos(s);
    g.strokeStyle = '#0057d9';
    g.lineWidth = 3;
    g.beginPath();
    g.arc(cx, cy, Math.max(w, h) * 0.8 + 2, 0, 2 * Math.PI);
    g.stroke();
    g.fillStyle = '#0057d9';
    g.font = 'bold 14px sans-serif';
    g.textAlign = 'center';
    g.fillText(name, cx, cy - Math.max(w, h) * 0.8 - 6);
  }
  if (current && map.seats.get(current)) {
    const [cx, cy] = map.pos(map.seats.get(current));
    g.strokeStyle = '#111';
    g.lineWidth = 2;
    g.strokeRect(cx - w / 2 - 3, cy - h / 2 - 3, w + 6, h + 6);
  }
}

// drawNames writes each occupant's name over the seat number once the map
// is zoomed far enough for a name to fit: the desk arranges people, not
// numbers. The number stays in the detail panel and the tooltip.
function drawNames(g) {
  const w = map.w, h = map.h;
  const size = Math.min(13, Math.floor(w / 3.3), Math.floor(h * 0.75));
  g.font = `${size}px sans-serif`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  for (const s of map.seats.values()) {
    if (!s.name || !map.visible(s)) continue;
    const [cx, cy] = map.pos(s);
    g.fillStyle = (COLORS[s.state] || COLORS.vacant)[0];
    g.fillRect(cx - w / 2 + 2, cy - h / 2 + 2, w - 4, h - 4);
    g.fillStyle = s.state === 'arrived' ? '#fff' : '#111';
    g.fillText(s.name.slice(0, 3), cx, cy + 1, w - 4);
  }
}

function sectionName(code) {
  return code === 'presidium' ? bi('主席台', 'Presidium') : bi(code + '区', 'Section ' + code);
}

function buildSections() {
  const codes = [...new Set([...map.seats.values()].map((s) => s.section))]
    .sort((a, b) => (a === 'presidium' ? -1 : b === 'presidium' ? 1 : a.localeCompare(b)));
  if (!codes.includes(section)) section = '';
  const btn = (code, label) => h('button', { 'data-section': code, class: code === section ? 'on' : null,
    onclick: () => zoom(code) }, ...label);
  $('#sections').replaceChildren(btn('', bi('全场', 'All')),
    ...codes.map((c) => btn(c, sectionName(c))));
}

function zoom(code) {
  section = code;
  for (const b of document.querySelectorAll('#sections button')) b.classList.toggle('on', b.dataset.section === code);
  map.show(code ? (s) => s.section === code : () => true);
  drawMarks();
}

async function loadSeats() {
  const list = await call('GET', sess('/seats'));
  map.setSeats(list || []);
  buildSections();
  zoom(section);
  // A venue without a seat map (a group room) has nothing to pin, swap or
  // arrange: say so instead of showing an empty stage and idle panels.
  const none = map.seats.size === 0;
  $('#empty').hidden = !none;
  for (const c of ['#seats', '#marks']) $(c).style.visibility = none ? 'hidden' : '';
  for (const p of document.querySelectorAll('.needs-seats')) p.hidden = none;
  drawMarks();
  if (current) showSeat(current);
  window.seating.loaded++;
}

const WORDS = {
  vacant: ['空位', 'vacant'], assigned: ['已安排', 'seated, not arrived'], arrived: ['已到', 'arrived'],
  left: ['离场', 'left'], on_leave: ['请假', 'on leave'], blocked: ['停用', 'blocked'], reserved: ['预留', 'reserved'],
};
const KINDS = { presidium: '主席台 presidium', wheelchair: '轮椅位 ♿ wheelchair', reserved: '预留 reserved', blocked: '停用 blocked' };

function showSeat(label) {
  current = label;
  const s = map.seats.get(label);
  const d = $('#detail');
  if (!s) { d.replaceChildren(); return; }
  const [zh, en] = WORDS[s.state] || [s.state, s.state];
  const btns = [];
  if (s.attendee_id && s.pinned) btns.push(h('button', { id: 'unpin', onclick: () => pin(s, false) }, ...bi('取消固定', 'Unpin')));
  else if (s.attendee_id) btns.push(h('button', { id: 'pin', onclick: () => pin(s, true) }, ...bi('固定此座', 'Pin this seat')));
  btns.push(h('button', { id: 'pick-swap', class: 'plain', onclick: () => pickSwap(s.seat) }, ...bi('选为对调', 'Choose for swap')));
  d.replaceChildren(
    h('div', { class: 'seat-label' }, s.seat, s.pinned ? h('span', { class: 'pinned' }, ' ● 已固定 pinned') : null),
    h('div', { class: 'seat-where' }, `${s.section === 'presidium' ? '主席台' : s.section + '区'} 第${s.row}排 ${s.number}号`,
      KINDS[s.kind] ? ` · ${KINDS[s.kind]}` : ''),
    h('div', { class: 'seat-name' }, s.name || '（空位）', s.category ? h('small', { class: 'seat-category' }, ' ' + catName(s.category)) : null),
    h('div', { class: 'seat-state st-' + s.state }, zh, ' ', h('small', {}, en)),
    h('div', { class: 'buttons' }, btns));
  drawMarks();
}

async function pin(s, on) {
  try {
    if (on) await call('POST', sess(`/seats/${encodeURIComponent(s.seat)}/pin`), { attendee_id: s.attendee_id });
    else await call('DELETE', sess(`/seats/${encodeURIComponent(s.seat)}/pin`));
    toast(on ? `${s.seat} 已固定` : `${s.seat} 已取消固定`, on ? `${s.seat} pinned` : `${s.seat} unpinned`);
    await loadSeats();
  } catch (e) { fail(e); }
}

function pickSwap(label) {
  if (!swap.a || swap.b) { swap.a = label; swap.b = ''; } else if (label !== swap.a) swap.b = label;
  renderSwap();
}
function renderSwap() {
  const name = (l) => { const s = map.seats.get(l); return l ? `${l} ${s && s.name ? s.name : '（空位）'}` : '—'; };
  $('#swap-a').textContent = name(swap.a);
  $('#swap-b').textContent = name(swap.b);
  $('#swap').disabled = !(swap.a && swap.b);
  drawMarks();
}

async function doSwap() {
  try {
    await call('POST', sess('/seats/swap'), { a: swap.a, b: swap.b });
    toast(`已对调 ${swap.a} ↔ ${swap.b}`, `Swapped ${swap.a} and ${swap.b}`);
    swap.a = swap.b = '';
    await loadSeats();
    renderSwap();
  } catch (e) { fail(e); }
}

async function loadRules() {
  rules = await call('GET', sess('/seating/rules'));
  $('#r-presidium').value = rules.presidium_rule;
  $('#r-honour').value = rules.honour;
  $('#r-order').value = rules.order;
  $('#r-fill').value = rules.fill;
  $('#r-delegation').checked = !!rules.by_delegation;
  const cats = (rules.categories || []).map(catName).join(' → ');
  $('#r-extra').textContent = `主席台 ${(rules.presidium || []).length} 人 · 类别顺序 ${cats}` +
    (rules.sections && rules.sections.length ? ` · 分区 ${rules.sections.join(' ')}` : '');
}

async function saveRules() {
  const r = { ...rules, presidium_rule: $('#r-presidium').value, honour: $('#r-honour').value,
    order: $('#r-order').value, fill: $('#r-fill').value, by_delegation: $('#r-delegation').checked };
  try {
    await call('PUT', sess('/seating/rules'), r);
    await loadRules();
    toast('规则已保存，重新排座后生效', 'Rules saved; they apply at the next arrangement');
  } catch (e) { fail(e); }
}

// renderReport fills box with the validation report: counts first, then
// each kind of problem with its names.
function renderReport(box, rep, title) {
  const pinnedCount = map.seats.size ? [...map.seats.values()].filter((x) => x.pinned).length : null;
  const list = (items, fmt) => {
    const shown = items.slice(0, 24).map((x) => h('li', {}, fmt(x)));
    if (items.length > 24) shown.push(h('li', { class: 'more' }, `…共 ${items.length} 项 (${items.length} in all)`));
    return h('ul', {}, shown);
  };
  const part = (cls, zh, en, items, fmt) => h('div', { class: 'part ' + cls + (items.length ? ' has' : '') },
    h('h3', {}, `${zh} ${items.length}`, h('span', { class: 'en' }, en)), items.length ? list(items, fmt) : null);
  box.replaceChildren(...[
    title ? h('h2', {}, title[0], ' ', title[1]) : null,
    h('p', { class: 'verdict ' + (rep.ok ? 'ok' : 'bad') }, ...(rep.ok ? bi('校验通过', 'No problems found') : bi('有待处理的问题', 'Problems to resolve'))),
    h('p', { class: 'sum' }, `应安排 ${rep.expected} 人，已安排 ${rep.seated} 人`,
      h('span', { class: 'en' }, `${rep.expected} to seat, ${rep.seated} seated`)),
    pinnedCount == null ? null : h('p', { class: 'sum' }, `固定座位 ${pinnedCount} 个，重新排座时保持不变`,
      h('span', { class: 'en' }, `${pinnedCount} pinned seats, kept as they are`)),
    part('double', '重复安排', 'Double bookings', rep.double_booked || [], (c) => c.seat
      ? `${c.seat}：${(c.people || []).map((p) => p.name).join('、')}`
      : `${c.person ? c.person.name : ''}：${(c.seats || []).join('、')}`),
    part('unseated', '无座人员', 'People without seats', rep.unseated || [], (p) => p.name),
    part('over', '座位不足', 'Over capacity', rep.over_capacity || [], (s) =>
      `${{ presidium: '主席台', floor: '场内', wheelchair: '轮椅位' }[s.pool] || s.pool} 需 ${s.need} 有 ${s.have} (${s.pool}: need ${s.need}, have ${s.have})`),
    part('notes', '提示', 'Notes (wheelchair and others)', rep.notes || [], (n) => h('span', {}, n.zh, h('span', { class: 'en' }, n.en))),
  ].filter(Boolean));
}

async function arrange() {
  try {
    const rep = await call('POST', sess('/arrange?dry_run=1'));
    renderReport($('#preview'), rep);
    window.seating.report = { dry: true, ...rep };
    $('#confirm').showModal();
  } catch (e) { fail(e); }
}

async function confirmArrange() {
  $('#confirm').close();
  try {
    const rep = await call('POST', sess('/arrange'));
    window.seating.report = { dry: false, ...rep };
    $('#report').hidden = false;
    renderReport($('#report'), rep, bi('排座结果', 'Arrangement report'));
    toast('已重新排座，固定座位保持不变', 'Arranged; pinned seats kept');
    await loadSeats();
    $('#report').scrollIntoView({ block: 'start' });
  } catch (e) { fail(e); }
}

/** chartLinks points the chart links at the session, each view, the paper
 * chosen (a large hall prints as an overview and its sections). */
function chartLinks() {
  const paper = $('#pdf-paper').value;
  for (const v of ['audience', 'presidium']) $('#pdf-' + v).href = `/api/v1${sess('/seating/chart.pdf')}?view=${v}&paper=${paper}`;
}

async function openSession(id) {
  sessionID = id;
  const u = new URL(location.href);
  u.searchParams.set('session', id);
  history.replaceState(null, '', u);
  current = null;
  swap.a = swap.b = '';
  $('#report').hidden = true;
  const s = sessions.find((x) => x.id === id);
  $('#venue').textContent = s ? s.venue || '' : '';
  chartLinks();
  try {
    await Promise.all([loadSeats(), loadRules()]);
    $('#arrange').disabled = map.seats.size === 0;
    renderSwap();
    $('#detail').replaceChildren(h('p', { class: 'hint' }, ...bi('点选座位查看、固定或对调', 'Click a seat to see who sits there, pin it or swap it')));
  } catch (e) { fail(e); }
}

// The tooltip names the occupant under the pointer: the seats are too
// small at full-hall scale to print names in them.
function hover(e) {
  const r = $('#seats').getBoundingClientRect();
  const s = map.seatAt(e.clientX - r.left, e.clientY - r.top);
  const tip = $('#tip');
  if (!s) { tip.hidden = true; return; }
  tip.textContent = `${s.seat} ${s.name || '（空位 vacant）'}${s.pinned ? ' ● 已固定 pinned' : ''}`;
  tip.style.left = `${e.clientX - r.left + 14}px`;
  tip.style.top = `${e.clientY - r.top + 14}px`;
  tip.hidden = false;
}

async function start() {
  const mapBox = $('#seats').parentElement;
  mapBox.addEventListener('click', (e) => {
    const r = $('#seats').getBoundingClientRect();
    const s = map.seatAt(e.clientX - r.left, e.clientY - r.top);
    if (s) showSeat(s.seat);
  });
  mapBox.addEventListener('mousemove', hover);
  mapBox.addEventListener('mouseleave', () => { $('#tip').hidden = true; });
  window.addEventListener('resize', () => { map.layout(); drawMarks(); });
  $('#swap').addEventListener('click', doSwap);
  $('#swap-clear').addEventListener('click', () => { swap.a = swap.b = ''; renderSwap(); });
  $('#rules-save').addEventListener('click', saveRules);
  $('#arrange').addEventListener('click', arrange);
  $('#confirm-go').addEventListener('click', confirmArrange);
  $('#confirm-cancel').addEventListener('click', () => $('#confirm').close());
  $('#session').addEventListener('change', (e) => openSession(e.target.value));
  $('#pdf-paper').addEventListener('change', chartLinks);
  try {
    const [event, list] = await Promise.all([call('GET', '/event').catch(() => null), call('GET', '/sessions')]);
    sessions = list;
    if (event) {
      categories = event.categories || {};
      setZone(event.timezone);
    }
    const pick = $('#session');
    pick.replaceChildren(...sessions.map((s) => h('option', { value: s.id }, `${s.name} · ${shortTime(s.starts_at)}`)));
    if (!sessions.some((s) => s.id === sessionID)) sessionID = sessions.length ? sessions[0].id : '';
    pick.value = sessionID;
    if (sessionID) await openSession(sessionID);
    else await sayNothingToSeat();
  } catch (e) { fail(e); }
}

// sayNothingToSeat explains an empty page: no meeting set up yet, or a
// meeting without sessions; both are put right at the desk's 会议设置.
async function sayNothingToSeat() {
  let noEvent = false;
  try { await call('GET', '/event'); } catch (e) { noEvent = e.code === 'no_event'; }
  const box = $('#empty');
  box.replaceChildren(
    noEvent ? '尚未建立会议：请先在报到处的“会议设置”中建立会议。' : '本会议还没有场次：请在报到处的“会议设置”中添加。',
    h('span', { class: 'en' }, noEvent ? 'No meeting is set up yet: set one up at the desk (会议设置).' : 'This meeting has no sessions yet: add them at the desk (会议设置).'),
    h('a', { href: '/desk#setup' }, '前往报到处 · Go to the desk'));
  box.hidden = false;
  // Nothing to pick, arrange or print until there is a session.
  for (const n of document.querySelectorAll('aside, .pick, .needs-seats, #arrange')) n.hidden = true;
}
start();

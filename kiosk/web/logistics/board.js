// board.js — the 看板 tab of /logistics: the day around the meeting at a
// glance, live. Arrivals in the next hours by station (已接 / 待接 / 延误:
// past their time and not picked up, however long ago), the vehicles out
// and whom they carry, who is in the hotel, and today's departures. One
// snapshot (GET /logistics/board) is read again whenever the logistics
// topic says something changed, and every minute (an arrival turns late
// with the clock alone).
import { h, bi, fmtTime, fmtDay } from '/static/common/dom.js';

const HOURS = [2, 4, 8, 12, 24];
const KEEP = 'huiwu.logistics.hours';

const STATUS = {
  waiting: ['待接', 'Waiting'],
  late: ['延误', 'Late'],
  picked_up: ['已接', 'Met'],
  missed: ['未到', 'Not arrived'],
  changed: ['改签', 'Changed'],
  departed: ['已送', 'Gone'],
  own: ['自行抵达', 'Own way'],
};
const DEPART = { waiting: ['待送', 'To see off'], departed: ['已送', 'Seen off'], missed: ['未走', 'Did not leave'], changed: ['改签', 'Changed'] };
const TICKET = { needed: ['需代订', 'To book'], booked: ['已订', 'Booked'], self: ['自行安排', 'Own'] };
const KIND = { car: '轿车', van: '商务车', bus: '大巴' };

const num = (n, zh, en, cls = '') => h('div', { class: 'tile ' + cls }, h('b', {}, String(n)), h('span', {}, ...bi(zh, en)));

function chip(status, words = STATUS) {
  const [zh, en] = words[status] || [status, status];
  return h('span', { class: 'chip ' + status }, zh, h('span', { class: 'en' }, en));
}

function when(r) {
  return r.at ? fmtTime(r.at) : '--:--';
}

function lateBy(r, now) {
  const m = Math.round((now - Date.parse(r.at)) / 60000);
  return m >= 60 ? `${Math.floor(m / 60)}时${m % 60}分` : `${m}分`;
}

/** arrivalRow is one person due at a station. */
function arrivalRow(r, now) {
  const li = h('li', { class: 'leg ' + r.status, dataset: { leg: r.id, status: r.status } },
    h('span', { class: 'time' }, when(r)),
    h('span', { class: 'no' }, r.number || ''),
    h('span', { class: 'who' }, h('span', { class: 'name' }, h('i', { class: 'cat' }), r.name, r.companions ? h('small', { class: 'plus' }, `+${r.companions}`) : null),
      h('small', { class: 'org' }, [r.category_name, r.delegation].filter(Boolean).join(' · '))),
    h('span', { class: 'state' }, chip(r.status), r.status === 'late' ? h('small', {}, lateBy(r, now)) : null,
      r.vehicle ? h('small', { class: 'car' }, r.vehicle) : null));
  if (r.color) li.style.setProperty('--cat', r.color);
  return li;
}

function stationCounts(c) {
  return h('div', { class: 'counts' },
    h('span', { class: 'c picked_up', dataset: { n: c.picked_up } }, `已接 ${c.picked_up}`),
    h('span', { class: 'c waiting' }, `待接 ${c.waiting}`),
    h('span', { class: 'c late' + (c.late ? ' hot' : '') }, `延误 ${c.late}`),
    c.missed ? h('span', { class: 'c missed' }, `未到 ${c.missed}`) : null,
    c.changed ? h('span', { class: 'c changed' }, `改签 ${c.changed}`) : null,
    c.own ? h('span', { class: 'c own' }, `自行抵达 ${c.own}`) : null,
    h('span', { class: 'c total' }, `共 ${c.total} 人次 · ${c.people} 人（含随行）`));
}

// A station lists its first ROWS rows (the late come first: they are the
// earliest) until it is opened whole, so that every station is in sight.
const ROWS = 14;

function arrivals(groups, hours, now, opened, redraw) {
  if (!groups.length) return h('p', { class: 'none' }, ...bi('今天没有抵达人员的行程。', 'No arrivals today.'));
  return h('div', { class: 'stations' }, groups.map((g) => {
    const id = g.station.id;
    const all = opened.has(id);
    const rows = all ? g.rows : g.rows.slice(0, ROWS);
    const toggle = g.rows.length > ROWS ? h('button', { type: 'button', class: 'more', onclick: () => {
      if (all) opened.delete(id); else opened.add(id);
      redraw();
    } }, ...(all ? bi('收起', 'Show fewer') : bi(`还有 ${g.rows.length - ROWS} 人，全部显示`, `${g.rows.length - ROWS} more: show all`))) : null;
    return h('article', { class: 'station', dataset: { station: id } },
      h('header', {}, h('h3', {}, g.station.name, g.station.name_en ? h('span', { class: 'en' }, g.station.name_en) : null), stationCounts(g.counts)),
      rows.length ? h('ol', { class: 'legs' }, rows.map((r) => arrivalRow(r, now)))
        : h('p', { class: 'none' }, ...bi(`未来 ${hours} 小时没有抵达`, `Nobody due in the next ${hours} hours`)),
      toggle);
  }));
}

function runs(list) {
  if (!list.length) return h('p', { class: 'none' }, ...bi('没有在途车辆', 'No vehicle out'));
  return h('ul', { class: 'runs' }, list.map((r) => {
    const heads = r.passengers.reduce((n, p) => n + 1 + p.companions, 0);
    return h('li', { class: 'run', dataset: { run: r.id } },
      h('div', { class: 'head' }, h('b', {}, r.vehicle), ` ${KIND[r.kind] || r.kind} ${r.plate || ''}`,
        h('span', { class: 'load' + (heads > r.seats ? ' over' : '') }, `${heads}/${r.seats} 座`)),
      h('div', { class: 'sub' }, `${r.direction === 'arrival' ? '接' : '送'} · ${r.station} · ${fmtTime(r.at)}`,
        r.driver ? ` · ${r.driver} ${r.driver_phone || ''}` : ''),
      h('div', { class: 'pax' }, r.passengers.length
        ? r.passengers.map((p) => h('span', { class: 'p ' + p.state }, p.name, p.companions ? `+${p.companions}` : ''))
        : h('span', { class: 'none' }, '无乘客 No passengers')));
  }));
}

function hotels(list) {
  if (!list.length) return h('p', { class: 'none' }, ...bi('没有住宿安排', 'No hotel stays'));
  return h('div', {}, list.map((x) => h('article', { class: 'hotel', dataset: { hotel: x.code, in: x.in } },
    h('div', { class: 'head' }, h('b', {}, x.name),
      h('span', { class: 'in' }, `在住 ${x.in}`), h('span', {}, ` / 应住 ${x.booked}`), x.out ? h('span', {}, ` · 已退 ${x.out}`) : null),
    x.guests.length
      ? h('ol', { class: 'guests' }, x.guests.map((g) => h('li', {}, h('span', { class: 'time' }, fmtTime(g.at)), h('span', { class: 'who' }, g.name), h('span', { class: 'room' }, g.room))))
      : h('p', { class: 'none' }, ...bi('还没有人入住', 'Nobody checked in yet')))));
}

function departures(groups) {
  if (!groups.length) return h('p', { class: 'none' }, ...bi('今天没有返程', 'No departures today'));
  return h('div', {}, groups.map((g) => h('article', { class: 'dep', dataset: { station: g.station.id } },
    h('div', { class: 'head' }, h('b', {}, g.station.name), ` 共 ${g.counts.total} · 已送 ${g.counts.departed}`),
    g.rows.length ? h('ol', { class: 'legs small' }, g.rows.map((r) => h('li', { class: 'leg ' + r.status, dataset: { leg: r.id, status: r.status } },
      h('span', { class: 'time' }, when(r)), h('span', { class: 'no' }, r.number || ''), h('span', { class: 'who' }, r.name, r.companions ? `+${r.companions}` : ''),
      h('span', { class: 'state' }, chip(r.status, DEPART), r.ticket ? chip(r.ticket, TICKET) : null))))
      : h('p', { class: 'none' }, ...bi('其余均已出发', 'The rest have left')))));
}

function totals(b) {
  const t = { picked_up: 0, waiting: 0, late: 0, people: 0, dep: 0 };
  for (const g of b.arrivals) {
    t.picked_up += g.counts.picked_up;
    t.waiting += g.counts.waiting;
    t.late += g.counts.late;
    t.people += g.counts.total;
  }
  for (const g of b.departures) t.dep += g.counts.total - g.counts.departed;
  const inHotel = b.hotels.reduce((n, x) => n + x.in, 0);
  return h('div', { class: 'tiles' },
    num(t.people, '今日抵达', 'Arriving today'),
    num(t.picked_up, '已接', 'Met', 'ok'),
    num(t.waiting, '待接', 'Waiting'),
    num(t.late, '延误', 'Late', t.late ? 'bad' : ''),
    num(b.runs.length, '车辆在途', 'Vehicles out'),
    num(inHotel, '在住酒店', 'In the hotel'),
    num(t.dep, '今日待返程', 'Leaving today'));
}

/** mountBoard fills section with the board and keeps it live. */
export function mountBoard(section, ctx) {
  let hours = Number(localStorage.getItem(KEEP)) || 4;
  if (!HOURS.includes(hours)) hours = 4;
  const stamp = h('span', { class: 'stamp' });
  const select = h('select', { 'aria-label': '显示未来几小时 Hours ahead' }, HOURS.map((n) => h('option', { value: n, selected: n === hours }, `未来 ${n} 小时`)));
  const body = h('div', { class: 'board-body' }, h('p', { class: 'none' }, '正在读取… Loading…'));
  section.replaceChildren(h('div', { class: 'board-bar' },
    h('h2', {}, ...bi('今日看板', "Today's board")), select, stamp,
    h('a', { class: 'phone', href: '/pickup' }, ...bi('用手机接站', 'Pickup on a phone'))), body);
  const state = { loads: 0, data: null, busy: false, again: false, opened: new Set() };
  window.logisticsBoard = { loads: () => state.loads, data: () => state.data };

  function draw() {
    const b = state.data;
    const now = Date.parse(b.now);
    body.replaceChildren(totals(b), h('div', { class: 'board-grid' },
      h('section', { class: 'arrivals' }, h('h3', { class: 'part' }, ...bi(`抵达 · 未来 ${hours} 小时及延误`, `Arrivals: next ${hours} h and late`)),
        arrivals(b.arrivals, hours, now, state.opened, draw)),
      h('aside', { class: 'side' },
        h('section', {}, h('h3', { class: 'part' }, ...bi('车辆在途', 'Vehicles out')), runs(b.runs)),
        h('section', {}, h('h3', { class: 'part' }, ...bi('酒店入住', 'In the hotel')), hotels(b.hotels)),
        h('section', {}, h('h3', { class: 'part' }, ...bi(`今日返程 · ${fmtDay(b.now)}`, 'Departures today')), departures(b.departures)))));
  }

  async function load() {
    if (state.busy) { state.again = true; return; }
    state.busy = true;
    try {
      state.data = await ctx.call('GET', `/logistics/board?hours=${hours}`);
      state.loads++;
      draw();
      stamp.textContent = `更新于 ${fmtTime(state.data.now)}`;
      stamp.classList.remove('stale');
    } catch (e) {
      stamp.textContent = `未能更新：${e.zh || e.message}`;
      stamp.classList.add('stale');
    } finally {
      state.busy = false;
      if (state.again) { state.again = false; load(); }
    }
  }
  select.addEventListener('change', () => {
    hours = Number(select.value);
    localStorage.setItem(KEEP, String(hours));
    load();
  });
  ctx.live.on(load);
  setInterval(load, 60000);
  return load();
}

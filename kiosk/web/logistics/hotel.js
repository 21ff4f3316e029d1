// hotel.js — the 住宿 tab of /logistics (desk and logistics roles): the
// hotel's room board (rooms × nights: who holds each room, checked in,
// checked out, empty), a person's stay with what the desk does to it —
// 换房, 加住 or other dates, 退房, 滞留 (a departure called off: cancel or
// rebook it, and extend the room or register a temporary one) — the
// 住宿登记表 of a night and 清退客房 to print. Everything is read over REST
// (/api/v1/hotel/…) and read again when the logistics topic says that
// something changed (a kiosk's hotel check-in, another desk's change).
import { h, bi, toast, fail, time } from '/static/common/dom.js';

document.head.append(h('link', { rel: 'stylesheet', href: new URL('./hotel.css', import.meta.url) }));

const STATE = {
  expected: ['未入住', 'Not in'],
  in: ['已入住', 'In'],
  out: ['已退房', 'Out'],
  moved: ['已换房', 'Moved'],
};
const KIND = {
  move: ['换房', 'Room changed'],
  nights: ['改住宿日期', 'Nights changed'],
  checkout: ['退房', 'Checked out'],
  temporary: ['临时房', 'Temporary room'],
};
const MODES = [['flight', '航班', 'Flight'], ['train', '火车', 'Train'], ['car', '自驾', 'Car'], ['other', '其他', 'Other']];
const FILTERS = [
  ['all', '全部房间', 'All rooms'],
  ['occupied', '有人住', 'Occupied'],
  ['empty', '有空房夜', 'Empty nights'],
  ['expected', '未入住', 'Not checked in'],
  ['stranded', '滞留', 'Stranded'],
  ['over', '超员', 'Over beds'],
];
const WEEK = '日一二三四五六';

/** day words a date as 12-01 周二. */
function day(d) {
  const wd = new Date(d + 'T00:00:00Z').getUTCDay();
  return [d.slice(5), '周' + WEEK[wd]];
}

/** addDays moves a YYYY-MM-DD date by n days. */
function addDays(d, n) {
  const t = new Date(d + 'T00:00:00Z');
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

function nightsBetween(a, b) {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86400000);
}

const label = (zh, en, ...kids) => h('label', {}, h('span', { class: 'l' }, ...bi(zh, en)), ...kids);
const q = (o) => new URLSearchParams(Object.entries(o).filter(([, v]) => v !== '' && v != null)).toString();

/** mountHotel draws the 住宿 tab into section; ctx is the shell's {call, tz, live}. */
export async function mountHotel(section, ctx) {
  const { call } = ctx;
  const st = { hotels: [], today: '', hotel: '', board: null, filter: 'all', view: 'board', matches: null,
    sel: 0, stay: null, form: '', clearance: null, by: '' };

  const el = {
    hotel: h('select', { 'aria-label': '酒店 Hotel', onchange: (e) => { st.hotel = e.target.value; refresh(); } }),
    search: h('input', { type: 'search', placeholder: '姓名、拼音首字母或房号 Name, initials or room', 'aria-label': '查找 Find', oninput: () => searchSoon() }),
    filter: h('select', { 'aria-label': '筛选 Filter', onchange: (e) => { st.filter = e.target.value; drawBoard(); } },
      FILTERS.map(([v, zh, en]) => h('option', { value: v }, `${zh} ${en}`))),
    views: h('div', { class: 'seg', role: 'tablist' }),
    print: h('span', { class: 'print' }),
    totals: h('div', { class: 'totals' }),
    left: h('div', { class: 'left' }),
    count: h('p', { class: 'count' }),
    scroll: h('div', { class: 'scroll' }),
    found: h('ul', { class: 'found', hidden: true }),
    panel: h('aside', { class: 'panel' }),
  };
  // The panel's parts: a live re-read redraws the facts and the history
  // but not a form being filled in.
  const pane = { info: h('div', { class: 'info' }), actions: h('div', { class: 'actions' }), form: h('div', { class: 'form-host' }),
    history: h('div', { class: 'history-host' }) };
  section.replaceChildren(h('div', { class: 'hx' },
    h('div', { class: 'hx-bar' }, el.hotel, h('div', { class: 'find' }, el.search, el.found), el.filter, el.views, el.print),
    el.totals,
    h('div', { class: 'hx-main' }, el.left, el.panel)));

  // ---- reading ----

  // Reads overlap (a live message while the desk picks a hotel or a day);
  // only the last one asked for is shown, or a slow older answer would put
  // the old hotel's board or the old day's list back.
  let asked = 0;
  async function refresh() {
    const mine = ++asked;
    try {
      if (!st.hotel) return;
      const board = await call('GET', '/hotel/board?' + q({ hotel: st.hotel }));
      const clearance = st.view === 'clearance' ? await call('GET', '/hotel/clearance?' + q({ hotel: st.hotel, by: st.by })) : st.clearance;
      if (mine !== asked) return;
      st.board = board;
      st.clearance = clearance;
      if (st.sel) await readStay();
      if (mine === asked) draw();
    } catch (e) {
      if (mine === asked) fail(e);
    }
  }

  async function readStay() {
    try {
      st.stay = await call('GET', `/hotel/stays/${st.sel}`);
    } catch (e) {
      if (e.code !== 'not_lodged') throw e;
      st.sel = 0;
      st.stay = null;
    }
  }

  let searchTimer = 0;
  function searchSoon() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(async () => {
      const text = el.search.value.trim();
      if (!text) {
        st.matches = null;
        el.found.hidden = true;
        drawBoard();
        return;
      }
      try {
        st.matches = await call('GET', '/hotel/stays?' + q({ hotel: st.hotel, q: text, limit: 30 }));
      } catch (e) {
        return fail(e);
      }
      el.found.replaceChildren(...st.matches.slice(0, 8).map((s) => h('li', {},
        h('button', { type: 'button', dataset: { id: s.attendee_id }, onclick: () => pick(s.attendee_id) },
          h('b', {}, s.name), ` ${s.room} `, h('small', {}, stateOf(s)[0])))));
      if (!st.matches.length) el.found.replaceChildren(h('li', { class: 'none' }, ...bi('没有找到', 'Nobody found')));
      el.found.hidden = false;
      drawBoard();
    }, 200);
  }

  async function pick(id) {
    st.sel = id;
    st.form = '';
    el.found.hidden = true;
    try {
      await readStay();
    } catch (e) {
      fail(e);
    }
    drawPanel(true);
    drawBoard();
    const room = st.stay && el.scroll.querySelector(`tr[data-room="${CSS.escape(st.stay.stay.room)}"]`);
    if (room) room.scrollIntoView({ block: 'nearest' });
  }

  // ---- drawing ----

  function draw() {
    drawBar();
    drawTotals();
    if (st.view === 'clearance') drawClearance();
    else drawBoard();
    drawPanel();
  }

  function drawBar() {
    const view = (v, zh, en) => h('button', { type: 'button', role: 'tab', class: st.view === v ? 'on' : '', 'aria-selected': String(st.view === v),
      dataset: { view: v }, onclick: () => { st.view = v; refresh(); } }, ...bi(zh, en));
    el.views.replaceChildren(view('board', '房态', 'Room board'), view('clearance', '清退客房', 'Check-out list'));
    const b = st.board;
    if (!b) return;
    const night = h('select', { class: 'night', 'aria-label': '登记表日期 Night' },
      b.nights.map((n) => h('option', { value: n, selected: n === st.today || undefined }, day(n).join(' '))));
    const link = (kind) => h('a', { class: 'btn', target: '_blank', rel: 'noopener', dataset: { print: kind },
      href: '#', onclick: (e) => { e.currentTarget.href = `/api/v1/hotel/register.${kind}?` + q({ hotel: st.hotel, night: night.value }); } },
    kind.toUpperCase());
    el.print.replaceChildren(h('span', { class: 'l' }, ...bi('住宿登记表', 'Register')), night, link('pdf'), link('xlsx'));
  }

  function drawTotals() {
    const b = st.board;
    if (!b) return el.totals.replaceChildren();
    el.totals.replaceChildren(...b.totals.map((t) => {
      const rate = t.rooms ? Math.round((t.occupied * 100) / t.rooms) : 0;
      return h('div', { class: 'night-total' + (t.night === st.today ? ' today' : ''), dataset: { night: t.night } },
        h('b', {}, day(t.night).join(' ')),
        h('span', {}, `已住 ${t.occupied}/${t.rooms} 间`), h('span', { class: 'empty' }, `空房 ${t.empty}`),
        h('span', {}, `入住率 ${rate}%`), h('span', {}, `住宿 ${t.heads} 人`), h('span', { class: 'in' }, `已入住 ${t.checked_in}`),
        t.over ? h('span', { class: 'over' }, `超员 ${t.over} 间`) : null);
    }));
  }

  function keep(r) {
    const guests = r.nights.flatMap((n) => n.guests);
    if (st.matches) {
      const ids = new Set(st.matches.map((s) => s.attendee_id));
      const held = new Set(st.matches.map((s) => s.room));
      const text = el.search.value.trim();
      if (!guests.some((g) => ids.has(g.attendee_id)) && !held.has(r.room) && !r.room.startsWith(text)) return false;
    }
    switch (st.filter) {
      case 'occupied': return guests.length > 0;
      case 'empty': return r.listed && r.nights.some((n) => !n.guests.length);
      case 'expected': return guests.some((g) => g.state === 'expected');
      case 'stranded': return guests.some((g) => g.stranded);
      case 'over': return r.nights.some((n) => n.heads > r.beds);
    }
    return true;
  }

  function guestButton(g) {
    const [zh, en] = STATE[g.state] || [g.state, g.state];
    return h('button', { type: 'button', class: `g ${g.state}${g.attendee_id === st.sel ? ' sel' : ''}`, title: `${g.name} ${zh} ${en}`,
      dataset: { id: g.attendee_id, state: g.state }, onclick: () => pick(g.attendee_id) },
    g.name, g.companions ? h('small', {}, `+${g.companions}`) : null,
    g.temporary || g.stranded ? h('i', { class: 'mark', title: '滞留 Stranded' }, '滞') : null);
  }

  function drawBoard() {
    if (st.view !== 'board') return;
    const b = st.board;
    if (!b) return;
    const rows = b.rooms.filter(keep);
    const head = h('tr', {}, h('th', { class: 'room' }, ...bi('房号', 'Room')), h('th', { class: 'beds' }, ...bi('床', 'Beds')),
      b.nights.map((n) => h('th', { class: n === st.today ? 'today' : '' }, ...bi(...day(n)))));
    const body = rows.map((r) => h('tr', { dataset: { room: r.room }, class: r.listed ? '' : 'unlisted' },
      h('th', { class: 'room' }, r.room), h('td', { class: 'beds' }, r.listed ? String(r.beds) : '?'),
      r.nights.map((n, i) => {
        const cls = !n.guests.length ? 'empty' : n.heads > r.beds ? 'over' : '';
        return h('td', { class: cls + (b.nights[i] === st.today ? ' today' : ''), dataset: { night: b.nights[i] } },
          n.guests.length ? n.guests.map(guestButton) : h('span', { class: 'free' }, '空'));
      })));
    // The scrolling box stays, so a live re-read keeps the place.
    if (el.left.firstChild !== el.count) el.left.replaceChildren(el.count, el.scroll);
    el.count.replaceChildren(`${b.name}：${rows.length} / ${b.rooms.length} 间`, h('span', { class: 'en' }, `${rows.length} of ${b.rooms.length} rooms shown`));
    el.scroll.replaceChildren(h('table', { class: 'board' }, h('thead', {}, head), h('tbody', {}, body)));
  }

  function drawClearance() {
    const list = st.clearance || [];
    const by = h('input', { type: 'date', value: st.by, 'aria-label': '离店日期 By', onchange: (e) => { st.by = e.target.value; refresh(); } });
    const link = (kind) => h('a', { class: 'btn', target: '_blank', rel: 'noopener', dataset: { print: 'clearance-' + kind },
      href: `/api/v1/hotel/clearance.${kind}?` + q({ hotel: st.hotel, by: st.by }) }, kind.toUpperCase());
    const row = (s) => h('tr', { dataset: { id: s.attendee_id } },
      h('td', {}, s.room),
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => pick(s.attendee_id) }, s.name),
        s.stranded ? h('i', { class: 'mark' }, '滞') : null),
      h('td', {}, [s.delegation, s.organization].filter(Boolean).join(' · ')),
      h('td', {}, day(s.check_out).join(' ')),
      h('td', {}, departure(s.departure)),
      h('td', {}, time(s.checked_in_at)),
      h('td', {}, h('button', { type: 'button', onclick: () => checkOut(s.attendee_id, s.name) }, ...bi('退房', 'Check out'))));
    const heads = ['房号 Room', '姓名 Name', '单位 Unit', '离店 Leaves', '返程 Departure', '入住 In', ''];
    el.left.replaceChildren(
      h('div', { class: 'clear-bar' }, label('离店日期不晚于', 'Leaving by', by),
        h('button', { type: 'button', onclick: () => { st.by = ''; refresh(); } }, ...bi('全部', 'Any day')),
        h('b', {}, `未退房 ${list.length} 人`, h('span', { class: 'en' }, `${list.length} not checked out`)), link('pdf'), link('xlsx')),
      list.length
        ? h('div', { class: 'scroll' }, h('table', { class: 'clearance' },
          h('thead', {}, h('tr', {}, heads.map((t) => h('th', {}, t)))), h('tbody', {}, list.map(row))))
        : h('p', { class: 'none' }, ...bi('没有未退房的人员', 'Everybody has checked out')));
  }

  function departure(l, stations = {}) {
    if (!l) return '未登记返程';
    const at = l.at ? time(l.at) : l.on_date ? l.on_date.slice(5) : '';
    return [l.number, stations[l.station_id], at].filter(Boolean).join(' ');
  }

  /** departureWords is the live departure, or else the last one called
   * off, said to be so. */
  function departureWords(a) {
    if (a.stay.departure) return departure(a.stay.departure, a.stations);
    const last = (a.departures || []).filter((l) => l.cancelled_at).pop();
    if (!last) return departure(null);
    return [departure(last, a.stations), ' ', h('span', { class: 'cancelled' }, ...bi('已取消', 'Cancelled'))];
  }

  function stateOf(s) {
    if (s.checked_out_at) return STATE.out;
    return s.checked_in_at ? STATE.in : STATE.expected;
  }

  /** drawPanel shows the selected person's stay; withForm redraws the
   * open form too (a new person, another action, a change saved). */
  function drawPanel(withForm = false) {
    const a = st.stay;
    if (!st.sel || !a) {
      el.panel.replaceChildren(h('p', { class: 'hint' }, ...bi('在房态表中点击姓名，或查找人员，以换房、加住、退房或登记滞留。',
        'Click a name on the board, or find a person, to change their room, nights, check them out or register a stranding.')));
      return;
    }
    if (el.panel.firstChild !== pane.info) el.panel.replaceChildren(pane.info, pane.actions, pane.form, pane.history);
    const s = a.stay;
    const hotelName = (code) => (st.hotels.find((x) => x.code === code) || { name: code }).name;
    const nights = nightsBetween(s.check_in, s.check_out);
    const [szh, sen] = stateOf(s);
    const action = (form, zh, en, disabled) => h('button', { type: 'button', class: st.form === form ? 'on' : '', disabled: disabled || undefined,
      dataset: { action: form }, onclick: () => { st.form = st.form === form ? '' : form; drawPanel(true); } }, ...bi(zh, en));
    pane.info.replaceChildren(
      h('header', {}, h('h3', {}, s.name, s.stranded ? h('span', { class: 'chip stranded' }, '滞留', h('span', { class: 'en' }, 'Stranded')) : null),
        h('p', { class: 'unit' }, [s.delegation, s.organization].filter(Boolean).join(' · '))),
      h('dl', { class: 'facts' },
        h('dt', {}, ...bi('房间', 'Room')), h('dd', { class: 'room', dataset: { room: s.room } }, `${hotelName(s.hotel)} ${s.room}`),
        h('dt', {}, ...bi('住宿', 'Nights')), h('dd', {}, `${day(s.check_in).join(' ')} → ${day(s.check_out).join(' ')}（${nights} 晚）`),
        h('dt', {}, ...bi('状态', 'State')), h('dd', { class: 'state', dataset: { state: s.checked_out_at ? 'out' : s.checked_in_at ? 'in' : 'expected' } },
          szh, ' ', h('small', {}, sen),
          s.checked_in_at ? h('small', { class: 'sub' }, `入住 ${time(s.checked_in_at)}，房卡 ${s.checked_in_room}`) : null,
          s.checked_out_at ? h('small', { class: 'sub' }, `退房 ${time(s.checked_out_at)} ${s.checked_out_by || ''}`) : null),
        s.companions ? [h('dt', {}, ...bi('随行', 'With')), h('dd', {}, `${s.companions} 人`)] : null,
        h('dt', {}, ...bi('返程', 'Leaves')), h('dd', { class: 'dep' }, departureWords(a))));
    pane.actions.replaceChildren(
      action('move', '换房', 'Change room', !!s.checked_out_at),
      action('nights', '加住 / 改日期', 'Nights'),
      action('checkout', '退房', 'Check out', !s.checked_in_at || !!s.checked_out_at),
      action('stranded', '滞留', 'Stranded'));
    if (withForm) pane.form.replaceChildren(st.form ? forms[st.form](s) : '');
    pane.history.replaceChildren(
      h('h4', {}, ...bi('变更记录', 'History')),
      a.moves.length ? h('ol', { class: 'history' }, a.moves.slice().reverse().map((m) => historyLine(m, hotelName)))
        : h('p', { class: 'none' }, ...bi('没有变更', 'No changes')));
  }

  function historyLine(m, hotelName) {
    const [zh, en] = KIND[m.kind] || [m.kind, m.kind];
    let what = '';
    if (m.kind === 'move' || m.kind === 'temporary') what = `${m.from_room} → ${m.to_hotel !== m.from_hotel ? hotelName(m.to_hotel) + ' ' : ''}${m.to_room}（${span(m.to_nights)}）`;
    else if (m.kind === 'nights') what = `${span(m.from_nights)} → ${span(m.to_nights)}`;
    else what = m.from_room;
    return h('li', { dataset: { kind: m.kind } }, h('b', {}, zh, m.stranded ? '·滞留' : ''), h('small', { class: 'en' }, en), ' ', what,
      m.reason ? h('span', { class: 'why' }, '：' + m.reason) : null, h('small', { class: 'by' }, `${time(m.at)} ${m.by}`));
  }

  const span = (s) => (s ? s.split('..').map((d) => d.slice(5)).join('–') : '');

  // ---- the desk's changes ----

  /** send posts a change of the selected stay; a room_full refusal shows
   * in the form with who is in the room, and offers to go ahead anyway. */
  async function send(path, body, form) {
    const msg = form.querySelector('.msg');
    msg.replaceChildren();
    try {
      const res = await call('POST', `/hotel/stays/${st.sel}/${path}`, body);
      st.stay = res;
      st.form = '';
      toast('已登记', 'Saved');
      await refresh();
      drawPanel(true);
    } catch (e) {
      if (!e.zh) return fail(e);
      msg.replaceChildren(...bi(e.zh, e.en));
      msg.className = 'msg bad';
      const force = form.querySelector('.force');
      if (e.code === 'room_full' && force) force.hidden = false;
    }
  }

  function force() {
    return h('label', { class: 'force', hidden: true }, h('input', { type: 'checkbox', name: 'force' }),
      ...bi('房间已满仍然安排（须写明原因）', 'Put them there anyway (give a reason)'));
  }

  /** roomPicker is a hotel and one of its rooms with a bed for the person
   * on the nights from..until, or any room typed in. */
  function roomPicker(s, from, until) {
    const hotel = h('select', { name: 'hotel', 'aria-label': '酒店 Hotel' }, st.hotels.map((x) => h('option', { value: x.code, selected: x.code === s.hotel || undefined }, x.name)));
    const room = h('select', { name: 'room', 'aria-label': '房间 Room' });
    const other = h('input', { name: 'other', placeholder: '其他房号 Other room', size: 8, 'aria-label': '其他房号 Other room' });
    const load = async () => {
      const f = from(), u = until();
      if (!f || !u || u <= f) return room.replaceChildren(h('option', { value: '' }, '—'));
      try {
        const free = await call('GET', '/hotel/free?' + q({ hotel: hotel.value, from: f, until: u, attendee: s.attendee_id }));
        room.replaceChildren(h('option', { value: '' }, `空房 ${free.rooms.length} 间 Free rooms`),
          ...free.rooms.filter((r) => !(hotel.value === s.hotel && r.room === s.room))
            .map((r) => h('option', { value: r.room }, `${r.room}（${r.beds} 床，空 ${r.spare}）`)));
      } catch (e) {
        fail(e);
      }
    };
    hotel.addEventListener('change', load);
    load();
    return { el: [label('酒店', 'Hotel', hotel), label('房间', 'Room', room, other)], hotel, room: () => other.value.trim() || room.value, reload: load };
  }

  const forms = {
    move(s) {
      const from = h('input', { type: 'date', name: 'from', value: st.today > s.check_in ? st.today : s.check_in, min: s.check_in, max: addDays(s.check_out, -1) });
      const reason = h('input', { name: 'reason', placeholder: '原因，如：空调故障 Reason' });
      const pickRoom = roomPicker(s, () => from.value, () => s.check_out);
      from.addEventListener('change', pickRoom.reload);
      const form = h('form', { class: 'change', dataset: { form: 'move' }, onsubmit: (e) => {
        e.preventDefault();
        send('move', { hotel: pickRoom.hotel.value, room: pickRoom.room(), from: from.value, reason: reason.value, force: form.elements.force.checked }, form);
      } },
      h('h4', {}, ...bi('换房', 'Change room')), ...pickRoom.el, label('自该夜起', 'From the night of', from), label('原因', 'Reason', reason),
      force(), h('p', { class: 'msg' }), h('button', { type: 'submit', class: 'primary' }, ...bi('确认换房', 'Change room')));
      return form;
    },
    nights(s) {
      const inD = h('input', { type: 'date', name: 'check_in', value: s.check_in });
      const outD = h('input', { type: 'date', name: 'check_out', value: s.check_out });
      const reason = h('input', { name: 'reason', placeholder: '原因，如：会期延长 Reason' });
      const form = h('form', { class: 'change', dataset: { form: 'nights' }, onsubmit: (e) => {
        e.preventDefault();
        send('nights', { check_in: inD.value, check_out: outD.value, reason: reason.value, force: form.elements.force.checked }, form);
      } },
      h('h4', {}, ...bi('加住 / 改日期', 'Nights')), label('入住日期', 'First night', inD), label('离店日期', 'Leaves on', outD),
      h('button', { type: 'button', onclick: () => { outD.value = addDays(outD.value, 1); } }, ...bi('加住一晚', 'One more night')),
      label('原因', 'Reason', reason), force(), h('p', { class: 'msg' }), h('button', { type: 'submit', class: 'primary' }, ...bi('保存', 'Save')));
      return form;
    },
    checkout(s) {
      const reason = h('input', { name: 'reason', placeholder: '备注（可不填）Note' });
      const form = h('form', { class: 'change', dataset: { form: 'checkout' }, onsubmit: (e) => {
        e.preventDefault();
        send('checkout', { reason: reason.value }, form);
      } },
      h('h4', {}, ...bi(`${s.name} 退房 ${s.room}`, 'Check out')), label('备注', 'Note', reason), h('p', { class: 'msg' }),
      h('button', { type: 'submit', class: 'primary' }, ...bi('确认退房', 'Check out')));
      return form;
    },
    stranded(s) {
      const dep = s.departure;
      const radio = (name, value, zh, en, checked, disabled) => h('label', { class: 'radio' },
        h('input', { type: 'radio', name, value, checked: checked || undefined, disabled: disabled || undefined }), ...bi(zh, en));
      const until = h('input', { type: 'date', name: 'until', value: addDays(s.check_out, 1), min: addDays(s.check_out, 1) });
      const reason = h('input', { name: 'reason', required: true, placeholder: '如：航班取消（大雾）、误机 e.g. flight cancelled' });
      const mode = h('select', { name: 'mode' }, MODES.map(([v, zh, en]) => h('option', { value: v, selected: (dep && dep.mode === v) || undefined }, `${zh} ${en}`)));
      const number = h('input', { name: 'number', placeholder: '班次 CA1234', size: 8 });
      const onDate = h('input', { type: 'date', name: 'on_date', value: addDays(s.check_out, 1) });
      const at = h('input', { type: 'time', name: 'time' });
      const ticket = h('input', { name: 'ticket_no', placeholder: '票号（已订时）Ticket no.', size: 12 });
      const rebook = h('fieldset', { class: 'rebook', hidden: true }, h('legend', {}, ...bi('新的返程', 'New departure')),
        label('方式', 'Mode', mode), label('班次', 'Number', number), label('日期', 'Date', onDate), label('时间', 'Time', at), label('票号', 'Ticket', ticket));
      const pickRoom = roomPicker(s, () => (s.checked_out_at ? st.today : s.check_out), () => until.value);
      until.addEventListener('change', pickRoom.reload);
      const temp = h('fieldset', { class: 'temp', hidden: true }, h('legend', {}, ...bi('临时房', 'Temporary room')), ...pickRoom.el);
      const form = h('form', { class: 'change', dataset: { form: 'stranded' }, onsubmit: (e) => {
        e.preventDefault();
        const f = form.elements;
        const body = { departure: f.departure.value, stay: f.stay.value, until: until.value, reason: reason.value, force: f.force.checked };
        if (body.departure === 'rebook') {
          body.next = { mode: mode.value, number: number.value, on_date: onDate.value, time: at.value, station_id: dep ? dep.station_id || 0 : 0,
            ticket: ticket.value.trim() ? 'booked' : 'needed', ticket_no: ticket.value };
        }
        if (body.stay === 'temporary') Object.assign(body, { hotel: pickRoom.hotel.value, room: pickRoom.room() });
        send('stranded', body, form);
      }, onchange: () => {
        const f = form.elements;
        rebook.hidden = f.departure.value !== 'rebook';
        temp.hidden = f.stay.value !== 'temporary';
        until.disabled = f.stay.value === 'none';
      } },
      h('h4', {}, ...bi('滞留登记', 'Stranded')),
      h('p', { class: 'dep' }, h('span', { class: 'l' }, ...bi('返程', 'Departure')), departureWords(st.stay)),
      h('div', { class: 'radios' }, h('span', { class: 'l' }, ...bi('返程', 'Departure')),
        radio('departure', 'cancel', '取消', 'Cancel', !!dep, !dep), radio('departure', 'rebook', '改签', 'Rebook', false, !dep),
        radio('departure', 'keep', '不变', 'Keep', !dep)),
      rebook,
      h('div', { class: 'radios' }, h('span', { class: 'l' }, ...bi('住宿', 'Room')),
        radio('stay', 'extend', '原房加住', 'Extend', true), radio('stay', 'temporary', '临时房', 'Temporary room'), radio('stay', 'none', '不变', 'None')),
      label('住到（离店日期）', 'Until (leaves on)', until), temp, label('原因', 'Reason', reason),
      force(), h('p', { class: 'msg' }), h('button', { type: 'submit', class: 'primary' }, ...bi('登记滞留', 'Register')));
      return form;
    },
  };

  async function checkOut(id, name) {
    try {
      await call('POST', `/hotel/stays/${id}/checkout`, {});
      toast(`${name} 已退房`, 'Checked out');
      await refresh();
    } catch (e) {
      fail(e);
    }
  }

  // ---- start ----

  const first = await call('GET', '/hotel/hotels');
  st.hotels = first.hotels;
  st.today = first.today;
  st.by = first.today;
  if (!st.hotels.length) {
    section.replaceChildren(h('p', { class: 'none' }, ...bi('本次会议没有设置酒店。', 'The meeting has no hotel.')));
    return;
  }
  st.hotel = st.hotels[0].code;
  el.hotel.replaceChildren(...st.hotels.map((x) => h('option', { value: x.code }, x.name)));
  await refresh();
  ctx.live.on(refresh);
}

// transport.js — the 接站 and 返程 tabs of /logistics (desk and logistics
// roles): a day's arrivals (or departures) grouped by station and time
// window with their counts (随行 too), the vehicles and their runs, and
// what the desk does with them: send a vehicle for a group, put a person
// on a vehicle by choosing it or by dragging the person onto it, let the
// server fill the vehicles (a preview first, then applied as previewed),
// keep the fleet, tick whose phone drivers may have, and print the
// 接站一览表 of a station and a driver's 派车单 (PDF and XLSX). Everything
// is read over REST (/api/v1/transport/…) and read again when the
// logistics topic says something changed.
import { h, bi, toast, fail, fmtTime } from '/static/common/dom.js';

document.head.append(h('link', { rel: 'stylesheet', href: new URL('./transport.css', import.meta.url) }));

const WORDS = {
  arrival: { title: ['接站一览表', 'Arrivals'], when: ['抵达', 'Arrives'], run: ['接站', 'pickup'], sheet: '接站一览表' },
  departure: { title: ['送站一览表', 'Departures'], when: ['出发', 'Leaves'], run: ['送站', 'drop-off'], sheet: '送站一览表' },
};
const KINDS = { car: ['轿车', 'Car'], van: ['商务车', 'Van'], bus: ['大客车', 'Bus'] };
const STATES = { picked_up: ['已接', 'Met'], missed: ['未到', 'Missed'], changed: ['改签', 'Rebooked'], departed: ['已送站', 'Gone'] };
const WINDOWS = [20, 30, 45, 60, 90, 120];
const API = '/api/v1';

const num = (v) => Number(v) || 0;
const qs = (o) => new URLSearchParams(Object.entries(o).filter(([, v]) => v !== '' && v != null && v !== 0)).toString();
const label = (zh, en, ...kids) => h('label', { class: 'tp-field' }, h('span', {}, ...bi(zh, en)), ...kids);

/** mountArrivals draws the 接站 tab into section; ctx is the shell's {call, tz, live}. */
export function mountArrivals(section, ctx) { return mount(section, ctx, 'arrival'); }

/** mountDepartures draws the 返程 tab: departures grouped the same way. */
export function mountDepartures(section, ctx) { return mount(section, ctx, 'departure'); }

async function mount(section, ctx, direction) {
  const { call, tz, live } = ctx;
  const w = WORDS[direction];
  const st = { date: '', station: 0, window: 45, roundTrip: 120, lead: 150, view: null, preview: null, fleetOpen: false, editing: null, dispatch: '', picked: {}, draft: null, contactDraft: null };
  let loads = 0;
  // For the browser tests: how many times the tab has read its day.
  window.transport = window.transport || {};
  window.transport[direction] = { loads: () => loads, view: () => st.view, preview: () => st.preview };

  const bar = h('div', { class: 'tp-bar' });
  const groups = h('div', { class: 'tp-groups' });
  const side = h('aside', { class: 'tp-side' });
  const dialog = h('div', { class: 'tp-dialog', hidden: true });
  section.replaceChildren(h('div', { class: 'tp' }, bar, h('div', { class: 'tp-main' }, groups, side), dialog));

  const clock = (t) => (t ? fmtTime(t, tz) : '');
  const vehicle = (id) => st.view.vehicles.find((v) => v.id === id) || { code: '?', seats: 0 };
  const station = (id) => st.view.stations.find((s) => s.id === id) || { name: '未定站点', name_en: 'No station' };
  const vname = (v) => v.plate || v.code;

  // Reads overlap (a live message while the desk picks a day); only the
  // last one asked for is shown, or a slow older answer would put the old
  // day back.
  let asked = 0;
  async function load() {
    const mine = ++asked;
    const view = await call('GET', '/transport/groups?' + qs({ direction, date: st.date, station: st.station, window: st.window }));
    if (mine !== asked) return;
    st.view = view;
    st.date = view.date;
    loads++;
    draw();
  }
  const reload = () => load().catch(fail);

  /** act runs a change, says what it did, and reads the day again. */
  async function act(fn, zh, en) {
    try {
      await fn();
      if (zh) toast(zh, en);
    } catch (e) {
      fail(e);
    }
    await reload();
  }

  function draw() {
    drawBar();
    drawGroups();
    drawSide();
  }

  // ---- the bar: day, station, window, fill, fleet, contact ----
  function drawBar() {
    const v = st.view;
    const dates = v.dates.includes(v.date) ? v.dates : [...v.dates, v.date].sort();
    const people = v.groups.reduce((n, g) => n + g.people, 0);
    const comp = v.groups.reduce((n, g) => n + g.companions, 0);
    const unseated = v.groups.filter((g) => g.from).reduce((n, g) => n + g.unseated, 0);
    bar.replaceChildren(
      h('h2', {}, ...bi(...w.title)),
      label('日期', 'Day', h('select', { class: 'tp-date', onchange: (e) => { st.date = e.target.value; reload(); } },
        dates.map((d) => h('option', { value: d, selected: d === v.date }, d)))),
      label('站点', 'Station', h('select', { class: 'tp-station', onchange: (e) => { st.station = num(e.target.value); reload(); } },
        h('option', { value: 0 }, '全部站点 All'),
        v.stations.map((s) => h('option', { value: s.id, selected: s.id === st.station }, s.name)))),
      label('每组', 'Window', h('select', { class: 'tp-window', onchange: (e) => { st.window = num(e.target.value); reload(); } },
        WINDOWS.map((m) => h('option', { value: m, selected: m === v.window }, `${m} 分钟`)))),
      h('div', { class: 'tp-sum' },
        h('b', {}, `${people} 人`), comp ? ` 随行 ${comp}` : '', v.self_drive ? ` · 自驾 ${v.self_drive}` : '', v.own ? ` · 自行前往 ${v.own}` : '',
        unseated ? h('span', { class: 'tp-need' }, ` · 待派 ${unseated} 座`) : h('span', { class: 'tp-done' }, ' · 已全部派车'),
        h('span', { class: 'en' }, `${people} people, ${comp} companions; ${unseated} seat${unseated === 1 ? '' : 's'} to send for`)),
      h('button', { type: 'button', class: 'tp-go tp-fill', onclick: () => preview() }, ...bi('自动派车', 'Auto-fill')),
      h('button', { type: 'button', class: 'tp-plain tp-fleet-toggle', onclick: () => { st.fleetOpen = !st.fleetOpen; st.editing = null; st.draft = null; drawSide(); } },
        ...bi('车辆管理', 'Vehicles')),
      contactBox());
  }

  /** contactBox shows the drivers' contact, or the form that changes it
   * (its draft kept in st, so that a redraw does not lose what is typed). */
  function contactBox() {
    const c = st.view.contact;
    const d = st.contactDraft;
    if (!d) {
      return h('div', { class: 'tp-contact' }, h('span', {}, ...bi('司机联系人', "Drivers' contact")),
        h('b', { class: c.phone ? '' : 'tp-need' }, c.name || c.phone ? `${c.name} ${c.phone}` : '未设置 not set'),
        h('button', { type: 'button', class: 'tp-plain tp-small', onclick: () => { st.contactDraft = { ...c }; drawBar(); } }, '修改'));
    }
    const field = (k, size, max, hint) => h('input', { name: k, value: d[k], size, maxlength: max, placeholder: hint, oninput: (e) => { d[k] = e.target.value; } });
    return h('div', { class: 'tp-contact' }, field('name', 10, 40, '姓名 name'), field('phone', 13, 30, '电话 phone'),
      h('button', { type: 'button', class: 'tp-go tp-small', onclick: () => { st.contactDraft = null; act(() => call('PUT', '/transport/contact', d), '联系人已保存', 'Contact saved'); } }, '保存'),
      h('button', { type: 'button', class: 'tp-plain tp-small', onclick: () => { st.contactDraft = null; drawBar(); } }, '取消'));
  }

  // ---- the groups, by station ----
  function drawGroups() {
    const v = st.view;
    if (!v.groups.length) {
      groups.replaceChildren(h('p', { class: 'tp-none' }, ...bi(`${v.date} 没有${w.run[0]}`, `No ${w.run[1]}s on ${v.date}`)));
      return;
    }
    const byStation = new Map();
    for (const g of v.groups) {
      if (!byStation.has(g.station_id)) byStation.set(g.station_id, []);
      byStation.get(g.station_id).push(g);
    }
    groups.replaceChildren(...[...byStation].map(([id, gs]) => {
      const s = station(id);
      const people = gs.reduce((n, g) => n + g.people, 0);
      const q = qs({ direction, date: v.date, window: v.window });
      return h('section', { class: 'tp-station', dataset: { station: id } },
        h('header', {},
          h('h3', {}, s.name, h('span', { class: 'en' }, s.name_en || '')),
          h('span', { class: 'tp-count' }, `${people} 人 · ${gs.length} 组`),
          id ? h('span', { class: 'tp-print' }, w.sheet + ' ',
            h('a', { href: `${API}/transport/stations/${id}/sheet.pdf?${q}`, target: '_blank', class: 'tp-pdf' }, 'PDF'),
            h('a', { href: `${API}/transport/stations/${id}/sheet.xlsx?${q}`, class: 'tp-xlsx' }, 'XLSX')) : '',
          id ? merger(s) : ''),
        gs.map(groupCard));
    }));
  }

  /** merger offers to merge station s into another: two spellings of one
   * airport that an import made two stations. */
  function merger(s) {
    const others = st.view.stations.filter((o) => o.id !== s.id);
    if (!others.length) return '';
    return h('select', { class: 'tp-merge', title: '合并站点 Merge stations', onchange: (e) => {
      const into = others.find((o) => o.id === num(e.target.value));
      e.target.value = '';
      if (!into || !confirm(`把「${s.name}」并入「${into.name}」？其人员、派车和写法都归入后者。 Merge ${s.name} into ${into.name}?`)) return;
      if (st.station === s.id) st.station = into.id;
      act(() => call('POST', `/transport/stations/${s.id}/merge`, { into: into.id }), `已并入 ${into.name}`, `Merged into ${into.name_en || into.name}`);
    } }, h('option', { value: '' }, '合并到… Merge into'), others.map((o) => h('option', { value: o.id }, o.name)));
  }

  function groupCard(g) {
    const runs = g.runs.map((id) => st.view.runs.find((r) => r.id === id)).filter(Boolean);
    const span = g.from ? (clock(g.from) === clock(g.to) ? clock(g.from) : `${clock(g.from)}–${clock(g.to)}`) : '时间未定';
    const card = h('article', { class: 'tp-group' + (g.from && g.unseated ? ' tp-open' : ''), dataset: { group: g.key } },
      h('header', {},
        h('b', { class: 'tp-time' }, span),
        h('span', { class: 'tp-people' }, `${g.people} 人`, g.companions ? h('small', {}, ` 随行 ${g.companions}`) : ''),
        g.from && g.unseated ? h('span', { class: 'tp-need' }, ...bi(`待派 ${g.unseated} 座`, `${g.unseated} seat${g.unseated > 1 ? 's' : ''} to send for`))
          : g.from ? h('span', { class: 'tp-done' }, ...bi('已派车', 'Sent')) : h('span', { class: 'tp-muted' }, ...bi('无时间，不能派车', 'No time known')),
        h('span', { class: 'tp-chips' }, runs.map((r) => runChip(r))),
        g.from ? dispatcher(g) : ''),
      h('table', { class: 'tp-riders' }, h('tbody', {}, g.riders.map((r) => riderRow(r, g)))));
    return card;
  }

  /** runChip is a run in a group's header: a place to drop a person. */
  function runChip(r) {
    const v = vehicle(r.vehicle_id);
    return droppable(h('span', { class: 'tp-chip' + (r.seats > v.seats ? ' tp-over' : ''), dataset: { run: r.id } },
      vname(v), h('small', {}, ` ${r.seats}/${v.seats}`)), r.id);
  }

  /** dispatcher sends a vehicle for the group's people who have no seat. */
  function dispatcher(g) {
    if (st.dispatch !== g.key) {
      return h('button', { type: 'button', class: 'tp-plain tp-small tp-send', disabled: !g.unseated, onclick: () => { st.dispatch = g.key; drawGroups(); } },
        ...bi('派车', 'Send'));
    }
    // Free vehicles first (the smallest that seats everyone chosen), then
    // those out at that time, which the desk may still send.
    const free = g.free.map(vehicle);
    const busy = st.view.vehicles.filter((v) => !g.free.includes(v.id));
    if (!st.picked[g.key]) st.picked[g.key] = (free.find((v) => v.seats >= g.unseated) || free[free.length - 1] || busy[0] || {}).id;
    const option = (v, out) => h('option', { value: v.id, selected: v.id === st.picked[g.key] },
      `${vname(v)} · ${KINDS[v.kind][0]} ${v.seats} 座 · ${v.driver}${out ? '（该时段有任务 busy）' : ''}`);
    const pick = h('select', { class: 'tp-vehicle', onchange: (e) => { st.picked[g.key] = num(e.target.value); } },
      free.map((v) => option(v, false)), busy.map((v) => option(v, true)));
    return h('span', { class: 'tp-dispatch' }, pick,
      h('button', { type: 'button', class: 'tp-go tp-small', onclick: () => send(g, num(pick.value)) }, '派车'),
      h('button', { type: 'button', class: 'tp-plain tp-small', onclick: () => { st.dispatch = ''; drawGroups(); } }, '取消'));
  }

  async function send(g, id) {
    st.dispatch = '';
    delete st.picked[g.key];
    const v = vehicle(id);
    const legs = [];
    let seats = 0;
    for (const r of g.riders) {
      if (r.run_id || r.state !== 'expected' || seats + 1 + r.companions > v.seats) continue;
      legs.push(r.leg_id);
      seats += 1 + r.companions;
    }
    let at = new Date(g.from);
    if (direction === 'departure') at = new Date(at.getTime() - st.lead * 60000);
    await act(() => call('POST', '/transport/runs', { vehicle_id: id, direction, station_id: g.station_id, at: at.toISOString(), legs }),
      `已派 ${vname(v)}：${legs.length} 人`, `${vname(v)} sent for ${legs.length}`);
  }

  function riderRow(r, g) {
    const choices = st.view.runs.filter((x) => x.station_id === g.station_id);
    const state = STATES[r.state];
    const row = h('tr', { class: 'tp-rider' + (state ? ' tp-settled' : ''), draggable: 'true', dataset: { leg: r.leg_id } },
      h('td', { class: 'tp-name' }, r.name, r.organization ? h('small', {}, r.organization) : ''),
      h('td', { class: 'tp-no' }, r.number || ''),
      h('td', { class: 'tp-at' }, clock(r.at) || '—'),
      h('td', { class: 'tp-comp' }, r.companions ? `+${r.companions}` : ''),
      h('td', { class: 'tp-state' }, state ? h('span', { class: 'tp-tag ' + r.state }, ...bi(...state)) : ''),
      h('td', {}, h('select', { class: 'tp-runpick', 'aria-label': '车辆 Vehicle', onchange: (e) => move(r, num(e.target.value)) },
        h('option', { value: 0 }, '未派车 —'),
        choices.map((x) => {
          const v = vehicle(x.vehicle_id);
          return h('option', { value: x.id, selected: x.id === r.run_id }, `${clock(x.at)} ${vname(v)} ${x.seats}/${v.seats}`);
        }))),
      h('td', { class: 'tp-phone' }, h('label', { title: '司机派车单上印此人电话 Print the phone on the driver\'s sheet' },
        h('input', { type: 'checkbox', checked: r.phone_to_driver, onchange: (e) => act(
          () => call('PUT', `/transport/driver-phones/${r.attendee_id}`, { phone_to_driver: e.target.checked }),
          e.target.checked ? '司机可见此人电话' : '司机不可见此人电话', e.target.checked ? 'Drivers get the phone' : 'Drivers do not get the phone') }),
        ' 电话给司机')));
    row.addEventListener('dragstart', (e) => {
      e.dataTransfer.setData('text/x-leg', String(r.leg_id));
      e.dataTransfer.effectAllowed = 'move';
      row.classList.add('tp-dragging');
    });
    row.addEventListener('dragend', () => row.classList.remove('tp-dragging'));
    return row;
  }

  function move(r, runID) {
    const v = runID ? vehicle(st.view.runs.find((x) => x.id === runID).vehicle_id) : null;
    return act(() => call('PUT', `/transport/legs/${r.leg_id}/run`, { run_id: runID }),
      v ? `${r.name} → ${vname(v)}` : `${r.name} 未派车`, v ? `${r.name} on ${vname(v)}` : `${r.name} on no vehicle`);
  }

  /** droppable makes el take a person dragged onto it. */
  function droppable(el, runID) {
    el.addEventListener('dragover', (e) => {
      if (![...e.dataTransfer.types].includes('text/x-leg')) return;
      e.preventDefault();
      el.classList.add('tp-drop');
    });
    el.addEventListener('dragleave', () => el.classList.remove('tp-drop'));
    el.addEventListener('drop', (e) => {
      e.preventDefault();
      el.classList.remove('tp-drop');
      const leg = num(e.dataTransfer.getData('text/x-leg'));
      const r = st.view.groups.flatMap((g) => g.riders).find((x) => x.leg_id === leg);
      if (r && r.run_id !== runID) move(r, runID);
    });
    return el;
  }

  // ---- the side: vehicles and their runs, the fleet ----
  function drawSide() {
    const v = st.view;
    const parts = [h('h3', {}, ...bi('车辆与派车', 'Vehicles and runs'))];
    if (st.fleetOpen) parts.push(fleetForm());
    if (!v.vehicles.length) parts.push(h('p', { class: 'tp-none' }, ...bi('还没有车辆：点“车辆管理”添加', 'No vehicles yet: add them under Vehicles')));
    for (const veh of v.vehicles) {
      const runs = v.runs.filter((r) => r.vehicle_id === veh.id);
      const q = qs({ date: v.date });
      parts.push(h('article', { class: 'tp-vehicle', dataset: { vehicle: veh.id } },
        h('header', {},
          h('b', {}, vname(veh)), h('span', { class: 'tp-kind' }, `${KINDS[veh.kind][0]} ${veh.seats} 座`),
          h('span', { class: 'tp-driver' }, `${veh.driver} ${veh.driver_phone}`),
          h('span', { class: 'tp-print' }, '派车单 ',
            h('a', { href: `${API}/transport/vehicles/${veh.id}/sheet.pdf?${q}`, target: '_blank', class: 'tp-pdf' }, 'PDF'),
            h('a', { href: `${API}/transport/vehicles/${veh.id}/sheet.xlsx?${q}`, class: 'tp-xlsx' }, 'XLSX')),
          st.fleetOpen ? h('span', { class: 'tp-edit' },
            h('button', { type: 'button', class: 'tp-plain tp-small', onclick: () => { st.editing = veh; st.draft = null; drawSide(); } }, '修改'),
            h('button', { type: 'button', class: 'tp-plain tp-small tp-bad', onclick: () => remove(veh) }, '删除')) : ''),
        runs.length ? h('ul', { class: 'tp-runs' }, runs.map((r) => runItem(r, veh)))
          : h('p', { class: 'tp-muted' }, ...bi('当天无派车', 'No runs this day'))));
    }
    side.replaceChildren(...parts);
  }

  function runItem(r, veh) {
    const names = r.legs.map((id) => {
      const x = st.view.groups.flatMap((g) => g.riders).find((y) => y.leg_id === id);
      return x ? x.name + (x.companions ? `+${x.companions}` : '') : '';
    }).filter(Boolean);
    // A run is sent out (出车: the board shows it on the road), then done.
    const next = { planned: ['out', '出车', 'Out'], out: ['done', '完成', 'Done'] }[r.state];
    return droppable(h('li', { class: `tp-run tp-${r.state}` + (r.seats > veh.seats ? ' tp-over' : ''), dataset: { run: r.id, state: r.state } },
      h('div', {}, h('b', {}, clock(r.at)), ` ${station(r.station_id).name} `, h('span', { class: 'tp-load' }, `${r.seats}/${veh.seats}`),
        h('button', { type: 'button', class: 'tp-x', title: '取消这趟车 Remove the run', onclick: () => act(() => call('DELETE', `/transport/runs/${r.id}`), '已取消这趟车', 'Run removed') }, '×'),
        next ? h('button', { type: 'button', class: 'tp-plain tp-small tp-state-go', onclick: () => act(() => call('PATCH', `/transport/runs/${r.id}`, { state: next[0] }),
          `${vname(veh)} ${next[1]}`, `${vname(veh)}: ${next[2].toLowerCase()}`) }, next[1]) : h('span', { class: 'tp-muted' }, ' 已完成')),
      h('div', { class: 'tp-pax' }, names.join('、') || '（空）')), r.id);
  }

  function remove(veh) {
    if (!confirm(`删除车辆 ${vname(veh)}？ Remove this vehicle?`)) return;
    act(() => call('DELETE', `/transport/vehicles/${veh.id}`), '车辆已删除', 'Vehicle removed');
  }

  /** fleetForm adds a vehicle, or changes st.editing; what is typed is
   * kept in st.draft, so that a redraw does not lose it. */
  function fleetForm() {
    const e = st.editing || { code: '', kind: 'car', seats: 4, plate: '', driver: '', driver_phone: '' };
    if (!st.draft || st.draft.id !== e.id) st.draft = { ...e };
    const d = st.draft;
    const f = h('form', { class: 'tp-fleet', oninput: (ev) => { if (ev.target.name) d[ev.target.name] = ev.target.value; },
      onchange: (ev) => { if (ev.target.name) d[ev.target.name] = ev.target.value; }, onsubmit: (ev) => {
      ev.preventDefault();
      const body = { code: f.code.value, kind: f.kind.value, seats: num(f.seats.value), plate: f.plate.value, driver: f.driver.value, driver_phone: f.driver_phone.value };
      st.editing = null;
      st.draft = null;
      act(() => (e.id ? call('PATCH', `/transport/vehicles/${e.id}`, body) : call('POST', '/transport/vehicles', body)),
        e.id ? '车辆已修改' : '车辆已添加', e.id ? 'Vehicle changed' : 'Vehicle added');
    } },
    h('h4', {}, ...bi(e.id ? `修改 ${vname(e)}` : '添加车辆', e.id ? 'Change a vehicle' : 'Add a vehicle')),
    label('编号', 'Code', h('input', { name: 'code', value: d.code, maxlength: 20, placeholder: '自动 auto' })),
    label('车型', 'Kind', h('select', { name: 'kind' }, Object.entries(KINDS).map(([k, [zh, en]]) => h('option', { value: k, selected: k === d.kind }, `${zh} ${en}`)))),
    label('座位', 'Seats', h('input', { name: 'seats', type: 'number', min: 1, max: 100, value: d.seats, required: true })),
    label('车牌', 'Plate', h('input', { name: 'plate', value: d.plate, maxlength: 20 })),
    label('司机', 'Driver', h('input', { name: 'driver', value: d.driver, maxlength: 40 })),
    label('司机电话', "Driver's phone", h('input', { name: 'driver_phone', value: d.driver_phone, maxlength: 30 })),
    h('button', { type: 'submit', class: 'tp-go' }, ...bi('保存', 'Save')));
    return f;
  }

  // ---- the automatic fill: preview, then apply ----
  function fillBody(plan) {
    return { direction, date: st.view.date, station_id: st.station, window: st.view.window, round_trip: st.roundTrip, lead: direction === 'departure' ? st.lead : 0, plan };
  }

  async function preview() {
    try {
      st.preview = await call('POST', '/transport/fill?dry_run=1', fillBody());
    } catch (e) {
      return fail(e);
    }
    drawPreview();
  }

  async function apply() {
    try {
      const a = await call('POST', '/transport/fill', fillBody(st.preview.plan));
      toast(`已派车 ${a.runs.length} 趟，安排 ${a.seated} 人`, `${a.runs.length} runs, ${a.seated} people seated`);
      st.preview = null;
      dialog.hidden = true;
    } catch (e) {
      if (e.code === 'plan_changed' && e.details) {
        st.preview = e.details;
        drawPreview();
      }
      fail(e);
    }
    await reload();
  }

  function drawPreview() {
    const p = st.preview;
    const riders = new Map(st.view.groups.flatMap((g) => g.riders).map((r) => [r.leg_id, r]));
    const who = (id) => { const r = riders.get(id); return r ? r.name + (r.companions ? `+${r.companions}` : '') : `#${id}`; };
    const trip = h('input', { type: 'number', class: 'tp-trip', min: 10, max: 600, step: 10, value: st.roundTrip, onchange: (e) => { st.roundTrip = num(e.target.value) || 120; } });
    const lead = h('input', { type: 'number', class: 'tp-lead', min: 10, max: 600, step: 10, value: st.lead, onchange: (e) => { st.lead = num(e.target.value) || 150; } });
    dialog.replaceChildren(h('div', { class: 'tp-box', role: 'dialog', 'aria-label': '自动派车预览 Auto-fill preview' },
      h('h3', {}, ...bi('自动派车预览', 'Auto-fill preview')),
      h('p', { class: 'tp-summary' }, `将派 ${p.runs.length} 趟车，安排 ${p.seated} 人`, p.left ? h('b', { class: 'tp-need' }, `，${p.left} 人未能安排`) : '',
        h('span', { class: 'en' }, `${p.runs.length} runs, ${p.seated} people seated, ${p.left} left`)),
      h('div', { class: 'tp-opts' },
        label('往返用时（分钟）', 'Round trip (min)', trip),
        direction === 'departure' ? label('提前出发（分钟）', 'Leave ahead (min)', lead) : '',
        h('button', { type: 'button', class: 'tp-plain', onclick: preview }, ...bi('重新预览', 'Preview again'))),
      p.runs.length ? h('table', { class: 'tp-plan' },
        h('thead', {}, h('tr', {}, ['时间 Time', '站点 Station', '车辆 Vehicle', '座位 Seats', '乘客 Passengers'].map((x) => h('th', {}, x)))),
        h('tbody', {}, p.runs.map((r) => {
          const v = vehicle(r.vehicle_id);
          return h('tr', { dataset: { vehicle: r.vehicle_id } }, h('td', {}, clock(r.at)), h('td', {}, station(r.station_id).name),
            h('td', {}, vname(v), h('small', {}, ` ${KINDS[v.kind] ? KINDS[v.kind][0] : ''}`), r.run_id ? h('small', {}, ' 补满 top-up') : ''),
            h('td', { class: r.seats > r.capacity ? 'tp-over' : '' }, `${r.seats}/${r.capacity}`),
            h('td', {}, r.added.map(who).join('、')));
        }))) : h('p', { class: 'tp-none' }, ...bi('没有可派的车', 'Nothing to send')),
      p.unassigned.length ? h('div', { class: 'tp-left' }, h('h4', {}, ...bi('未能安排', 'Left without a seat')),
        h('ul', {}, p.unassigned.map((u) => h('li', { dataset: { leg: u.leg_id } }, h('b', {}, u.name), `（${u.seats} 座）`, u.message.zh, h('span', { class: 'en' }, u.message.en))))) : '',
      h('div', { class: 'tp-actions' },
        h('button', { type: 'button', class: 'tp-go tp-apply', disabled: !p.runs.length, onclick: apply }, ...bi('确认派车', 'Apply')),
        h('button', { type: 'button', class: 'tp-plain', onclick: () => { st.preview = null; dialog.hidden = true; } }, ...bi('取消', 'Cancel')))));
    dialog.hidden = false;
  }

  live.on(reload);
  await load();
}

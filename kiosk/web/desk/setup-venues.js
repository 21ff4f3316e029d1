// The venues page of the set-up: halls with their doors, presidium rows
// and floor sections (the seat grid drawn live from POST /event/layout as
// the desk types), meeting rooms, dining halls with their tables and hotels
// with their rooms.
import { call } from '/static/common/api.js';
import { h, svg, bi } from '/static/common/dom.js';
import { VENUE_KINDS, nextCode } from './setup-model.js';
import { bound, fld, button, item } from './setup-fields.js';

const NUMBERING = [['centre', '单双号（从中间起）centre'], ['ltr', '顺序（从左到右）left to right']];
const PREVIEW_MS = 200;

/** newVenue is a venue of kind with a free code. */
export function newVenue(def, kind) {
  const code = nextCode({ hall: 'hall', room: 'room', dining: 'dining', hotel: 'hotel' }[kind], def.venues.map((v) => v.code));
  const v = { code, name: '', name_en: '', kind, doors: [] };
  if (kind === 'hall') {
    v.doors = ['东门', '西门'];
    v.presidium = [5];
    v.sections = [{ code: 'A', rows: 10, seats: 20, numbering: 'centre', door: '' }];
  }
  if (kind === 'room') v.capacity = 40;
  if (kind === 'dining') { v.doors = ['正门']; v.tables = []; }
  if (kind === 'hotel') { v.doors = ['大堂']; v.rooms = []; }
  return v;
}

/** venuesPage draws every venue with the buttons that add one. */
export function venuesPage(ctx) {
  const def = ctx.def;
  const add = (kind) => () => { def.venues.push(newVenue(def, kind)); ctx.redraw(); ctx.dirty(); };
  return h('div', { class: 'part part-venues' },
    h('p', { class: 'hint' }, bi('每个场地一个代码（字母、数字、-），以后修改靠它对应；门的名称用顿号或逗号分开。',
      'Each venue has a code (letters, digits, -) that later changes match on; list doors separated by commas.')),
    def.venues.map((v, i) => venueItem(ctx, v, i)),
    h('div', { class: 'adders' },
      Object.entries(VENUE_KINDS).map(([kind, [zh, en]]) => button(`＋ ${zh}`, `Add a ${en.toLowerCase()}`, add(kind), { class: 'add-venue', 'data-kind': kind }))));
}

function venueItem(ctx, v, i) {
  const p = `venues[${i}]`;
  const remove = button('删除', 'Remove', () => { ctx.def.venues.splice(i, 1); ctx.redraw(); ctx.dirty(); }, { class: 'danger small remove', 'data-remove': p });
  const kindSel = bound(ctx, v, 'kind', `${p}.kind`, 'select', {
    options: Object.entries(VENUE_KINDS).map(([k, [zh, en]]) => [k, `${zh} ${en}`]),
    after: () => ctx.redraw(),
  });
  const doorSelects = [];
  const refreshDoors = () => doorSelects.forEach((f) => f());
  const head = h('div', { class: 'row' },
    fld('类型', 'Kind', kindSel),
    fld('代码', 'Code', bound(ctx, v, 'code', `${p}.code`, 'text', { size: 10 })),
    fld('名称', 'Name', bound(ctx, v, 'name', `${p}.name`, 'text', { placeholder: '例如 大礼堂' }), 'wide'),
    fld('英文名称', 'English name', bound(ctx, v, 'name_en', `${p}.name_en`)),
    fld('门', 'Doors', bound(ctx, v, 'doors', `${p}.doors`, 'list', { placeholder: '东门、西门', after: refreshDoors })),
    v.kind === 'room' || v.kind === 'hall' ? fld('容量', 'Capacity', bound(ctx, v, 'capacity', `${p}.capacity`, 'number', { size: 5 })) : null);
  let body = null;
  if (v.kind === 'hall') body = hallBody(ctx, v, p, doorSelects);
  if (v.kind === 'dining') body = tablesBody(ctx, v, p);
  if (v.kind === 'hotel') body = roomsBody(ctx, v, p);
  const [zh, en] = VENUE_KINDS[v.kind] || [v.kind, v.kind];
  return item(p, `${zh} ${en} · ${v.name || v.code}`, remove, head, body);
}

// ---- halls ----

function hallBody(ctx, v, p, doorSelects) {
  v.sections ||= [];
  const preview = h('div', { class: 'hall-grid', 'data-venue': v.code });
  const schedule = previewer(v, preview);
  const changed = () => schedule();
  const hall = { ...ctx, changed: (path, el) => { ctx.changed(path, el); changed(); } };
  const secRows = h('tbody', {});
  const drawSections = () => {
    doorSelects.length = 0;
    secRows.replaceChildren(...v.sections.map((s, j) => sectionRow(hall, v, s, `${p}.sections[${j}]`, doorSelects, () => {
      v.sections.splice(j, 1);
      drawSections();
      changed();
      ctx.dirty();
    })));
  };
  drawSections();
  const addSection = button('＋ 座区', 'Add a section', () => {
    const code = String.fromCharCode(65 + v.sections.length);
    const last = v.sections[v.sections.length - 1];
    v.sections.push({ code, rows: last?.rows || 10, seats: last?.seats || 20, numbering: last?.numbering || 'centre', door: '' });
    drawSections();
    changed();
    ctx.dirty();
  }, { class: 'small add-section' });
  schedule();
  return h('div', { class: 'hall' },
    h('div', { class: 'hall-form' },
      h('div', { class: 'row' }, fld('主席台每排座位数', 'Presidium seats per row, front row first (e.g. 5 or 7, 9)',
        bound(hall, v, 'presidium', `${p}.presidium`, 'numbers', { placeholder: '例如 5 或 7, 9', size: 10 }))),
      h('table', { class: 'sections', 'data-path': `${p}.sections` },
        h('thead', {}, h('tr', {}, ['座区 Section', '排数 Rows', '每排座位 Seats/row', '编号 Numbering', '最近的门 Nearest door', '起始排 First row', '']
          .map((t) => h('th', {}, t)))),
        secRows),
      addSection,
      v.seats?.length ? h('p', { class: 'hint' }, bi(`另有 ${v.seats.length} 个逐一设定的座位（来自座位表），保存时保留。`,
        `${v.seats.length} seats set one by one (from a seat plan) are kept as they are.`)) : null),
    preview);
}

function sectionRow(ctx, v, s, p, doorSelects, remove) {
  const door = h('select', { 'data-path': `${p}.door`, 'aria-label': '最近的门 nearest door' });
  const fill = () => {
    door.replaceChildren(h('option', { value: '' }, '—'), ...(v.doors || []).map((d) => h('option', { value: d, selected: d === s.door }, d)));
    if (s.door && !(v.doors || []).includes(s.door)) door.append(h('option', { value: s.door, selected: true }, `${s.door}（未知 unknown）`));
  };
  fill();
  doorSelects.push(fill);
  door.addEventListener('change', () => { s.door = door.value; ctx.changed(`${p}.door`, door); });
  const cell = (el) => h('td', {}, el, h('span', { class: 'field-error' }));
  return h('tr', { 'data-path': p },
    cell(bound(ctx, s, 'code', `${p}.code`, 'text', { size: 4, label: '座区 section' })),
    cell(bound(ctx, s, 'rows', `${p}.rows`, 'number', { min: '1', label: '排数 rows' })),
    cell(bound(ctx, s, 'seats', `${p}.seats`, 'number', { min: '1', label: '每排座位 seats per row' })),
    cell(bound(ctx, s, 'numbering', `${p}.numbering`, 'select', { options: NUMBERING, label: '编号 numbering' })),
    cell(door),
    cell(bound(ctx, s, 'first_row', `${p}.first_row`, 'number', { label: '起始排 first row', placeholder: '1' })),
    h('td', {}, button('删除', 'Remove', remove, { class: 'danger small', 'data-remove': p })));
}

// previewer answers a function that redraws the hall's grid from the
// server's layout, at most once per PREVIEW_MS while the desk types; a
// late answer to an older request is dropped.
function previewer(v, box) {
  let timer = 0;
  let seq = 0;
  return () => {
    clearTimeout(timer);
    box.classList.add('busy');
    timer = setTimeout(async () => {
      const mine = ++seq;
      const venue = { code: v.code || 'preview', name: v.name || v.code || 'preview', doors: v.doors, presidium: v.presidium,
        sections: v.sections, seats: v.seats };
      try {
        const res = await call('POST', '/event/layout', venue);
        if (mine === seq) box.replaceChildren(...drawHall(res.seats));
      } catch (err) {
        if (mine !== seq) return;
        const why = (err.body?.errors || []).map((e) => e.message?.zh).filter(Boolean).join('；') || err.zh;
        box.replaceChildren(h('p', { class: 'grid-error' }, `无法画出座位图：${why}`, h('span', { class: 'en' }, 'Cannot draw the seats yet.')));
      }
      if (mine === seq) box.classList.remove('busy');
    }, PREVIEW_MS);
  };
}

/** drawHall draws seats from above, stage at the top, as the audience
 *  sees it (x grows to the audience's right, y away from the stage). */
export function drawHall(seats) {
  const pres = seats.filter((s) => s.section === 'presidium');
  const floor = seats.length - pres.length;
  const line = h('p', { class: 'grid-count', dataset: { floor, presidium: pres.length } },
    `主席台 ${pres.length} 座 · 台下 ${floor} 座 · 共 ${seats.length} 座`,
    h('span', { class: 'en' }, `presidium ${pres.length} · floor ${floor} · ${seats.length} seats`));
  if (!seats.length) return [line, h('p', { class: 'hint' }, bi('尚无座位：填写主席台和座区后即显示座位图。', 'No seats yet: fill in the presidium and sections.'))];
  const xs = seats.map((s) => s.x);
  const ys = seats.map((s) => s.y);
  const x0 = Math.min(...xs) - 0.8;
  const x1 = Math.max(...xs) + 0.8;
  const y0 = Math.min(...ys) - 1.6;
  const y1 = Math.max(...ys) + 0.8;
  const el = svg('svg', { viewBox: `${x0} ${y0} ${x1 - x0} ${y1 - y0}`, class: 'grid', role: 'img',
    'aria-label': `座位图 观众视角 seat map, audience view: ${seats.length} seats` });
  el.append(svg('rect', { x: x0 + 0.3, y: y0 + 0.2, width: x1 - x0 - 0.6, height: 0.7, class: 'stage' }),
    svg('text', { x: (x0 + x1) / 2, y: y0 + 0.68, class: 'stage-label', 'text-anchor': 'middle' }, '舞台 · 主席台 STAGE'));
  const labels = seats.length <= 400;
  for (const s of seats) {
    const kind = s.section === 'presidium' ? 'presidium' : (s.kind && s.kind !== 'normal' ? s.kind : 'floor');
    const r = svg('rect', { x: s.x - 0.23, y: s.y - 0.25, width: 0.46, height: 0.5, rx: 0.08,
      class: `seat ${s.section === 'presidium' ? 'presidium' : 'floor'} ${kind}`, 'data-seat': s.seat });
    r.append(svg('title', {}, `${s.seat}${s.door ? ' · ' + s.door : ''}`));
    el.append(r);
    if (labels) el.append(svg('text', { x: s.x, y: s.y + 0.1, class: 'seat-no', 'text-anchor': 'middle' }, String(s.number)));
  }
  // Row numbers at the left of each floor row.
  const rows = new Map();
  for (const s of seats) if (s.section !== 'presidium' && !rows.has(s.y)) rows.set(s.y, s.row);
  for (const [y, row] of rows) el.append(svg('text', { x: x0 + 0.35, y: y + 0.1, class: 'row-no', 'text-anchor': 'middle' }, String(row)));
  const kinds = new Set(seats.map((s) => (s.section === 'presidium' ? 'presidium' : s.kind || 'normal')));
  const legend = h('p', { class: 'grid-legend' }, LEGEND.filter(([k]) => kinds.has(k)).map(([k, zh, en]) =>
    h('span', {}, h('i', { class: 'swatch ' + k }), `${zh} ${en}`)));
  return [line, el, legend, h('p', { class: 'grid-note' }, bi('观众视角：舞台在上，左右与台下观众相同。', 'Audience view: stage at the top, left and right as the audience sees them.'))];
}

const LEGEND = [['presidium', '主席台', 'presidium'], ['normal', '台下', 'floor'], ['reserved', '预留', 'reserved'],
  ['wheelchair', '轮椅', 'wheelchair'], ['blocked', '不可用', 'blocked']];

// ---- dining halls and hotels ----

function tablesBody(ctx, v, p) {
  v.tables ||= [];
  const gen = { n: v.tables.length || 20, seats: v.tables[0]?.seats || 10 };
  const list = h('div', { class: 'chips', 'data-path': `${p}.tables` });
  const draw = () => list.replaceChildren(...v.tables.map((t, j) => h('span', { class: 'chip-edit', 'data-path': `${p}.tables[${j}]` },
    `${t.number} 号桌`, bound(ctx, t, 'seats', `${p}.tables[${j}].seats`, 'number', { min: '1', label: `${t.number} 号桌座位数 seats` }), '座',
    h('button', { type: 'button', class: 'x', 'aria-label': '删除 remove', onclick: () => { v.tables.splice(j, 1); draw(); ctx.dirty(); } }, '×'))),
  h('span', { class: 'total' }, `共 ${v.tables.length} 桌 ${v.tables.reduce((n, t) => n + (t.seats || 0), 0)} 座`));
  draw();
  const make = button('生成桌位', 'Make the tables', () => {
    v.tables = Array.from({ length: Math.max(0, Math.min(gen.n, 2000)) }, (_, k) => ({ number: k + 1, seats: gen.seats }));
    draw();
    ctx.dirty();
  }, { class: 'small make-tables' });
  const local = { ...ctx, changed: () => {} };
  return h('div', { class: 'gen' },
    h('div', { class: 'row' },
      fld('桌数', 'Tables', bound(local, gen, 'n', `${p}.gen.tables`, 'number', { min: '1', class: 'gen-tables' })),
      fld('每桌座位', 'Seats a table', bound(local, gen, 'seats', `${p}.gen.seats`, 'number', { min: '1', class: 'gen-seats' })),
      make),
    list);
}

function roomsBody(ctx, v, p) {
  v.rooms ||= [];
  const gen = { from: 3, to: 5, per: 20, beds: 1 };
  const list = h('div', { class: 'chips', 'data-path': `${p}.rooms` });
  const draw = () => list.replaceChildren(...v.rooms.map((r, j) => h('span', { class: 'chip-edit', 'data-path': `${p}.rooms[${j}]` },
    bound(ctx, r, 'number', `${p}.rooms[${j}].number`, 'text', { size: 5, label: '房号 room' }),
    bound(ctx, r, 'beds', `${p}.rooms[${j}].beds`, 'number', { min: '1', label: `${r.number} 床位 beds` }), '床',
    h('button', { type: 'button', class: 'x', 'aria-label': '删除 remove', onclick: () => { v.rooms.splice(j, 1); draw(); ctx.dirty(); } }, '×'))),
  h('span', { class: 'total' }, `共 ${v.rooms.length} 间 ${v.rooms.reduce((n, r) => n + (r.beds || 0), 0)} 床`));
  draw();
  const make = button('添加这些房间', 'Add these rooms', () => {
    const have = new Set(v.rooms.map((r) => r.number));
    for (let f = gen.from; f <= gen.to && v.rooms.length < 20000; f++) {
      for (let k = 1; k <= gen.per; k++) {
        const number = `${f}${String(k).padStart(2, '0')}`;
        if (!have.has(number)) v.rooms.push({ number, beds: gen.beds });
      }
    }
    draw();
    ctx.dirty();
  }, { class: 'small make-rooms' });
  const clear = button('清空', 'Clear', () => { v.rooms = []; draw(); ctx.dirty(); }, { class: 'small danger' });
  const one = button('＋ 一间', 'One room', () => { v.rooms.push({ number: '', beds: 1 }); draw(); ctx.dirty(); }, { class: 'small' });
  const local = { ...ctx, changed: () => {} };
  return h('div', { class: 'gen' },
    h('div', { class: 'row' },
      fld('从几楼', 'From floor', bound(local, gen, 'from', `${p}.gen.from`, 'number', { min: '1', class: 'gen-from' })),
      fld('到几楼', 'To floor', bound(local, gen, 'to', `${p}.gen.to`, 'number', { min: '1', class: 'gen-to' })),
      fld('每层房间', 'Rooms a floor', bound(local, gen, 'per', `${p}.gen.per`, 'number', { min: '1', class: 'gen-per' })),
      fld('每间床位', 'Beds a room', bound(local, gen, 'beds', `${p}.gen.beds`, 'number', { min: '1', class: 'gen-beds' })),
      make, one, clear),
    list);
}

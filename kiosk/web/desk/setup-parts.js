// The set-up pages of the event definition other than venues: the meeting,
// its categories, sessions, meals and checkpoints. The first-run wizard and
// the 会议设置 tab draw the same pages; each page edits ctx.def in place.
//
// ctx: { def, tz(), changed(path, el), dirty(), redraw() }.
import { h, bi } from '/static/common/dom.js';
import {
  SESSION_KINDS, SLOTS, CHECKPOINT_KINDS, FACE_MODES, VENUE_KINDS, USUAL_CATEGORIES, nextCode, toRFC, toLocal, addMinutes, diningHalls, today,
} from './setup-model.js';
import { bound, fld, button, item } from './setup-fields.js';
import { venuesPage } from './setup-venues.js';
import { layoutField } from './layouts.js';

/** PAGES draws each part. */
export const PAGES = {
  event: eventPage, categories: categoriesPage, venues: venuesPage, sessions: sessionsPage, meals: mealsPage, checkpoints: checkpointsPage,
};

function eventPage(ctx, { creating } = {}) {
  const e = ctx.def.event;
  return h('div', { class: 'part part-event' },
    h('div', { class: 'row' },
      fld('会议名称', 'Meeting name', bound(ctx, e, 'name', 'event.name', 'text', { placeholder: '例如 市工商联第三次会员代表大会' }), 'wide'),
      fld('英文名称', 'English name', bound(ctx, e, 'name_en', 'event.name_en'), 'wide')),
    h('div', { class: 'row' },
      fld('会议代码', creating ? 'Code — printed in every badge; cannot change later' : 'Code (fixed: every badge carries it)',
        bound(ctx, e, 'id', 'event.id', 'text', { size: 16 })),
      fld('首日', 'First day', bound(ctx, e, 'starts_on', 'event.starts_on', 'date')),
      fld('时区', 'Timezone', bound(ctx, e, 'timezone', 'event.timezone', 'text', { size: 16, placeholder: 'Asia/Shanghai' }))),
    h('div', { class: 'row' },
      h('label', { class: 'inline' },
        bound(ctx, e, 'face_verification', 'event.face_verification', 'checkbox'),
        bi(' 启用人脸核验（仅限已同意的人员）', ' Face verification (only of people who consented)')),
      fld('人脸数据保留天数', 'Photos and face data deleted this many days after the last day',
        bound(ctx, e, 'face_retention_days', 'event.face_retention_days', 'number', { min: 1, placeholder: '30', size: 4 })),
      fld('证件版式', 'Badge layout: 打印证件 and 批量打印 use it; one print may pick another',
        layoutField(e, (options) => bound(ctx, e, 'badge_layout', 'event.badge_layout', 'select', { options, id: 'event-badge-layout' })))),
    creating ? null : h('p', { class: 'hint' }, bi('会议代码写在每张证件里，建立后不能修改。', 'The code is in every badge and cannot change once the meeting exists.')));
}

function categoriesPage(ctx) {
  const list = ctx.def.categories;
  const rows = list.map((c, i) => {
    const p = `categories[${i}]`;
    return h('tr', { 'data-path': p },
      h('td', {}, bound(ctx, c, 'code', `${p}.code`, 'text', { size: 10, label: '代码 code' }), h('span', { class: 'field-error' })),
      h('td', {}, bound(ctx, c, 'name', `${p}.name`, 'text', { size: 8, label: '名称 name' }), h('span', { class: 'field-error' })),
      h('td', {}, bound(ctx, c, 'name_en', `${p}.name_en`, 'text', { size: 10, label: '英文 English' }), h('span', { class: 'field-error' })),
      h('td', {}, bound(ctx, c, 'color', `${p}.color`, 'color', { label: '颜色 colour' }), h('span', { class: 'field-error' })),
      h('td', {}, h('label', { class: 'inline' }, bound(ctx, c, 'voting', `${p}.voting`, 'checkbox'), ' 有表决权 votes')),
      h('td', {}, button('删除', 'Remove', () => { list.splice(i, 1); ctx.redraw(); ctx.dirty(); }, { class: 'danger small', 'data-remove': p })));
  });
  const missing = USUAL_CATEGORIES.filter((u) => !list.some((c) => c.code === u.code || c.name === u.name));
  return h('div', { class: 'part part-categories' },
    h('p', { class: 'hint' }, bi('名单“类别”列写名称（如“代表”）或代码；颜色印在证件上。有表决权的类别计入法定人数。',
      'The list\'s category column holds a name or a code; the colour is printed on badges; voting categories count towards quorum.')),
    h('table', { class: 'cats', 'data-path': 'categories' },
      h('thead', {}, h('tr', {}, ['代码 Code', '名称 Name', '英文 English', '颜色 Colour', '表决 Votes', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows)),
    h('div', { class: 'adders' },
      button('＋ 类别', 'Add a category', () => {
        list.push({ code: nextCode('cat', list.map((c) => c.code)), name: '', name_en: '', color: '#455A64', voting: false });
        ctx.redraw(); ctx.dirty();
      }, { class: 'add-category' }),
      missing.map((u) => button(`＋ ${u.name}`, u.name_en, () => { list.push({ ...u }); ctx.redraw(); ctx.dirty(); }, { class: 'small' }))));
}

// ruleFields edits an expected/serving rule: categories ticked, delegations and groups typed.
function ruleFields(ctx, rule, p, zh, en) {
  rule.categories ||= [];
  const boxes = ctx.def.categories.map((c) => {
    const box = h('input', { type: 'checkbox', checked: rule.categories.includes(c.code), 'data-path': `${p}.categories.${c.code}` });
    box.addEventListener('change', () => {
      rule.categories = ctx.def.categories.map((k) => k.code).filter((code) =>
        code === c.code ? box.checked : rule.categories.includes(code));
      ctx.changed(`${p}.categories`, box);
    });
    return h('label', { class: 'inline' }, box, ' ', c.name || c.code);
  });
  return h('div', { class: 'rule', 'data-path': p },
    h('span', { class: 'lbl' }, zh, h('span', { class: 'en' }, en)),
    h('div', { class: 'row' },
      h('div', { class: 'fld cats', 'data-path': `${p}.categories` }, h('span', { class: 'lbl' }, '类别', h('span', { class: 'en' }, 'Categories (none ticked: all)')),
        h('div', { class: 'boxes' }, boxes), h('span', { class: 'field-error' })),
      fld('代表团', 'Delegations (blank: all)', bound(ctx, rule, 'delegations', `${p}.delegations`, 'list')),
      fld('分组', 'Groups (blank: all)', bound(ctx, rule, 'groups', `${p}.groups`, 'list'))),
    h('span', { class: 'field-error' }));
}

function venueOptions(def, kinds) {
  return [['', '请选择 choose…'], ...def.venues.filter((v) => !kinds || kinds.includes(v.kind))
    .map((v) => [v.code, `${v.name || v.code}（${VENUE_KINDS[v.kind]?.[0] || v.kind}）`])];
}

const QUORUM = [
  ['', '不计 none'],
  ['1/2|true', '过半数 >½'],
  ['1/2|false', '半数以上 ≥½'],
  ['2/3|false', '三分之二以上 ≥⅔'],
  ['2/3|true', '超过三分之二 >⅔'],
];

function quorumFields(ctx, s, p) {
  const q = s.quorum || {};
  const ratio = h('select', { 'data-path': `${p}.quorum.ratio`, 'aria-label': '比例 ratio' },
    QUORUM.map(([v, label]) => h('option', { value: v, selected: s.quorum && v === `${q.ratio}|${!!q.strict}` }, label)));
  if (s.quorum && !QUORUM.some(([v]) => v === `${q.ratio}|${!!q.strict}`)) {
    ratio.append(h('option', { value: `${q.ratio}|${!!q.strict}`, selected: true }, `${q.ratio}${q.strict ? '（严格多于）' : ''}`));
  }
  const base = h('select', { 'data-path': `${p}.quorum.base`, 'aria-label': '基数 base' },
    [['members', '全体成员 members'], ['expected', '应到人数 expected']].map(([v, label]) => h('option', { value: v, selected: q.base === v }, label)));
  const sync = () => {
    base.disabled = !ratio.value;
    if (!ratio.value) { s.quorum = null; return; }
    const [r, strict] = ratio.value.split('|');
    s.quorum = { ...(s.quorum || {}), base: base.value || 'members', ratio: r, strict: strict === 'true' };
  };
  base.disabled = !s.quorum;
  ratio.addEventListener('change', () => { sync(); ctx.changed(`${p}.quorum`, ratio); });
  base.addEventListener('change', () => { sync(); ctx.changed(`${p}.quorum`, base); });
  return [fld('法定人数', 'Quorum', ratio), fld('基数', 'Counted of', base)];
}

// ABSENT_FROM: when those expected who have not come turn from 未到 into
// 缺席 on every page (docs/counts.md).
const ABSENT_FROM = [['start', '开始后 from the start'], ['close', '签到关闭后 from the close']];

/** newSession is a morning plenary on the first day (or after the last session). */
function newSession(def, tz) {
  const last = def.sessions[def.sessions.length - 1];
  const day = def.event.starts_on || today(tz);
  const start = last ? addMinutes(toLocal(last.ends_at, tz) || `${day}T09:00`, 120) : `${day}T09:00`;
  const hall = def.venues.find((v) => v.kind === 'hall') || def.venues.find((v) => v.kind !== 'hotel');
  return {
    id: nextCode('s', def.sessions.map((s) => s.id)), name: '', name_en: '', kind: hall?.kind === 'hall' ? 'plenary' : 'group',
    venue: hall?.code || '', group: '',
    opens_at: toRFC(addMinutes(start, -60), tz), starts_at: toRFC(start, tz),
    ends_at: toRFC(addMinutes(start, 150), tz), closes_at: toRFC(addMinutes(start, 180), tz),
    expected: { categories: def.categories.filter((c) => c.voting).map((c) => c.code) },
    quorum: { base: 'members', ratio: '1/2', strict: true },
    presidium: { rule: 'odd', honour: 'left' },
    absent_from: 'start',
  };
}

function sessionsPage(ctx) {
  const def = ctx.def;
  return h('div', { class: 'part part-sessions' },
    h('p', { class: 'hint' }, bi(`时间按会议时区（${ctx.tz()}）填写。签到从“开放”起，到“关闭”止；“开始”后到达计为迟到。`,
      `Times are on the meeting's clock (${ctx.tz()}). Check-in runs from “opens” to “closes”; arriving after “starts” is late.`)),
    def.sessions.map((s, i) => sessionItem(ctx, s, i)),
    h('div', { class: 'adders' }, button('＋ 场次', 'Add a session', () => {
      def.sessions.push(newSession(def, ctx.tz())); ctx.redraw(); ctx.dirty();
    }, { class: 'add-session' })));
}

function sessionItem(ctx, s, i) {
  const p = `sessions[${i}]`;
  s.expected ||= {};
  // A session without a presidium rule gets one only when the desk picks it.
  const pres = s.presidium || { rule: 'odd', honour: 'left' };
  const keep = () => { s.presidium = pres; };
  const remove = button('删除', 'Remove', () => { ctx.def.sessions.splice(i, 1); ctx.redraw(); ctx.dirty(); }, { class: 'danger small remove', 'data-remove': p });
  return item(p, `${SESSION_KINDS[s.kind]?.[0] || ''} · ${s.name || s.id}`, remove,
    h('div', { class: 'row' },
      fld('代码', 'Code', bound(ctx, s, 'id', `${p}.id`, 'text', { size: 10 })),
      fld('名称', 'Name', bound(ctx, s, 'name', `${p}.name`, 'text', { placeholder: '例如 开幕大会' }), 'wide'),
      fld('英文名称', 'English name', bound(ctx, s, 'name_en', `${p}.name_en`)),
      fld('类型', 'Kind', bound(ctx, s, 'kind', `${p}.kind`, 'select', { options: Object.entries(SESSION_KINDS).map(([k, [zh, en]]) => [k, `${zh} ${en}`]) })),
      fld('场地', 'Venue', bound(ctx, s, 'venue', `${p}.venue`, 'select', { options: venueOptions(ctx.def, ['hall', 'room', 'dining']) })),
      fld('所属分组', 'Group (group discussions)', bound(ctx, s, 'group', `${p}.group`, 'text', { size: 8 }))),
    h('div', { class: 'row times' },
      fld('签到开放', 'Check-in opens', bound(ctx, s, 'opens_at', `${p}.opens_at`, 'datetime')),
      fld('开始', 'Starts', bound(ctx, s, 'starts_at', `${p}.starts_at`, 'datetime')),
      fld('结束', 'Ends', bound(ctx, s, 'ends_at', `${p}.ends_at`, 'datetime')),
      fld('签到关闭', 'Check-in closes', bound(ctx, s, 'closes_at', `${p}.closes_at`, 'datetime')),
      fld('未到者计缺席', 'Absent (缺席) from', bound(ctx, s, 'absent_from', `${p}.absent_from`, 'select', { options: ABSENT_FROM }))),
    ruleFields(ctx, s.expected, `${p}.expected`, '应到', 'Expected — who must attend'),
    h('div', { class: 'row' },
      ...quorumFields(ctx, s, p),
      fld('主席台排序', 'Presidium order', bound(ctx, pres, 'rule', `${p}.presidium.rule`, 'select', { after: keep, options: [
        ['odd', '单数 odd'], ['even-a', '双数甲 even A'], ['even-b', '双数乙 even B']] })),
      fld('尊位', 'Honour', bound(ctx, pres, 'honour', `${p}.presidium.honour`, 'select', { after: keep, options: [
        ['left', '以左为尊 left'], ['right', '以右为尊（外事）right']] }))));
}

/** newMeal is lunch on the first day (or the next meal after the last). */
function newMeal(def, tz) {
  const slots = ['breakfast', 'lunch', 'dinner'];
  const hours = { breakfast: ['07:00', '08:30'], lunch: ['11:30', '13:00'], dinner: ['17:30', '19:00'] };
  const last = def.meals[def.meals.length - 1];
  let day = def.event.starts_on;
  let slot = 'lunch';
  if (last) {
    const k = slots.indexOf(last.slot);
    slot = slots[(k + 1) % 3];
    day = k === 2 ? addMinutes(`${last.date}T00:00`, 24 * 60).slice(0, 10) : last.date;
  }
  const hall = diningHalls(def)[0];
  let id = `${day.replaceAll('-', '').slice(4)}-${slot}`;
  if (def.meals.some((x) => x.id === id)) id = nextCode(id + '-', def.meals.map((x) => x.id));
  return {
    id, name: `${SLOTS[slot][0]}`, date: day, slot,
    opens_at: toRFC(`${day}T${hours[slot][0]}`, tz), closes_at: toRFC(`${day}T${hours[slot][1]}`, tz),
    halls: hall ? [{ venue: hall.code }] : [],
  };
}

function mealsPage(ctx) {
  const def = ctx.def;
  return h('div', { class: 'part part-meals' },
    h('p', { class: 'hint' }, bi('每餐按顺序逐个查看餐厅：第一个条件相符的餐厅供餐；不填条件的餐厅接待其余所有人。',
      'For each meal the halls are tried in order: the first whose lists match serves the person; a hall with no lists serves everyone left.')),
    def.meals.map((m, i) => mealItem(ctx, m, i)),
    h('div', { class: 'adders' }, button('＋ 餐次', 'Add a meal', () => {
      def.meals.push(newMeal(def, ctx.tz())); ctx.redraw(); ctx.dirty();
    }, { class: 'add-meal' })));
}

function mealItem(ctx, m, i) {
  const p = `meals[${i}]`;
  m.halls ||= [];
  const remove = button('删除', 'Remove', () => { ctx.def.meals.splice(i, 1); ctx.redraw(); ctx.dirty(); }, { class: 'danger small remove', 'data-remove': p });
  const move = (j, d) => () => {
    const [x] = m.halls.splice(j, 1);
    m.halls.splice(j + d, 0, x);
    ctx.redraw(); ctx.dirty();
  };
  const halls = m.halls.map((hall, j) => {
    const hp = `${p}.halls[${j}]`;
    return h('div', { class: 'meal-hall', 'data-path': hp },
      h('span', { class: 'order' }, `${j + 1}`),
      fld('餐厅', 'Dining hall', bound(ctx, hall, 'venue', `${hp}.venue`, 'select', { options: venueOptions(ctx.def, ['dining']) })),
      ruleFields(ctx, hall, hp, '接待', 'Serves'),
      h('div', { class: 'hall-actions' },
        button('上移', 'Up', move(j, -1), { class: 'small', disabled: j === 0 }),
        button('下移', 'Down', move(j, 1), { class: 'small', disabled: j === m.halls.length - 1 }),
        button('删除', 'Remove', () => { m.halls.splice(j, 1); ctx.redraw(); ctx.dirty(); }, { class: 'small danger' })));
  });
  return item(p, `${SLOTS[m.slot]?.[0] || ''} · ${m.name || m.id} · ${m.date || ''}`, remove,
    h('div', { class: 'row' },
      fld('代码', 'Code', bound(ctx, m, 'id', `${p}.id`, 'text', { size: 12 })),
      fld('名称', 'Name', bound(ctx, m, 'name', `${p}.name`, 'text', { placeholder: '例如 第一天午餐' }), 'wide'),
      fld('日期', 'Date', bound(ctx, m, 'date', `${p}.date`, 'date', { after: (day) => {
        // Another day keeps the serving hours: move the window with it.
        if (!/^\d{4}-\d\d-\d\d$/.test(day)) return;
        for (const k of ['opens_at', 'closes_at']) {
          const t = toLocal(m[k], ctx.tz());
          if (!t) continue;
          m[k] = toRFC(day + t.slice(10), ctx.tz());
          const el = document.querySelector(`[data-path="${p}.${k}"]`);
          if (el) el.value = toLocal(m[k], ctx.tz());
        }
      } })),
      fld('餐别', 'Slot', bound(ctx, m, 'slot', `${p}.slot`, 'select', { options: Object.entries(SLOTS).map(([k, [zh, en]]) => [k, `${zh} ${en}`]) })),
      fld('开始供餐', 'Opens', bound(ctx, m, 'opens_at', `${p}.opens_at`, 'datetime')),
      fld('结束供餐', 'Closes', bound(ctx, m, 'closes_at', `${p}.closes_at`, 'datetime'))),
    h('div', { class: 'meal-halls', 'data-path': `${p}.halls` }, halls, h('span', { class: 'field-error' }),
      button('＋ 供餐餐厅', 'Add a dining hall', () => {
        m.halls.push({ venue: diningHalls(ctx.def)[0]?.code || '' }); ctx.redraw(); ctx.dirty();
      }, { class: 'small add-meal-hall' })));
}

/** suggestions are checkpoints for venues that have none: a door of each
 *  hall or room, each dining hall, each hotel's desk. */
function suggestions(def) {
  const have = new Set(def.checkpoints.map((c) => c.venue));
  const taken = def.checkpoints.map((c) => c.id);
  const out = [];
  const push = (c) => { if (taken.includes(c.id)) c.id = nextCode(c.id + '-', taken); taken.push(c.id); out.push(c); };
  def.venues.filter((v) => !have.has(v.code)).forEach((v) => {
    const name = v.name || v.code;
    if (v.kind === 'dining') push({ id: v.code, name, name_en: v.name_en || '', kind: 'meal', venue: v.code, door: v.doors?.[0] || '' });
    else if (v.kind === 'hotel') push({ id: `${v.code}-desk`, name: `${name}前台`, name_en: v.name_en ? `${v.name_en}, Front Desk` : '', kind: 'lodging', venue: v.code, door: v.doors?.[0] || '' });
    else if (v.doors?.length) v.doors.forEach((d, k) => push({ id: `${v.code}-door${k + 1}`, name: `${name}${d}`, name_en: '', kind: 'entrance', venue: v.code, door: d }));
    else push({ id: `${v.code}-door`, name: `${name}入口`, name_en: '', kind: 'entrance', venue: v.code, door: '' });
  });
  return out;
}

function checkpointsPage(ctx) {
  const def = ctx.def;
  const box = h('div', { class: 'part part-checkpoints' },
    h('p', { class: 'hint' }, bi('签到点是签到机所在的门：会场入口、出口、餐厅、酒店前台。入口不指定场次时，服务该场地当时开放的场次。',
      'A checkpoint is a door with a kiosk. An entrance without a session serves whichever session of its venue is open.')),
    def.checkpoints.map((c, i) => checkpointItem(ctx, c, i)),
    h('div', { class: 'adders' },
      button('＋ 签到点', 'Add a checkpoint', () => {
        const v = def.venues[0];
        def.checkpoints.push({ id: nextCode('cp', def.checkpoints.map((c) => c.id)), name: '', name_en: '',
          kind: v?.kind === 'dining' ? 'meal' : v?.kind === 'hotel' ? 'lodging' : 'entrance', venue: v?.code || '', door: v?.doors?.[0] || '' });
        ctx.redraw(); ctx.dirty();
      }, { class: 'add-checkpoint' }),
      button('按场地生成建议', 'Suggest from the venues', () => {
        def.checkpoints.push(...suggestions(def)); ctx.redraw(); ctx.dirty();
      }, { class: 'suggest-checkpoints' })));
  return box;
}

function checkpointItem(ctx, c, i) {
  const p = `checkpoints[${i}]`;
  const def = ctx.def;
  const venue = def.venues.find((v) => v.code === c.venue);
  // A new kind or venue drops what no longer fits: another venue's door,
  // a session at a meal checkpoint.
  const tidy = () => {
    const v = def.venues.find((x) => x.code === c.venue);
    if (c.door && !(v?.doors || []).includes(c.door)) c.door = v?.doors?.[0] || '';
    if (c.kind !== 'entrance' && c.kind !== 'exit') c.session = '';
    if (c.kind !== 'meal') c.meal = '';
    if (c.session && !def.sessions.some((s) => s.id === c.session && s.venue === c.venue)) c.session = '';
    if (c.meal && !def.meals.some((m) => m.id === c.meal && (m.halls || []).some((x) => x.venue === c.venue))) c.meal = '';
    ctx.redraw();
  };
  const remove = button('删除', 'Remove', () => { def.checkpoints.splice(i, 1); ctx.redraw(); ctx.dirty(); }, { class: 'danger small remove', 'data-remove': p });
  const sessions = [['', '该场地当时开放的场次 whichever is open'], ...def.sessions.filter((s) => s.venue === c.venue).map((s) => [s.id, s.name || s.id])];
  const meals = [['', '该餐厅当时供应的餐次 whichever is served'], ...def.meals.filter((m) => (m.halls || []).some((x) => x.venue === c.venue)).map((m) => [m.id, m.name || m.id])];
  return item(p, `${CHECKPOINT_KINDS[c.kind]?.[0] || ''} · ${c.name || c.id}`, remove,
    h('div', { class: 'row' },
      fld('代码', 'Code', bound(ctx, c, 'id', `${p}.id`, 'text', { size: 12 })),
      fld('名称', 'Name', bound(ctx, c, 'name', `${p}.name`, 'text', { placeholder: '例如 大礼堂东门' }), 'wide'),
      fld('英文名称', 'English name', bound(ctx, c, 'name_en', `${p}.name_en`)),
      fld('类型', 'Kind', bound(ctx, c, 'kind', `${p}.kind`, 'select', {
        options: Object.entries(CHECKPOINT_KINDS).map(([k, [zh, en]]) => [k, `${zh} ${en}`]), after: tidy })),
      fld('场地', 'Venue', bound(ctx, c, 'venue', `${p}.venue`, 'select', { options: venueOptions(def), after: tidy })),
      fld('门', 'Door', bound(ctx, c, 'door', `${p}.door`, 'select', { options: [['', '—'], ...(venue?.doors || []).map((d) => [d, d])] })),
      c.kind === 'entrance' || c.kind === 'exit'
        ? fld('场次', 'Session', bound(ctx, c, 'session', `${p}.session`, 'select', { options: sessions })) : null,
      c.kind === 'meal' ? fld('餐次', 'Meal', bound(ctx, c, 'meal', `${p}.meal`, 'select', { options: meals })) : null),
    h('div', { class: 'row' },
      h('label', { class: 'inline' }, bound(ctx, c, 'photo_check', `${p}.photo_check`, 'checkbox'),
        bi(' 照片核对（显示本人照片；面向排队人群的终端不宜开启）', ' Photo check (shows the holder\'s photo; not at a kiosk facing a queue)')),
      fld('人脸核验', 'Face check (needs face verification on for the meeting)', bound(ctx, c, 'face', `${p}.face`, 'select', {
        options: Object.entries(FACE_MODES).map(([k, [zh, en]]) => [k, `${zh} ${en}`]) }))));
}

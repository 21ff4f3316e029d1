// The event definition as the set-up pages hold it: the JSON shape of
// API.md ("The event definition"), plus the helpers the pages need around
// it — wall-clock times in the event's timezone, list fields typed as text,
// codes for new items, and what a PUT body carries.
import { call } from '/static/common/api.js';
import { wallClock } from '/static/common/dom.js';

export { wallClock, shortTime } from '/static/common/dom.js';

/** PARTS are the definition's parts in the order the server applies them. */
export const PARTS = ['event', 'categories', 'venues', 'sessions', 'meals', 'checkpoints'];

/** PART_NAMES name each part in both languages. */
export const PART_NAMES = {
  event: ['会议', 'Meeting'],
  categories: ['人员类别', 'Categories'],
  venues: ['场地', 'Venues'],
  sessions: ['场次', 'Sessions'],
  meals: ['用餐', 'Meals'],
  checkpoints: ['签到点', 'Checkpoints'],
};

/** USUAL_CATEGORIES are the categories most Chinese meetings have. */
export const USUAL_CATEGORIES = [
  { code: 'deputy', name: '代表', name_en: 'Deputy', color: '#C8102E', voting: true },
  { code: 'observer', name: '列席', name_en: 'Observer', color: '#1F5FAF', voting: false },
  { code: 'guest', name: '嘉宾', name_en: 'Guest', color: '#C98A00', voting: false },
  { code: 'staff', name: '工作人员', name_en: 'Staff', color: '#2E7D32', voting: false },
  { code: 'press', name: '记者', name_en: 'Press', color: '#6A1B9A', voting: false },
];

export const VENUE_KINDS = {
  hall: ['会场', 'Hall'], room: ['会议室', 'Meeting room'], dining: ['餐厅', 'Dining hall'], hotel: ['酒店', 'Hotel'],
};
export const SESSION_KINDS = { plenary: ['全体会议', 'Plenary'], group: ['分组讨论', 'Group discussion'], banquet: ['宴会', 'Banquet'] };
export const SLOTS = { breakfast: ['早餐', 'Breakfast'], lunch: ['午餐', 'Lunch'], dinner: ['晚餐', 'Dinner'] };
export const CHECKPOINT_KINDS = {
  entrance: ['入口', 'Entrance'], exit: ['出口', 'Exit'], meal: ['用餐', 'Meal'], lodging: ['住宿报到', 'Hotel desk'],
};
/** FACE_MODES are a checkpoint's face check (issue 15.4). */
export const FACE_MODES = {
  off: ['关闭', 'Off'], advise: ['提示（不符时呼叫引导员）', 'Advise: a mismatch calls the usher'],
  enforce: ['拒绝（不符时不予通行）', 'Enforce: a mismatch is refused'],
};

/** today is the local date, YYYY-MM-DD, in timezone tz. */
export function today(tz) {
  return wallClock(Date.now(), tz).slice(0, 10);
}

/** emptyDefinition starts a new meeting with the usual categories. */
export function emptyDefinition() {
  const tz = 'Asia/Shanghai';
  const day = today(tz);
  return {
    event: { id: `huiyi-${day.replaceAll('-', '')}`, name: '', name_en: '', timezone: tz, starts_on: day },
    categories: USUAL_CATEGORIES.map((c) => ({ ...c })),
    venues: [], sessions: [], meals: [], checkpoints: [],
  };
}

// ---- times: RFC 3339 with the event's offset ⇄ datetime-local values ----

/** offsetAt is tz's offset from UTC in minutes at instant ms. */
export function offsetAt(tz, ms) {
  const local = wallClock(ms, tz);
  const asUTC = Date.parse(local + ':00Z');
  return Math.round((asUTC - Math.floor(ms / 60000) * 60000) / 60000);
}

function offsetText(min) {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** toRFC turns a datetime-local value, read as tz's wall clock, into RFC 3339 with tz's offset. */
export function toRFC(local, tz) {
  if (!local) return '';
  const guess = Date.parse(local.slice(0, 16) + ':00Z');
  if (Number.isNaN(guess)) return local;
  let off = offsetAt(tz, guess);
  const off2 = offsetAt(tz, guess - off * 60000);
  if (off2 !== off) off = off2;
  return `${local.slice(0, 16)}:00${offsetText(off)}`;
}

/** toLocal turns an RFC 3339 time into a datetime-local value on tz's clocks. */
export function toLocal(rfc, tz) {
  if (!rfc) return '';
  const ms = Date.parse(rfc);
  return Number.isNaN(ms) ? '' : wallClock(ms, tz);
}

/** addMinutes moves a datetime-local value by n minutes. */
export function addMinutes(local, n) {
  const ms = Date.parse(local + ':00Z') + n * 60000;
  return new Date(ms).toISOString().slice(0, 16);
}

// ---- lists typed as text ----

/** splitList reads "东门、西门" or "A, B" as a list. */
export function splitList(s) {
  return String(s || '').split(/[,，、;；\s]+/).map((x) => x.trim()).filter(Boolean);
}

/** joinList writes a list for a text field. */
export function joinList(a) { return (a || []).join('、'); }

/** numberList reads "5" or "7, 9" as numbers. */
export function numberList(s) {
  return splitList(s).map(Number).filter((n) => Number.isFinite(n));
}

/** nextCode is prefix1, prefix2 … the first not in taken. */
export function nextCode(prefix, taken) {
  const have = new Set(taken);
  for (let i = 1; ; i++) if (!have.has(prefix + i)) return prefix + i;
}

/** partOf is the part a path such as "sessions[2].venue" is in. */
export function partOf(path) {
  const m = /^([a-z_]+)/.exec(path || '');
  return m && PARTS.includes(m[1]) ? m[1] : '';
}

function emptyRule(r) {
  return !r || ((r.categories || []).length + (r.delegations || []).length + (r.groups || []).length) === 0;
}

function tidyRule(r) {
  const out = {};
  for (const k of ['categories', 'delegations', 'groups']) if ((r[k] || []).length) out[k] = r[k];
  return out;
}

/** body is what a PUT carries for the parts named: empty rules and
 *  empty optional lists dropped, so that PUT of GET stays unchanged. */
export function body(def, parts = PARTS) {
  const d = structuredClone(def);
  for (const s of d.sessions || []) {
    if (emptyRule(s.expected)) delete s.expected;
    else s.expected = tidyRule(s.expected);
    if (!s.quorum || !s.quorum.base) delete s.quorum;
    if (!s.group) delete s.group;
  }
  for (const m of d.meals || []) {
    m.halls = (m.halls || []).map((h) => ({ venue: h.venue, ...tidyRule(h) }));
  }
  for (const c of d.checkpoints || []) {
    if (!c.session) delete c.session;
    if (!c.meal) delete c.meal;
    if (!c.door) delete c.door;
  }
  for (const v of d.venues || []) {
    for (const s of v.sections || []) if (!s.door) delete s.door;
    for (const k of ['presidium', 'sections', 'seats', 'tables', 'rooms', 'doors']) if (v[k] && !v[k].length) delete v[k];
  }
  const out = {};
  for (const p of parts) out[p] = d[p];
  return out;
}

/** definition reads the stored definition once and keeps it on state;
 *  fresh reads it again (after a change). */
export async function definition(state, fresh = false) {
  if (!state.definition || fresh) state.definition = await call('GET', '/event/definition');
  return state.definition;
}

/** diningHalls lists the dining halls of a definition. */
export function diningHalls(def) { return (def?.venues || []).filter((v) => v.kind === 'dining'); }

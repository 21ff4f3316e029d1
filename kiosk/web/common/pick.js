// pick.js — what the usher map, the chair's view and the lobby screen share
// about *which* session they show: the event and its sessions as the server
// has them (or that it has no event yet), the choice kept per device, a big
// touch-friendly list to choose from, the "no meeting yet" notice, and
// following the event definition live through the `event` topic.
import { call } from '/static/common/api.js';
import { h, when, setZone } from '/static/common/dom.js';
import { Live } from '/static/usher/live.js';

/** isNoEvent tells the server's "no meeting set up yet" answer. */
export function isNoEvent(e) {
  return !!e && e.status === 404 && e.code === 'no_event';
}

/**
 * loadEvent answers {event, sessions, venues}: event is null while the
 * server has none (then sessions is []). venues (for kinds: only a hall has
 * a seat map) is fetched when asked for, and [] when it cannot be had.
 * The event's timezone becomes the one times are shown in (dom.js).
 */
export async function loadEvent({ venues = false } = {}) {
  const [event, sessions, vs] = await Promise.all([
    call('GET', '/event').catch((e) => { if (isNoEvent(e)) return null; throw e; }),
    call('GET', '/sessions').catch((e) => { if (isNoEvent(e)) return []; throw e; }),
    venues ? call('GET', '/venues').catch((e) => { if (e.status === 401) throw e; return []; }) : [],
  ]);
  if (event) setZone(event.timezone);
  const list = event && Array.isArray(sessions) ? sessions.slice() : [];
  list.sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at) || a.id.localeCompare(b.id));
  return { event, sessions: list, venues: Array.isArray(vs) ? vs : [] };
}

/** Choice keeps one page's chosen session on this device. */
export class Choice {
  constructor(key) { this.key = 'huiwu.' + key; }

  /** wanted is ?session= from the address (it wins), else the kept one. */
  wanted() {
    return new URLSearchParams(location.search).get('session') || localStorage.getItem(this.key) || '';
  }

  /** keep remembers id and shows it in the address, so a reload keeps it. */
  keep(id) {
    const u = new URL(location.href);
    if (id) {
      localStorage.setItem(this.key, id);
      u.searchParams.set('session', id);
    } else {
      localStorage.removeItem(this.key);
      u.searchParams.delete('session');
    }
    if (u.href !== location.href) history.replaceState(null, '', u);
  }
}

/** phase is 'open' (doors open now), 'ended' or 'later'. */
export function phase(s, now = Date.now()) {
  if (Date.parse(s.closes_at) <= now) return 'ended';
  return Date.parse(s.opens_at) <= now ? 'open' : 'later';
}

/** highlight picks the session open now, else the next to open. */
export function highlight(list, now = Date.now()) {
  return list.find((s) => phase(s, now) === 'open') || list.find((s) => phase(s, now) === 'later') || null;
}

/** hasSeatMap: only a hall has seats to map; unknown venues count as halls. */
export function hasSeatMap(s, venues) {
  const v = venues.find((x) => x.code === s.venue_id);
  return !v || v.kind === 'hall';
}

// 进行中 only between the start and the end; before the start, the doors
// are open (入场中).
const TAGS = { open: ['入场中', 'Doors open'], now: ['进行中', 'In progress'], next: ['下一场', 'Next'], ended: ['已结束', 'Ended'] };

/** running: the session has started and not ended. */
export function running(s, now = Date.now()) {
  return Date.parse(s.starts_at) <= now && now < Date.parse(s.ends_at);
}

let overlay = null;
let onEscape = null;

/** hideOverlay removes the picker or the notice, if shown. */
export function hideOverlay() {
  if (overlay) overlay.remove();
  overlay = null;
  if (onEscape) document.removeEventListener('keydown', onEscape);
  onEscape = null;
}

/** overlayShown answers 'picker', 'noevent' or ''. */
export function overlayShown() { return overlay ? overlay.dataset.kind : ''; }

function mount(node, kind) {
  hideOverlay();
  node.dataset.kind = kind;
  overlay = node;
  document.body.append(node);
}

/**
 * showPicker lays a full-page list of the sessions over the page:
 * opts.sessions, opts.venues, opts.current (the session shown
 * now, if any), opts.title [zh, en], opts.seatMap (list sessions with a
 * seat map first, the others marked), opts.lead (an extra first choice
 * {zh, en, sub, on}, picked as ''), opts.notice [zh, en], opts.onPick(id),
 * opts.onClose (offered as 返回 when given).
 */
export function showPicker(opts) {
  const { sessions, venues = [], current = '', title, seatMap = false, lead = null, notice = null } = opts;
  const now = Date.now();
  const main = seatMap ? sessions.filter((s) => hasSeatMap(s, venues)) : sessions;
  const rest = seatMap ? sessions.filter((s) => !hasSeatMap(s, venues)) : [];
  const hi = highlight(main.length ? main : sessions, now);
  const close = opts.onClose ? () => { hideOverlay(); opts.onClose(); } : null;

  const item = (s) => {
    const ph = phase(s, now);
    const tag = s === hi ? (ph === 'open' ? (running(s, now) ? TAGS.now : TAGS.open) : TAGS.next) : ph === 'ended' ? TAGS.ended : null;
    const cls = ['pick-item', s === hi ? 'hi' : '', ph === 'ended' ? 'ended' : '', s.id === current ? 'current' : '',
      seatMap && !hasSeatMap(s, venues) ? 'nomap' : ''].filter(Boolean).join(' ');
    return h('li', {}, h('button', { class: cls, type: 'button', 'data-session': s.id, onclick: () => opts.onPick(s.id) },
      h('span', { class: 'pick-name' }, s.name, s.name_en ? h('span', { class: 'en' }, s.name_en) : null),
      h('span', { class: 'pick-meta' },
        h('span', { class: 'pick-when' }, when(s)),
        h('span', { class: 'pick-venue' }, s.venue || '')),
      h('span', { class: 'pick-tags' },
        tag ? h('span', { class: 'pick-tag ' + (s === hi ? (tag === TAGS.now ? 'now ' : '') + ph : 'ended') }, tag[0], h('span', { class: 'en' }, tag[1])) : null,
        s.id === current ? h('span', { class: 'pick-tag cur' }, '当前', h('span', { class: 'en' }, 'Current')) : null,
        seatMap && !hasSeatMap(s, venues) ? h('span', { class: 'pick-tag nomap' }, '无座位图', h('span', { class: 'en' }, 'No seat map')) : null)));
  };

  const box = h('section', { class: 'pick', role: 'dialog', 'aria-modal': 'true', 'aria-label': title[0] + ' ' + title[1] });
  box.append(h('div', { class: 'pick-head' },
    h('h1', {}, title[0], h('span', { class: 'en' }, title[1])),
    close ? h('button', { class: 'pick-close', type: 'button', onclick: close }, '返回', h('span', { class: 'en' }, 'Back')) : null));
  if (notice) box.append(h('p', { class: 'pick-notice', role: 'alert' }, notice[0], h('span', { class: 'en' }, notice[1])));
  if (!sessions.length) {
    box.append(h('div', { class: 'pick-empty' },
      h('p', { class: 'big' }, '暂无场次', h('span', { class: 'en' }, 'No sessions yet')),
      h('p', {}, '请在报到处 /desk 的“会议设置”中添加场次，添加后这里会自动列出。',
        h('span', { class: 'en' }, 'The registration desk adds sessions at /desk (会议设置 · Meeting set-up); they appear here by themselves.'))));
  }
  const list = h('ul', { class: 'pick-list' });
  if (lead) {
    list.append(h('li', {}, h('button', { class: 'pick-item lead' + (lead.on ? ' current' : ''), type: 'button', 'data-session': '',
      onclick: () => opts.onPick('') },
    h('span', { class: 'pick-name' }, lead.zh, h('span', { class: 'en' }, lead.en)),
    lead.sub ? h('span', { class: 'pick-meta' }, lead.sub) : null,
    h('span', { class: 'pick-tags' }, lead.on ? h('span', { class: 'pick-tag cur' }, '当前', h('span', { class: 'en' }, 'Current')) : null))));
  }
  list.append(...main.map(item));
  if (sessions.length) box.append(list);
  if (rest.length) {
    box.append(h('h2', { class: 'pick-sub' }, '其他场次（会场无座位图）', h('span', { class: 'en' }, 'Other sessions (their venue has no seat map)')),
      h('ul', { class: 'pick-list' }, ...rest.map(item)));
  }
  mount(box, 'picker');
  if (close) {
    onEscape = (e) => { if (e.key === 'Escape') close(); };
    document.addEventListener('keydown', onEscape);
  }
  const target = box.querySelector('.pick-item.current') || box.querySelector('.pick-item.hi');
  if (target) target.scrollIntoView({ block: 'center' });
  return box;
}

/**
 * showNoEvent says, over the whole page, that no meeting has been set up
 * yet and where that is done.
 */
export function showNoEvent() {
  const box = h('section', { class: 'pick noevent', role: 'status' },
    h('div', { class: 'noevent-box' },
      h('h1', {}, '尚未设置会议', h('span', { class: 'en' }, 'No meeting has been set up yet')),
      h('p', {}, '请在报到处打开 ', h('b', {}, '/desk'), ' 的“会议设置”设置本次会议。',
        h('span', { class: 'en' }, 'The registration desk sets it up at /desk (会议设置 · Meeting set-up).')),
      h('p', { class: 'small' }, '设置完成后，本页会自动更新。', h('span', { class: 'en' }, 'This page updates by itself once it is set up.'))));
  mount(box, 'noevent');
  return box;
}

/**
 * serial wraps an async refresh so that it never runs twice at once and a
 * burst of calls while it runs costs one more run, not one per call.
 */
export function serial(fn) {
  let running = null;
  let again = false;
  return function run() {
    if (running) { again = true; return running; }
    running = (async () => {
      do {
        again = false;
        try { await fn(); } catch (e) { console.warn('refresh failed', e); }
      } while (again);
    })().finally(() => { running = null; });
    return running;
  };
}

const NO_EVENT_POLL_MS = 15000;

/**
 * watchEvent follows the `event` topic ({version, has_event} snapshots,
 * {version} deltas): refresh runs whenever the event definition's version
 * differs from the one the page loaded, or the snapshot's has_event from
 * hasEvent() — after a change at the desk, or on reconnecting after
 * missing one. A server without the topic refuses the subscription; the
 * client retries with its growing pause and nothing else breaks. While the
 * page has no event it also asks every 15 s, so that the first set-up
 * shows even where the topic cannot be had.
 */
export function watchEvent(refresh, hasEvent) {
  let version;
  const run = serial(refresh);
  const see = (d, snapshot) => {
    if (!d) return;
    if (snapshot && typeof d.has_event === 'boolean' && d.has_event !== hasEvent()) {
      version = d.version;
      run();
      return;
    }
    if (d.version === undefined) return;
    if (version === undefined) { version = d.version; return; }
    if (d.version !== version) { version = d.version; run(); }
  };
  const live = new Live(['event'], { snapshot: (_, d) => see(d, true), delta: (_, d) => see(d, false) });
  setInterval(() => { if (!hasEvent()) run(); }, NO_EVENT_POLL_MS);
  return {
    live,
    refresh: run,
    /** loaded sets the version the page's data is of, when the server says. */
    loaded(v) { if (v !== undefined) version = v; },
    version: () => version,
  };
}

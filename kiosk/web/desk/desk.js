// The registration desk page: find anyone as you type, open their card,
// and act on it — print, reprint a lost badge, 请假, 补签, edit. The other
// views (walk-in, batch print, import, readiness, exports, devices, set-up)
// live in their own modules and are started when first shown. A server
// with no meeting yet opens the set-up wizard instead.
import { call, setup } from '/static/common/api.js';
import { h, fail, setZone } from '/static/common/dom.js';
import { openCard } from './card.js';
import { initWalkIn } from './forms.js';
import { initImport } from './wizard.js';
import { initBoard, initExports, initPrint } from './board.js';
import { initDevices } from './devices.js';
import { initAlerts, startAlertsView } from './alerts.js';

export const state = { event: null, categories: {}, sessions: [], checkpoints: [], definition: null };

// The huiwu_token cookie carries the login; any 401 shows the sign-in banner.
setup({ signedOut: () => { document.getElementById('login').hidden = false; } });

const views = ['search', 'walkin', 'print', 'import', 'ready', 'exports', 'devices', 'alerts', 'setup', 'wizard'];
const started = new Set();
const starters = {
  walkin: () => initWalkIn(state),
  print: () => initPrint(state),
  import: () => initImport(state),
  ready: () => initBoard(state),
  exports: () => initExports(state),
  devices: () => initDevices(state),
  alerts: () => startAlertsView(),
  setup: async () => (await import('./setup-tab.js')).initSetup(state, loadEvent),
};

function show() {
  if (!state.event) return; // the wizard owns the page until a meeting exists
  const name = (location.hash.slice(1) || 'search').split('/')[0];
  const view = views.includes(name) && name !== 'wizard' ? name : 'search';
  for (const v of views) document.getElementById('view-' + v).hidden = v !== view;
  for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('on', a.dataset.view === view);
  if (!started.has(view) && starters[view]) {
    started.add(view);
    starters[view]();
  }
  if (view === 'search') document.getElementById('q').focus();
  if (view === 'import') showImportPanel(location.hash.split('/')[1] === 'photos');
  // An import or a walk-in may have brought a new delegation.
  if (view === 'print' || view === 'walkin') loadDelegations();
}

// The import view's two panels: the attendee list (wizard.js) and, at
// #import/photos, the photos (photo-import.js, loaded when first shown).
let photosStarted = false;
function showImportPanel(photos) {
  document.getElementById('import-list').hidden = photos;
  document.getElementById('import-photos').hidden = !photos;
  for (const a of document.querySelectorAll('#import-tabs a')) a.classList.toggle('on', (a.dataset.panel === 'photos') === photos);
  if (photos && !photosStarted) {
    photosStarted = true;
    import('./photo-import.js').then((m) => m.initPhotoImport(document.getElementById('import-photos'))).catch(fail);
  }
}

// ---- search as you type ----
const q = document.getElementById('q');
const list = document.getElementById('results');
const meta = document.getElementById('result-meta');
let pending = null;
let timer = null;
let hits = [];
let selected = -1;

function chip(code) {
  const k = state.categories[code];
  if (!k) return null;
  return h('span', { class: 'chip', style: `background:${k.Color}` }, k.Name);
}

async function search() {
  const text = q.value.trim();
  pending?.abort();
  pending = new AbortController();
  const started = performance.now();
  try {
    const params = new URLSearchParams({ q: text, limit: '30' });
    hits = await call('GET', '/attendees?' + params, undefined, { signal: pending.signal });
  } catch (err) {
    if (err.name !== 'AbortError') fail(err);
    return;
  }
  const ms = Math.round(performance.now() - started);
  selected = hits.length ? 0 : -1;
  list.replaceChildren(...hits.map((a, i) => h('li', {
    role: 'option', id: 'hit-' + a.id, 'aria-selected': String(i === selected), dataset: { id: a.id },
    onclick: () => { selected = i; mark(); openCard(state, a.id); },
  },
  h('div', { class: 'name' }, a.name, chip(a.category), a.status === 'cancelled' ? h('span', { class: 'chip cancelled' }, '已取消') : null),
  h('div', { class: 'sub' }, [a.organization, a.title, a.delegation].filter(Boolean).join(' · ')))));
  meta.textContent = text
    ? `${hits.length} 人 · ${ms} ms  (${hits.length} found)`
    : `全部名单前 ${hits.length} 人 · first ${hits.length} on the list`;
}

function mark() {
  list.querySelectorAll('li').forEach((li, i) => li.setAttribute('aria-selected', String(i === selected)));
  list.children[selected]?.scrollIntoView({ block: 'nearest' });
}

q.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(search, 120);
});
q.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown' && hits.length) { selected = Math.min(hits.length - 1, selected + 1); mark(); e.preventDefault(); }
  if (e.key === 'ArrowUp' && hits.length) { selected = Math.max(0, selected - 1); mark(); e.preventDefault(); }
  if (e.key === 'Enter' && selected >= 0) { openCard(state, hits[selected].id); e.preventDefault(); }
  if (e.key === 'Escape') { q.value = ''; search(); }
});

document.addEventListener('keydown', (e) => {
  const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement?.tagName);
  if (e.key === '/' && !typing && !document.querySelector('dialog[open]')) {
    location.hash = '#search';
    q.focus();
    q.select();
    e.preventDefault();
  }
});

// ---- start ----

/** loadEvent reads the meeting, its sessions and checkpoints into state
 *  (again after the set-up changes them). */
async function loadEvent() {
  const [event, sessions, checkpoints] = await Promise.all([
    call('GET', '/event'), call('GET', '/sessions'), call('GET', '/checkpoints'),
  ]);
  state.event = event;
  state.categories = event.categories || {};
  state.sessions = sessions;
  state.checkpoints = checkpoints;
  state.definition = null;
  setZone(event.timezone);
  document.getElementById('event-name').textContent = event.name;
  document.title = `报到处 · ${event.name}`;
}

// wizard shows the first-run set-up in place of the desk's views.
async function wizard() {
  document.getElementById('tabs').hidden = true;
  for (const v of views) document.getElementById('view-' + v).hidden = v !== 'wizard';
  const { startWizard } = await import('./setup-wizard.js');
  startWizard(document.getElementById('view-wizard'), async (hash) => {
    await boot();
    location.hash = hash;
  });
}

let listening = false;
let alertsOn = false;
async function boot() {
  try {
    await loadEvent();
  } catch (err) {
    if (err.code === 'no_event') wizard().catch(fail);
    else if (err.status !== 401) fail(err);
    return;
  }
  document.getElementById('tabs').hidden = false;
  document.getElementById('view-wizard').hidden = true;
  if (!listening) window.addEventListener('hashchange', show);
  listening = true;
  show();
  search();
  loadDelegations();
  // Photos and 刷脸 at the desk: the 忘带证件 search, references in the background.
  import('./faces.js').then((m) => m.initFaces(state, openCard)).catch(fail);
  // The kiosks' face alerts, live: the tab counts the open ones (alerts.js).
  if (!alertsOn) initAlerts(state, openCard).catch(fail);
  alertsOn = true;
}

/** loadDelegations fills the 代表团 suggestions (batch print, walk-in, edit)
 *  with the list's delegations and how many each has. */
export async function loadDelegations() {
  let list;
  try { list = await call('GET', '/delegations'); } catch (err) { fail(err); return; }
  document.getElementById('delegations').replaceChildren(...list.map((d) => h('option', { value: d.name }, `${d.count} 人`)));
}

boot();

// The desk's view of the kiosks' face-check alerts (刷脸, issue 15.4): "a
// mismatch calls the usher and is logged for the desk". The open alerts,
// live, as the ushers' tablets show them (common/face-alerts.js), with
// the person's photo while open and 已核实 to close one; and the record of
// the latest resolved, with who resolved each and when (no photo: it goes
// with the alert's closing). The tab shows how many are open, from any
// view of the desk.
import { call } from '/static/common/api.js';
import { h, bi, toast, fail, time } from '/static/common/dom.js';
import { AlertFeed, RESULT_WORDS, alertCard, resolveAlert, verdictWords, whereWords } from '/static/common/face-alerts.js';
import { definition } from './setup-model.js';

let open = []; // the open alerts, newest first
let resolved = [];
let seen = null; // ids of the alerts shown so far: a new one is toasted
let faceOn = false; // the event verifies faces: the tab is always there
let shown = false; // the view was opened: keep it drawn
let ctx = { state: null, openCard: null };
let feed = null;

// What tests (and a curious engineer at the console) can read.
const stats = { loads: 0, open: 0, resolved: 0 };
window.deskAlerts = stats;

/**
 * initAlerts follows the open alerts from the start, for the tab's count;
 * openCard opens a person's card (card.js).
 */
export async function initAlerts(state, openCard) {
  ctx = { state, openCard };
  const def = await definition(state).catch(() => null);
  faceOn = !!def?.event?.face_verification;
  badge();
  feed = new AlertFeed(showOpen);
  feed.start();
}

/** startAlertsView draws the view when first opened. */
export function startAlertsView() {
  shown = true;
  document.getElementById('view-alerts').replaceChildren(
    h('h1', {}, ...bi('刷脸提醒', 'Face check alerts from the kiosks')),
    h('p', { class: 'hint' }, ...bi('签到机人脸核验未通过，或因此未放行时，引导员平板和这里同时提醒。核实本人后点“已核实”。',
      'When a kiosk\'s face check does not match, or a door refuses someone for it, the ushers\' tablets and this page are told. Check the person, then press 已核实.')),
    h('h2', {}, '待处理 ', h('b', { id: 'alerts-open-n' }, '0'), h('span', { class: 'en' }, 'Open')),
    h('p', { class: 'hint', id: 'alerts-none' }, ...bi('没有待处理的提醒', 'No open alerts')),
    h('ul', { class: 'desk-alerts', id: 'alerts-open' }),
    h('h2', {}, ...bi('已处理', 'Resolved: the latest, with who checked them')),
    h('p', { class: 'hint', id: 'alerts-done-none' }, ...bi('还没有处理过的提醒', 'None resolved yet')),
    h('table', { class: 'alerts-done' },
      h('thead', {}, h('tr', {}, ['时间 Time', '姓名 Name', '结果 Result', '地点 Where', '处理人 Checked by', '处理时间 Checked at'].map((t) => h('th', {}, t)))),
      h('tbody', { id: 'alerts-done' })));
  drawOpen();
  loadResolved();
  badge();
}

async function showOpen(items) {
  stats.loads++;
  const fresh = seen ? items.filter((a) => !seen.has(a.id)) : [];
  seen = new Set(items.map((a) => a.id));
  open = items;
  stats.open = items.length;
  badge();
  if (fresh.length && location.hash !== '#alerts') {
    const [zh, en] = RESULT_WORDS[fresh[0].result] || RESULT_WORDS.fail;
    toast(`刷脸提醒：${fresh[0].name} ${zh}（${whereWords(fresh[0])}）`, `Face alert: ${en}`, true);
  }
  if (shown) {
    drawOpen();
    loadResolved(); // a message also comes when an alert is resolved, here or on a tablet
  }
}

// badge shows the count of open alerts on the tab; the tab itself when
// the event verifies faces or an alert is open.
function badge() {
  const n = document.getElementById('alerts-n');
  n.textContent = String(open.length);
  n.hidden = !open.length;
  document.getElementById('tab-alerts').hidden = !faceOn && !open.length && location.hash !== '#alerts';
}

function drawOpen() {
  document.getElementById('alerts-open-n').textContent = String(open.length);
  document.getElementById('alerts-none').hidden = open.length > 0;
  document.getElementById('alerts-open').replaceChildren(...open.map((a) => {
    const card = alertCard(a, photo(a), resolve);
    const done = card.querySelector('.fa-done');
    const actions = h('div', { class: 'fa-actions' });
    done.replaceWith(actions);
    actions.append(done, h('button', { type: 'button', class: 'fa-card',
      onclick: () => { location.hash = '#search'; ctx.openCard(ctx.state, a.attendee_id); } }, ...bi('打开名片', 'Open the card')));
    return card;
  }));
}

// photo is the person's photo while the alert is open (the desk's login
// fetches it; never cached), or a frame saying there is none.
function photo(a) {
  const frame = (kid) => h('figure', { class: 'fa-photo' }, kid);
  const none = (zh, en) => frame(h('figcaption', {}, zh, h('span', { class: 'en' }, en)));
  if (!a.photo_url) return none('无照片', 'No photo');
  const img = h('img', { src: a.photo_url, alt: `${a.name || ''} 照片 photo` });
  img.onerror = () => img.parentNode?.replaceWith(none('照片不可用', 'Photo unavailable'));
  return frame(img);
}

async function resolve(id, btn) {
  btn.disabled = true;
  try {
    await resolveAlert(id);
    toast('已核实，提醒已关闭', 'Checked: the alert is closed');
  } catch (err) {
    fail(err); // no_open_alert: an usher closed it meanwhile; the lists are read again below
  }
  // The faces topic brings the change too; read now so the desk sees it at once.
  btn.disabled = false;
  feed.load();
  loadResolved();
}

async function loadResolved() {
  try {
    ({ items: resolved } = await call('GET', '/faces/alerts/resolved'));
  } catch (err) {
    if (err.status !== 403) fail(err);
    return;
  }
  stats.resolved = resolved.length;
  document.getElementById('alerts-done-none').hidden = resolved.length > 0;
  document.getElementById('alerts-done').replaceChildren(...resolved.map((a) => {
    const [zh, en] = RESULT_WORDS[a.result] || RESULT_WORDS.fail;
    const verdict = verdictWords(a);
    return h('tr', { 'data-id': a.id, 'data-attendee': a.attendee_id },
      h('td', {}, time(a.at)),
      h('td', {}, h('b', {}, a.name || '')),
      h('td', { class: a.refused ? 'refused' : '' }, `${zh} · ${verdict[0]}`, h('span', { class: 'en' }, `${en} · ${verdict[1]}`)),
      h('td', {}, whereWords(a)),
      h('td', { class: 'by' }, a.resolved_by || ''),
      h('td', {}, time(a.resolved_at)));
  }));
}

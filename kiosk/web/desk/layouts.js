// Badge layouts at the desk (issue 15.2): the meeting's layout is what
// 打印证件 and 批量打印 print on (GET /event: badge_layout, chosen in the
// 会议设置); a small picker beside each prints one job on another size.
// Nothing is remembered: the next print is on the meeting's layout again.
import { call } from '/static/common/api.js';
import { h } from '/static/common/dom.js';

let sizes = null; // GET /badges/layouts, once a page

/** badgeLayouts lists the sizes the server prints: [{id, label, photo, …}]. */
export function badgeLayouts() {
  sizes ??= call('GET', '/badges/layouts').catch((err) => { sizes = null; throw err; });
  return sizes;
}

/** eventLayout is the meeting's badge layout. */
export function eventLayout(state) {
  return state.event?.badge_layout || 'cr80';
}

// label is how a layout reads in a list: its own label, else its id.
const label = (list, id) => list.find((s) => s.id === id)?.label || id;

/**
 * layoutField is the 会议设置 select of the meeting's badge layout, bound
 * to def.event.badge_layout like the page's other inputs (bind: the set-up
 * pages' bound(), which reports the change). Its options come from the
 * server; until they do it shows the value it has.
 */
export function layoutField(e, bind) {
  e.badge_layout ||= 'cr80'; // what the server stores for none
  const sel = bind([[e.badge_layout, e.badge_layout]]);
  badgeLayouts().then((list) => {
    sel.replaceChildren(...list.map((s) => h('option', { value: s.id, selected: s.id === e.badge_layout }, s.label)));
    if (!list.some((s) => s.id === e.badge_layout)) {
      sel.append(h('option', { value: e.badge_layout, selected: true }, `${e.badge_layout}（未知 unknown）`));
    }
  }).catch(() => { /* the stored value stays the one choice */ });
  return sel;
}

/**
 * layoutPicker is the print's size: its first choice, the meeting's
 * layout (named as it is now), then every layout for this one job. id
 * names the select for chosenLayout and resetLayout.
 */
export function layoutPicker(state, id) {
  const sel = h('select', { id, class: 'layout-pick', title: '本次打印的证件版式 the layout of this print' },
    h('option', { value: '' }, `会议版式 ${eventLayout(state)}`));
  const meeting = (list) => `会议版式：${label(list, eventLayout(state))}`;
  badgeLayouts().then((list) => {
    const keep = sel.value;
    sel.replaceChildren(h('option', { value: '' }, meeting(list)), ...list.map((s) => h('option', { value: s.id }, s.label)));
    sel.value = keep;
  }).catch(() => { /* the meeting's layout stays the one choice */ });
  // The meeting's layout may have changed in 会议设置 since; the list has not.
  sel.addEventListener('focus', () => { badgeLayouts().then((list) => { sel.options[0].textContent = meeting(list); }).catch(() => {}); });
  return h('label', { class: 'layout-pick' }, '版式 ', h('span', { class: 'en' }, 'Layout '), sel);
}

/** chosenLayout is the size the print named id is to use. */
export function chosenLayout(state, id) {
  return document.getElementById(id)?.value || eventLayout(state);
}

/** resetLayout puts the picker back on the meeting's layout after a job. */
export function resetLayout(id) {
  const sel = document.getElementById(id);
  if (sel) sel.value = '';
}

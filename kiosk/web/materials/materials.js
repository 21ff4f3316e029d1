// materials.js — the desk's 资料发放 page: counts per item for the
// stockroom (stock entered here), the kits and who is due them, and who
// has not collected what, filtered by item and delegation, with a hand
// entry for someone without a badge (audited by the server) and the
// 资料领取签收表 to print. Handing out by scan happens at the kiosks of
// checkpoints that hand items out, and here: the desk scans a badge.

import { call } from '/static/common/api.js';
import { h, bi, toast, fail, fmtTime, setZone, zone } from '/static/common/dom.js';
import { handoutCards } from '/static/materials/handout.js';

const $ = (s) => document.querySelector(s);
const st = { counts: [], kits: [], delegations: [], checkpoints: {}, categories: {}, owed: [] };

/** stamp is when and where an item was collected: 12月1日 19:40 会议酒店前台. */
function stamp(it) {
  if (!it.at) return '';
  const d = new Date(it.at);
  const part = (k) => Number(new Intl.DateTimeFormat('en', { month: 'numeric', day: 'numeric', timeZone: zone() }).formatToParts(d).find((x) => x.type === k).value);
  const day = `${part('month')}月${part('day')}日`;
  return `${day} ${fmtTime(it.at)} ${it.place || ''}`.trim();
}

function banner(zh, en, link) {
  const b = $('#banner');
  b.replaceChildren(...bi(zh, en));
  if (link) b.append(' ', h('a', { href: link }, '登录 Sign in'));
  b.hidden = false;
  document.body.dataset.state = 'error';
}

function q(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) u.set(k, v);
  return u.toString();
}

/** renderCounts fills the counts table, the stock editable in place. */
function renderCounts() {
  const rows = st.counts.map((c) => {
    const input = h('input', { type: 'number', min: '0', max: '1000000', value: c.stock ?? '', placeholder: '未录入',
      'aria-label': `${c.name} 库存 stock`, dataset: { item: c.code } });
    const save = h('button', { type: 'button', class: 'small', dataset: { stockSave: c.code }, onclick: () => saveStock(c.code, input.value) },
      ...bi('保存', 'Save'));
    const places = c.points.map((p) => st.checkpoints[p]?.name || p).join('、');
    return h('tr', { dataset: { item: c.code }, class: c.short > 0 ? 'short' : null },
      h('td', { class: 'item' }, c.name, c.name_en ? h('span', { class: 'en' }, c.name_en) : null,
        c.before_start ? h('span', { class: 'tag' }, ...bi('会前领取', 'before the start')) : null),
      h('td', { class: 'num due' }, c.due), h('td', { class: 'num given' }, c.given), h('td', { class: 'num left' }, c.left),
      h('td', { class: 'stock' }, input, save),
      h('td', { class: 'num short' }, c.stock == null ? '—' : c.short),
      h('td', { class: 'places' }, places || h('span', { class: 'none' }, ...bi('仅在报到处发放', 'at the desk only'))),
      h('td', {}, h('a', { href: '/api/v1/materials/signsheet.pdf?' + q({ item: c.code }) }, 'PDF')));
  });
  $('#counts tbody').replaceChildren(...rows);
}

async function saveStock(code, value) {
  const stock = value === '' ? null : Number(value);
  try {
    const r = await call('PUT', `/materials/items/${encodeURIComponent(code)}/stock`, { stock });
    st.counts = r.counts;
    renderCounts();
    toast('库存已保存', 'Stock saved');
  } catch (e) {
    fail(e);
  }
}

function renderKits() {
  const itemName = Object.fromEntries(st.counts.map((c) => [c.code, c.name]));
  const who = (g) => [g.category && (st.categories[g.category]?.name || g.category), g.delegation,
    g.attendee_id && `#${g.attendee_id}`].filter(Boolean).join(' · ') || '全体 everyone';
  $('#kits').replaceChildren(...st.kits.map((k) => h('div', { class: 'kit' },
    h('h3', {}, k.name, k.name_en ? h('span', { class: 'en' }, k.name_en) : null),
    h('p', { class: 'kit-items' }, k.items.map((c) => itemName[c] || c).join('、')),
    h('p', { class: 'kit-who' }, ...bi('发给：' + k.grants.map(who).join('；'), 'for the above')))));
}

function fillFilters() {
  const f = $('#filters');
  f.item.replaceChildren(h('option', { value: '' }, '全部物品 All items'),
    ...st.counts.map((c) => h('option', { value: c.code }, c.name)));
  f.delegation.replaceChildren(h('option', { value: '' }, '全部代表团 All delegations'),
    ...st.delegations.map((d) => h('option', { value: d }, d)));
}

let seq = 0;
async function loadOwed() {
  const f = $('#filters');
  const params = { item: f.item.value, delegation: f.delegation.value, q: f.q.value.trim(), missing: f.missing.checked ? '1' : '', limit: '300' };
  $('#sheet').href = '/api/v1/materials/signsheet.pdf?' + q({ item: params.item, delegation: params.delegation });
  const mine = ++seq;
  try {
    const list = await call('GET', '/materials/owed?' + q(params));
    if (mine !== seq) return;
    st.owed = list;
    renderOwed();
  } catch (e) {
    fail(e);
  }
}

function renderOwed() {
  const n = st.owed.length;
  $('#owed-count').replaceChildren(...bi(`${n >= 300 ? '前 ' : ''}${n} 人`, `${n} people${n >= 300 ? ' (first 300)' : ''}`));
  $('#owed tbody').replaceChildren(...st.owed.map((o) => h('tr', { dataset: { attendee: o.attendee_id } },
    h('td', { class: 'who' }, h('b', {}, o.name), h('span', { class: 'org' }, o.organization)),
    h('td', {}, o.delegation),
    h('td', {}, h('div', { class: 'chips' }, ...o.items.map((it) => h('span', { class: 'chip ' + (it.given ? 'got' : 'owed'), dataset: { item: it.code },
      title: it.given ? stamp(it) : '未领 not collected' }, it.given ? '✓ ' : '✗ ', it.name,
      it.given ? h('small', {}, stamp(it)) : null)))),
    h('td', {}, h('button', { type: 'button', class: 'small', dataset: { give: o.attendee_id }, onclick: () => openGive(o) },
      ...bi('登记发放', 'Hand over'))))));
}

/** openGive asks which items the desk hands over to o, by hand. */
function openGive(o) {
  const d = $('#give');
  $('#give-who').replaceChildren(o.name, h('span', { class: 'org' }, o.organization));
  const due = new Set(o.items.map((it) => it.code));
  $('#give-items').replaceChildren(...st.counts.map((c) => {
    const it = o.items.find((x) => x.code === c.code);
    const only = $('#filters').item.value; // filtered by an item: that one is what the desk hands over
    const box = h('input', { type: 'checkbox', value: c.code, checked: !!it && !it.given && (!only || only === c.code), disabled: !!it?.given });
    const undo = it?.given ? h('button', { type: 'button', class: 'small undo', dataset: { undo: c.code }, onclick: () => undoGive(o, c) },
      ...bi('撤销', 'Undo')) : null;
    return h('label', { class: it?.given ? 'done' : !due.has(c.code) ? 'notdue' : null }, box, ' ', c.name,
      it?.given ? h('small', {}, ' 已领 ' + stamp(it)) : !due.has(c.code) ? h('small', {}, ' 不在应发名单 not due') : null, undo);
  }));
  $('#give-reason').value = '';
  $('#give-err').textContent = '';
  $('#give-cancel').onclick = () => d.close();
  $('#give-ok').onclick = async (ev) => {
    ev.preventDefault();
    const items = [...$('#give-items').querySelectorAll('input:checked')].map((b) => b.value);
    try {
      const r = await call('POST', '/materials/handouts', { attendee_id: o.attendee_id, items, reason: $('#give-reason').value });
      d.close();
      const given = r.items.filter((x) => x.given).map((x) => x.name);
      const had = r.items.filter((x) => !x.given).map((x) => `${x.name}（已领 ${stamp(x)}）`);
      toast(`已登记：${given.join('、') || '无'}${had.length ? '；' + had.join('、') : ''}`, 'Recorded');
      await refresh();
    } catch (e) {
      $('#give-err').replaceChildren(...bi(e.zh || String(e), e.en || ''));
    }
  };
  d.showModal();
}

/** undoGive deletes a handout recorded in error; the reason field says why. */
async function undoGive(o, c) {
  const reason = $('#give-reason').value.trim();
  if (!reason) {
    $('#give-err').replaceChildren(...bi('撤销须在“原因”中写明为何', 'Give the reason for the undo in the reason field'));
    return;
  }
  try {
    await call('POST', '/materials/handouts/undo', { attendee_id: o.attendee_id, item: c.code, reason });
    $('#give').close();
    toast(`已撤销 ${o.name} 的${c.name}领取记录`, 'Handout undone');
    await refresh();
  } catch (e) {
    $('#give-err').replaceChildren(...bi(e.zh || String(e), e.en || ''));
  }
}

// ---- the desk's own scan (报到处): a USB scanner types the badge's QR
// text and Enter into #scan ----

/** scanned shows what to hand over to the person whose badge was read. */
function scanned(r) {
  const give = r.items.filter((i) => i.given);
  const before = r.items.filter((i) => !i.given);
  const cards = handoutCards({ status: 'ok', handout: { give, already: before } });
  if (!r.items.length) {
    cards.push(h('p', { class: 'none' }, ...bi('此人没有应领的资料', 'Nothing is due to this person')));
  } else if (!give.length) {
    cards.unshift(h('p', { class: 'none' }, ...bi('均已领取，无需再发', 'Everything was collected before')));
  }
  $('#scan-result').replaceChildren(h('p', { class: 'who' }, r.person.name, h('span', { class: 'org' }, r.person.organization || '')),
    h('dl', { class: 'r-guide' }, ...cards));
  $('#scan-result').dataset.state = give.length ? 'give' : 'already';
}

async function scan(token) {
  token = token.trim();
  if (!token) return;
  try {
    scanned(await call('POST', '/materials/scan', { token }));
    await refresh();
  } catch (e) {
    $('#scan-result').dataset.state = 'refused';
    $('#scan-result').replaceChildren(h('p', { class: 'refused' }, ...bi(e.zh || String(e), e.en || '')));
  }
  $('#scan').focus();
}

async function refresh() {
  const m = await call('GET', '/materials');
  st.counts = m.counts;
  st.kits = m.kits;
  st.delegations = m.delegations;
  st.checkpoints = Object.fromEntries(m.checkpoints.map((c) => [c.id, c]));
  st.categories = Object.fromEntries(m.categories.map((c) => [c.id, c]));
  $('#event-name').textContent = m.event;
  renderCounts();
  renderKits();
  await loadOwed();
}

async function start() {
  try {
    const ev = await call('GET', '/event').catch(() => null);
    if (ev && ev.timezone) setZone(ev.timezone);
    await refresh();
    fillFilters();
  } catch (e) {
    if (e.status === 401) return banner('请先登录', 'Sign in first', '/login?next=/materials');
    if (e.status === 403) return banner('资料发放由报到处管理', 'Materials are for the desk role');
    if (e.code === 'no_event') return banner('还没有会议，请先在报到处设置', 'No meeting yet: set one up at the desk', '/desk');
    return fail(e);
  }
  $('#scan').addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const v = $('#scan').value;
    $('#scan').value = '';
    scan(v);
  });
  let timer;
  $('#filters').addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(loadOwed, 200); });
  $('#filters').addEventListener('submit', (e) => e.preventDefault());
  $('#main').hidden = false;
  document.body.dataset.state = 'ready';
  $('#scan').focus();
  // Kiosks hand items out all the while: the figures follow, unless the
  // desk is in the middle of something here.
  setInterval(() => {
    if (document.hidden || $('#give').open || document.activeElement?.closest('#counts, #filters')) return;
    refresh().catch(() => {});
  }, 30000);
}

start();

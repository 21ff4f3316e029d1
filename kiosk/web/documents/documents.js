// documents.js — the 机要 desk's page (/documents, desk role): numbered
// confidential documents issued and taken back by scans.
//
// A USB scanner is a keyboard that types the code and Enter. The scan box
// has the focus; keys typed while the focus is elsewhere but not in a
// field (after a click on a list) are caught on the page, as the kiosk
// does. A badge (HW1:…) names the person at the desk; a copy's cover code
// (HWC1-…) then issues that copy to them (发放), or takes it back (清退:
// the copy alone means its holder brought it; after a badge, that person
// did, and if they are not the holder the desk is asked why).
import { setup, call } from '/static/common/api.js';
import { h, bi, setZone, time, toast, fail } from '/static/common/dom.js';

const $ = (s) => document.querySelector(s);
const COPY = /^HWC1-/i;
// PERSON_MS: a badge scanned stays the person at the desk this long
// without a scan, so one person's several documents need one badge scan.
const PERSON_MS = 90_000;

setup({ signedOut: () => signIn() });

const state = {
  mode: 'issue',
  person: null, // {token, person, holding, at}
  pending: null, // a return waiting for the desk's reason
  docs: [],
  open: 0, // the document shown
  results: [], // every scan's outcome, for the tests
  loads: 0,
};
window.documentsPage = {
  mode: () => state.mode,
  results: () => state.results.slice(),
  person: () => (state.person ? state.person.person : null),
  loads: () => state.loads,
  pending: () => !!state.pending,
};

function signIn(zh = '请先用报到处账号登录。', en = 'Please sign in with a desk account.') {
  document.body.dataset.state = 'signin';
  const b = $('#signin');
  b.replaceChildren(...bi(zh, en), h('a', { class: 'button', href: '/login?next=/documents' }, ...bi('登录', 'Sign in')));
  b.hidden = false;
}

// ---- scanning ----

function setMode(mode) {
  state.mode = mode;
  state.pending = null;
  $('#reason').hidden = true;
  for (const b of document.querySelectorAll('.mode')) {
    b.classList.toggle('on', b.dataset.mode === mode);
    b.setAttribute('aria-checked', String(b.dataset.mode === mode));
  }
  document.body.dataset.mode = mode;
  const hint = mode === 'issue'
    ? ['扫描框：先扫证件，再扫文件封面', 'Scan the badge, then the copy\'s cover']
    : ['扫描框：扫文件封面即清退；他人代还请先扫代还人证件', 'Scan the copy\'s cover; if someone else brings it, scan their badge first'];
  $('label.scanbox').replaceChildren(...bi(...hint));
  focusScan();
}

function focusScan() {
  if ($('#reason').hidden && document.activeElement !== $('#scan')) $('#scan').focus();
}

function place() {
  return $('#place').value.trim() || $('#place').placeholder;
}

/** onText takes one scan, from the box or the page. */
async function onText(raw) {
  const text = raw.trim();
  if (!text) return;
  if (state.pending) {
    toast('请先处理上面的代还登记', 'Finish the return above first', true);
    return;
  }
  if (COPY.test(text)) return onCopy(text);
  return onBadge(text);
}

async function onBadge(token) {
  try {
    const r = await call('POST', '/documents/badge', { token });
    state.person = { token, person: r.person, holding: r.holding, at: Date.now() };
    showPerson();
    show('person', r.person.name, '证件已识别，请扫描文件', 'Badge read: now scan the copy');
  } catch (e) {
    state.person = null;
    showPerson();
    refuse(e, '证件');
  }
}

function currentPerson() {
  if (state.person && Date.now() - state.person.at > PERSON_MS) {
    state.person = null;
    showPerson();
  }
  return state.person;
}

async function onCopy(code, reason = '', asHolder = false) {
  const who = asHolder ? null : currentPerson();
  const body = { code, place: place() };
  if (who) body.token = who.token;
  if (reason) body.reason = reason;
  if (state.mode === 'issue' && !who) {
    show('bad', '请先扫描证件', '请先扫描领取人的证件，再扫描文件', 'Scan the recipient\'s badge first, then the copy', { code: 'badge_first' });
    return;
  }
  try {
    const r = await call('POST', state.mode === 'issue' ? '/documents/issue' : '/documents/return', body);
    const ev = r.event;
    if (who) {
      who.holding = r.holding;
      who.at = Date.now();
      showPerson();
    }
    const d = r.document;
    const label = `${d.classification} ${d.title} 第 ${ev.copy} 份`;
    if (ev.kind === 'issue') show('ok', '已发放', `${label} → ${ev.holder.name}`, `Copy ${ev.copy} issued to ${ev.holder.name}`, ev);
    else if (ev.by) show('ok', '已代还', `${label}：${ev.by.name} 代 ${ev.holder.name} 交回`, `Copy ${ev.copy} returned for ${ev.holder.name} by ${ev.by.name}`, ev);
    else show('ok', '已清退', `${label} ← ${ev.holder.name}`, `Copy ${ev.copy} returned by ${ev.holder.name}`, ev);
    await loadDocs();
    if (state.open === d.id || !state.open) openDoc(d.id);
  } catch (e) {
    if (e.code === 'returned_by_other' && e.details) {
      askReason(code, e);
      return;
    }
    refuse(e, '文件');
  }
}

/** askReason: a copy comes back from someone who is not its holder. */
function askReason(code, e) {
  state.pending = { code };
  const { holder, by } = e.details;
  $('#reason-what').replaceChildren(...bi(
    `此份由 ${holder.name}（${holder.organization || '—'}）领取，现由 ${by.name} 交回。请写明原因。`,
    `Issued to ${holder.name}; ${by.name} brings it back. Say why.`));
  $('#reason-text').value = '';
  $('#reason').hidden = false;
  show('warn', '代还需说明原因', e.zh, e.en, { code: e.code });
  $('#reason-text').focus();
}

async function answerReason(asHolder) {
  const p = state.pending;
  if (!p) return;
  const reason = $('#reason-text').value.trim();
  if (!asHolder && !reason) {
    toast('请写明原因', 'Give the reason', true);
    $('#reason-text').focus();
    return;
  }
  state.pending = null;
  $('#reason').hidden = true;
  await onCopy(p.code, asHolder ? '' : reason, asHolder);
  focusScan();
}

function refuse(e, what) {
  show('bad', `${what}未登记`, e.zh || String(e), e.en || '', { code: e.code || 'error' });
}

/** show puts a scan's outcome in the result panel (big, coloured). */
function show(kind, head, zh, en, detail = {}) {
  const r = $('#result');
  r.className = 'result ' + kind;
  r.replaceChildren(h('strong', {}, head), h('p', {}, zh), h('p', { class: 'en' }, en));
  r.hidden = false;
  r.dataset.kind = kind;
  if (kind !== 'person') state.results.push({ kind, code: detail.code || detail.kind || '', zh });
}

function showPerson() {
  const box = $('#person');
  const p = state.person;
  if (!p) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.replaceChildren(
    h('div', { class: 'who-name' }, p.person.name, h('span', { class: 'org' }, p.person.organization || '')),
    p.holding.length
      ? h('ul', { class: 'holding' }, p.holding.map((c) => h('li', {}, `${c.classification} ${c.title} 第 ${c.copy} 份`)))
      : h('p', { class: 'none' }, ...bi('未持有涉密文件', 'Holds no confidential copy')),
    h('button', { type: 'button', class: 'plain', onclick: () => { state.person = null; showPerson(); focusScan(); } }, ...bi('换人', 'Next person')));
}

// Keys typed outside any field (the focus on a button or the lists) are a
// scanner too: collected, and handed over on Enter.
let typed = '';
let typedAt = 0;
document.addEventListener('keydown', (e) => {
  const t = e.target;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
  const now = performance.now();
  if (now - typedAt > 500) typed = '';
  typedAt = now;
  if (e.key === 'Enter') {
    const s = typed;
    typed = '';
    if (s.length >= 4) { e.preventDefault(); onText(s); }
  } else if (e.key.length === 1 && typed.length < 512) {
    typed += e.key;
    e.preventDefault();
  }
});

$('#scan').addEventListener('keydown', (e) => {
  if (e.key !== 'Enter') return;
  e.preventDefault();
  const s = $('#scan').value;
  $('#scan').value = '';
  onText(s);
});

// ---- documents ----

// Another desk's scans show here within REFRESH_MS: the list is read again
// and, when any tally moved, the open document too.
const REFRESH_MS = 15_000;

async function refresh() {
  if (document.visibilityState !== 'visible' || state.pending || document.body.dataset.state !== 'ready') return;
  const before = JSON.stringify(state.docs);
  try {
    await loadDocs();
  } catch {
    return; // the next round tries again
  }
  if (JSON.stringify(state.docs) !== before && state.open) openDoc(state.open);
}

async function loadDocs() {
  const r = await call('GET', '/documents');
  state.docs = r.documents;
  state.classes = r.classifications;
  const list = $('#doc-list');
  list.replaceChildren(...state.docs.map((d) => h('li', { dataset: { doc: d.id }, class: d.id === state.open ? 'on' : '' },
    h('button', { type: 'button', onclick: () => openDoc(d.id) },
      h('span', { class: 'class c-' + d.classification }, d.classification),
      h('span', { class: 'title' }, d.title, h('small', {}, d.number)),
      h('span', { class: 'tally' },
        h('b', { class: d.out ? 'out' : 'ok' }, String(d.out)), ...bi(' 份未退', ' out'),
        h('small', {}, `共 ${d.copies} · 发出 ${d.issued} · 已退 ${d.returned}${d.lost ? ' · 遗失 ' + d.lost : ''}`))))));
  if (!state.docs.length) list.replaceChildren(h('li', { class: 'none' }, ...bi('还没有登记文件', 'No documents yet')));
  state.loads++;
}

const STATE_WORDS = { in: ['在库', 'In'], out: ['未退', 'Out'], lost: ['遗失', 'Lost'] };
const PERSON_WORDS = { none: ['未领', 'Not issued'], out: ['持有', 'Holds'], returned: ['已退', 'Returned'], lost: ['遗失', 'Lost'] };

async function openDoc(id) {
  state.open = id;
  for (const li of document.querySelectorAll('#doc-list li')) li.classList.toggle('on', Number(li.dataset.doc) === id);
  let r;
  try {
    r = await call('GET', `/documents/${id}`);
  } catch (e) {
    fail(e);
    return;
  }
  const d = r.document;
  const box = $('#doc');
  const filter = h('select', { 'aria-label': '筛选 Filter' },
    h('option', { value: 'all' }, '全部 All'), h('option', { value: 'out' }, '持有 Holding'),
    h('option', { value: 'none' }, '未领 Not issued'), h('option', { value: 'returned' }, '已退 Returned'));
  const people = h('tbody');
  const fill = () => {
    const f = filter.value;
    people.replaceChildren(...r.people.filter((p) => f === 'all' || p.state === f).slice(0, 400).map((p) => h('tr', { dataset: { person: p.id, state: p.state } },
      h('td', {}, p.name), h('td', {}, p.organization),
      h('td', { class: 's-' + p.state }, PERSON_WORDS[p.state][0], p.due ? '' : '（范围外）'),
      h('td', {}, [...p.holding, ...p.returned.map((n) => n + '（已退）'), ...p.lost.map((n) => n + '（遗失）')].join('、')))));
  };
  filter.addEventListener('change', fill);
  fill();
  box.replaceChildren(
    h('header', {},
      h('h2', {}, h('span', { class: 'class c-' + d.classification }, d.classification), ' ', d.title),
      h('p', {}, d.number || '（无文号）', ' · ', `共 ${d.copies} 份`, ' · ',
        { all: '全体参会人员', categories: '按类别：' + d.categories.join('、'), list: `名单 ${d.recipients} 人` }[d.audience]),
      h('p', { class: 'files' },
        h('a', { class: 'file', href: `/api/v1/documents/${d.id}/covers.pdf`, target: '_blank' }, ...bi('打印封面', 'Cover sheets')),
        h('a', { class: 'file', href: `/api/v1/documents/report.pdf?document=${d.id}`, target: '_blank' }, ...bi('本文件清退表', 'This document\'s report')))),
    h('h3', {}, ...bi('各份状态', 'Copies')),
    h('ol', { class: 'copies' }, r.copies.map((c) => h('li', { class: 'copy ' + c.state, dataset: { copy: c.copy, state: c.state } },
      h('button', { type: 'button', title: c.holder ? `${c.holder.name} ${time(c.since)}` : STATE_WORDS[c.state][0], onclick: () => showChain(d, c) },
        h('b', {}, String(c.copy)), h('span', {}, c.holder ? c.holder.name : STATE_WORDS[c.state][0]))))),
    h('div', { id: 'chain', class: 'chain', hidden: true }),
    h('h3', {}, ...bi('按人员', 'By person'), ' ', filter),
    h('table', { class: 'people' }, h('thead', {}, h('tr', {}, h('th', {}, '姓名'), h('th', {}, '单位'), h('th', {}, '状态'), h('th', {}, '份号'))), people));
  box.hidden = false;
}

const EVENT_WORDS = { issue: '发放', return: '交回', lost: '遗失' };

/** showChain shows one copy's chain of custody, and 登记遗失 for a copy out. */
async function showChain(d, c) {
  const box = $('#chain');
  let r;
  try {
    r = await call('GET', `/documents/${d.id}/copies/${c.copy}`);
  } catch (e) {
    fail(e);
    return;
  }
  box.replaceChildren(...[
    h('h4', {}, `第 ${c.copy} 份 · ${STATE_WORDS[c.state][0]}`, h('span', { class: 'en' }, `Copy ${c.copy}: ${STATE_WORDS[c.state][1]}`)),
    r.events.length
      ? h('ol', {}, r.events.map((e) => h('li', {},
        `${time(e.at)} ${e.by ? '代还' : EVENT_WORDS[e.kind]} `,
        h('b', {}, e.by ? `${e.by.name}（代 ${e.holder.name}）` : e.holder.name),
        ` · ${e.place || '—'} · ${e.actor}`, e.reason ? h('em', {}, ' ' + e.reason) : null)))
      : h('p', { class: 'none' }, ...bi('未发出过', 'Never issued')),
    c.state === 'out' ? h('button', { type: 'button', class: 'lost', onclick: () => reportLost(d, c) }, ...bi('登记遗失', 'Report lost')) : null,
  ].filter(Boolean));
  box.hidden = false;
}

async function reportLost(d, c) {
  const reason = prompt(`登记遗失：${d.title} 第 ${c.copy} 份（${c.holder.name}）。请写明经过：`);
  if (!reason || !reason.trim()) return;
  try {
    await call('POST', `/documents/${d.id}/copies/${c.copy}/lost`, { reason, place: place() });
    toast('已登记遗失', 'Recorded as lost');
    await loadDocs();
    openDoc(d.id);
  } catch (e) {
    fail(e);
  }
}

function docForm(categories, sessions = []) {
  const f = $('#doc-form');
  const field = (label, en, input) => h('label', {}, label, h('span', { class: 'en' }, en), input);
  const audience = h('select', { name: 'audience' },
    h('option', { value: 'all' }, '全体 Everyone'), h('option', { value: 'categories' }, '按类别 By category'),
    h('option', { value: 'list' }, '名单 A list of people'));
  const cats = h('fieldset', { class: 'cats', hidden: true }, categories.map((c) =>
    h('label', {}, h('input', { type: 'checkbox', name: 'cat', value: c.code }), c.name)));
  // The list: found by name, pinyin initials or organisation, picked one by one.
  const picked = new Map();
  const chips = h('ul', { class: 'chips' });
  const found = h('ul', { class: 'found' });
  const drawChips = () => chips.replaceChildren(...[...picked.values()].map((p) => h('li', {}, p.name,
    h('button', { type: 'button', class: 'plain', 'aria-label': '移除 Remove', onclick: () => { picked.delete(p.id); drawChips(); } }, '×'))));
  const q = h('input', { type: 'search', placeholder: '姓名 / 拼音首字母 / 单位 Name, initials, organisation', autocomplete: 'off' });
  let seq = 0;
  q.addEventListener('input', async () => {
    const mine = ++seq;
    const text = q.value.trim();
    if (!text) { found.replaceChildren(); return; }
    try {
      const list = await call('GET', '/attendees?limit=8&q=' + encodeURIComponent(text));
      if (mine !== seq) return;
      found.replaceChildren(...list.map((a) => h('li', {}, h('button', { type: 'button', class: 'plain', onclick: () => {
        picked.set(a.id, a); drawChips(); q.value = ''; found.replaceChildren(); q.focus();
      } }, `${a.name}（${a.organization || '—'}）`))));
    } catch (e) {
      fail(e);
    }
  });
  const people = h('fieldset', { class: 'list', hidden: true }, h('legend', {}, ...bi('发放名单', 'The list')), chips, q, found);
  audience.addEventListener('change', () => {
    cats.hidden = audience.value !== 'categories';
    people.hidden = audience.value !== 'list';
  });
  f.replaceChildren(
    field('标题', 'Title', h('input', { name: 'title', required: true, maxlength: 200 })),
    field('文号', 'Number', h('input', { name: 'number', maxlength: 60, placeholder: '会秘〔2026〕1号' })),
    field('密级', 'Classification', h('select', { name: 'classification' }, (state.classes || ['秘密', '机密']).map((c) => h('option', { value: c, selected: c === '机密' }, c)))),
    field('份数', 'Copies', h('input', { name: 'copies', type: 'number', min: 1, max: 5000, value: 20 })),
    field('用于', 'For', h('select', { name: 'session' }, h('option', { value: '' }, '整个会议 The whole meeting'),
      sessions.map((x) => h('option', { value: x.id }, x.name)))),
    field('发放范围', 'Who receives it', audience), cats, people,
    h('button', { type: 'submit', class: 'primary' }, ...bi('登记', 'Register')));
  f.onsubmit = async (e) => {
    e.preventDefault();
    const body = {
      title: f.title.value, number: f.number.value, classification: f.classification.value,
      copies: Number(f.copies.value), audience: audience.value,
      categories: [...f.querySelectorAll('input[name=cat]:checked')].map((x) => x.value),
      attendees: [...picked.keys()], session_id: f.session.value,
    };
    try {
      const d = await call('POST', '/documents', body);
      toast('已登记，请打印封面', 'Registered: print the cover sheets');
      picked.clear();
      drawChips();
      $('#new-doc').open = false;
      await loadDocs();
      openDoc(d.id);
    } catch (err) {
      fail(err);
    }
  };
}

async function start() {
  let me;
  try {
    me = await call('GET', '/me');
  } catch (e) {
    if (e.status === 401) signIn();
    else fail(e);
    return;
  }
  if (!['admin', 'desk'].includes(me.role)) {
    signIn(`当前账号（${me.name}）无权使用涉密文件页面，请换用报到处账号。`, `This account (${me.name}) may not open this page; sign in with a desk account.`);
    return;
  }
  $('#who').textContent = me.name;
  try {
    const ev = await call('GET', '/event');
    setZone(ev.timezone);
    $('#event-name').textContent = ev.name;
    const sessions = await call('GET', '/sessions').catch(() => []);
    docForm(Object.entries(ev.categories || {}).map(([code, c]) => ({ code, name: c.name || c.Name || code })), sessions);
  } catch (e) {
    if (e.code !== 'no_event') fail(e);
    docForm([]);
  }
  $('#place').value = localStorage.getItem('huiwu.documents.place') || '';
  $('#place').addEventListener('change', () => localStorage.setItem('huiwu.documents.place', $('#place').value.trim()));
  for (const b of document.querySelectorAll('.mode')) b.addEventListener('click', () => setMode(b.dataset.mode));
  $('#reason').addEventListener('submit', (e) => { e.preventDefault(); answerReason(false); });
  $('#reason-holder').addEventListener('click', () => answerReason(true));
  $('#reason-cancel').addEventListener('click', () => { state.pending = null; $('#reason').hidden = true; focusScan(); });
  setMode('issue');
  await loadDocs();
  if (state.docs.length) openDoc(state.docs[0].id);
  document.body.dataset.state = 'ready';
  setInterval(refresh, REFRESH_MS);
}

start();

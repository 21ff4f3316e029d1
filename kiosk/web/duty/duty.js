// duty.js — the secretariat's duty room (/duty), desk role: who is on duty
// now with their phones, a quick entry form for the call that is coming
// in, the open items with their follow-up and the handover between
// shifts, the log with its filters and corrections, and the roster. Two
// desks with the page open see each other's entries at once: the `duty`
// topic says that something changed and the page reads again over REST.
// The writer of an entry is whoever is signed in: the page never sends a
// name for it.
import { setup, call } from '/static/common/api.js';
import { h, bi, setZone, zone, fail, toast, shortTime, fmtTime, fmtDay, wallClock } from '/static/common/dom.js';
import { Live } from '/static/usher/live.js';

const $ = (s, el = document) => el.querySelector(s);
const KINDS = { call: ['来电', 'Call'], visit: ['来访', 'Visitor'], message: ['信息传递', 'Message'], other: ['其他', 'Other'] };
const ALLOWED = ['admin', 'desk'];

// This page signs in with the staff login's cookie alone (usher/live.js
// set up a paired device's token, which a staff page does not use).
setup({ signedOut: () => signIn() });

const st = { board: null, me: null, loads: 0, status: 'connecting', log: [], shifts: null, editing: 0, ready: false };

// For the browser tests.
window.duty = {
  ready: () => st.ready,
  loads: () => st.loads,
  status: () => st.status,
  open: () => (st.board ? st.board.open.length : -1),
  logged: () => st.log.length,
};

function signIn(zh = '请先登录：用报到处（会务组值班）账号。', en = 'Please sign in with a desk account.') {
  document.body.dataset.state = 'signin';
  $('#main').hidden = true;
  $('#signin').replaceChildren(...bi(zh, en), h('a', { class: 'button', href: '/login?next=' + encodeURIComponent('/duty' + location.hash) }, ...bi('登录', 'Sign in')));
  $('#signin').hidden = false;
}

const kindWords = (k) => bi(...(KINDS[k] || [k, k]));
const hm = (t) => (t ? fmtTime(t) : '');
const from = (e) => [e.from_unit, e.from_name].filter(Boolean).join(' ');

// ---- the board: on duty now, open items, handover ----

async function load() {
  const b = await call('GET', '/duty');
  st.board = b;
  st.loads++;
  renderNow(b);
  renderOpen(b);
  renderHandover(b);
  fillPlaces(b.places);
  fillDays(b);
  $('#staff').replaceChildren(...b.staff.map((s) => h('option', { value: s.name })));
}

function people(shift) {
  return h('ul', { class: 'people' }, shift.people.map((p) => h('li', {},
    h('b', {}, p.name), p.lead ? h('span', { class: 'lead' }, '带班') : null,
    p.phone ? h('a', { class: 'tel', href: 'tel:' + p.phone }, p.phone) : null)));
}

function renderNow(b) {
  const box = $('#on');
  const rows = b.places.map((pl) => {
    const on = b.on.filter((s) => s.place_id === pl.id);
    return h('div', { class: 'onplace' + (on.length ? '' : ' empty') + (pl.main ? ' main' : ''), dataset: { place: pl.id } },
      h('div', { class: 'pname' }, pl.name, pl.phone ? h('span', { class: 'pphone' }, '☎ ', pl.phone) : null),
      on.length ? on.map((s) => h('div', { class: 'shift', dataset: { shift: s.id } },
        h('span', { class: 'span' }, hm(s.starts_at), '–', hm(s.ends_at)), people(s)))
        : h('div', { class: 'nobody' }, ...bi('现在无人值班', 'Nobody on duty now')));
  });
  box.replaceChildren(...rows);
  $('#next').replaceChildren(b.next.length ? h('div', { class: 'next' }, h('h3', {}, ...bi('下一班', 'Next')),
    b.next.slice(0, 3).map((s) => h('div', { class: 'nshift' }, `${shortTime(s.starts_at)}–${hm(s.ends_at)} ${s.place}：`,
      s.people.map((p) => p.name + (p.phone ? ' ' + p.phone : '')).join('、')))) : '');
}

function renderOpen(b) {
  $('#open-n').textContent = b.open.length;
  const list = $('#open');
  if (!b.open.length) {
    list.replaceChildren(h('li', { class: 'none' }, ...bi('没有待办事项', 'Nothing open')));
    return;
  }
  list.replaceChildren(...b.open.map((e) => {
    const li = h('li', { class: 'item', dataset: { entry: e.id } },
      h('div', { class: 'head' }, h('span', { class: 'kind k-' + e.kind }, KINDS[e.kind]?.[0] || e.kind),
        h('span', { class: 'when' }, shortTime(e.at)), h('span', { class: 'from' }, from(e)),
        e.from_phone ? h('a', { class: 'tel', href: 'tel:' + e.from_phone }, e.from_phone) : null,
        e.carried_over ? h('span', { class: 'carried', title: '上一班移交 Handed over' }, '已移交') : null,
        b.places.length > 1 ? h('span', { class: 'at-place' }, e.place) : null),
      h('div', { class: 'content' }, e.content),
      e.to_whom ? h('div', { class: 'to' }, '转交：', e.to_whom) : null,
      h('div', { class: 'by' }, '记录：', e.created_by),
      h('form', { class: 'close' },
        h('input', { name: 'outcome', placeholder: '办理结果 What was done', 'aria-label': '办理结果 What was done', maxlength: 400 }),
        h('button', { type: 'submit', class: 'done' }, ...bi('办结', 'Done'))));
    $('form.close', li).addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const outcome = ev.target.outcome.value.trim();
      if (!outcome) {
        toast('请写明办理结果', 'Say what was done', true);
        ev.target.outcome.focus();
        return;
      }
      try {
        await call('POST', `/duty/entries/${e.id}/close`, { outcome });
        toast('已办结', 'Done');
        refresh();
      } catch (err) { fail(err); }
    });
    return li;
  }));
}

function renderHandover(b) {
  const box = $('#handover');
  const parts = [h('h3', {}, ...bi('交接班', 'Handover'))];
  const pending = b.pending[0];
  if (pending) {
    const mine = pending.offered_by === b.me;
    parts.push(h('div', { class: 'pending', dataset: { handover: pending.id } },
      h('p', {}, `${pending.offered_by} 于 ${hm(pending.offered_at)} 交班（${pending.place}），移交待办 `, h('b', {}, pending.items.length), ' 项',
        h('span', { class: 'en' }, `${pending.offered_by} handed over at ${hm(pending.offered_at)}: ${pending.items.length} open items`)),
      pending.note ? h('p', { class: 'note' }, '交班说明：', pending.note) : null,
      h('ol', { class: 'handed' }, pending.items.map((e) => h('li', { dataset: { entry: e.id } }, `${hm(e.at)} ${KINDS[e.kind]?.[0] || ''} ${from(e)}：${e.content}`))),
      mine ? h('p', { class: 'wait' }, ...bi('等待接班人用本人账号登录并确认接班', 'Waiting for the incoming person to sign in and take over'))
        : h('button', { type: 'button', class: 'go', id: 'accept', onclick: () => accept(pending) }, ...bi('确认接班', 'Take over'))));
  } else {
    const note = h('input', { id: 'handover-note', placeholder: '交班说明（可选） Note', 'aria-label': '交班说明 Note', maxlength: 400 });
    parts.push(h('div', { class: 'offer' }, note,
      h('button', { type: 'button', id: 'offer', onclick: () => offer(note.value) }, ...bi('交班', 'Hand over'))));
  }
  // The incoming person sees an offer at once, whatever is in view.
  const alert = $('#alert');
  alert.hidden = !pending || pending.offered_by === b.me;
  if (!alert.hidden) {
    alert.replaceChildren(h('span', {}, `${pending.offered_by} 交班，移交待办 ${pending.items.length} 项，请核对后确认接班`,
      h('span', { class: 'en' }, `${pending.offered_by} is handing over ${pending.items.length} open items: check them and take over`)),
    h('button', { type: 'button', onclick: () => box.scrollIntoView({ block: 'center' }) }, ...bi('查看', 'Show')));
  }
  const last = b.handovers[0];
  if (last) {
    parts.push(h('p', { class: 'last', dataset: { handover: last.id } },
      `上次交接：${last.offered_by} → ${last.accepted_by}，${shortTime(last.accepted_at)}，移交 ${last.items.length} 项`,
      h('span', { class: 'en' }, `Last handover: ${last.offered_by} → ${last.accepted_by}, ${last.items.length} items`)));
  }
  box.replaceChildren(...parts);
}

async function offer(note) {
  try {
    await call('POST', '/duty/handovers', { place_id: mainPlace(), note: note.trim() });
    toast('已交班，等待接班人确认', 'Handed over; waiting for the incoming person');
    refresh();
  } catch (err) { fail(err); }
}

async function accept(pending) {
  try {
    const h2 = await call('POST', `/duty/handovers/${pending.id}/accept`, {});
    toast(`已接班，接收待办 ${h2.items.length} 项`, `Taken over: ${h2.items.length} open items`);
    refresh();
  } catch (err) { fail(err); }
}

function mainPlace() {
  const m = st.board.places.find((p) => p.main) || st.board.places[0];
  return m ? m.id : 0;
}

function fillPlaces(places) {
  for (const sel of document.querySelectorAll('select[name=place_id]')) {
    const keep = sel.value;
    sel.replaceChildren(...places.map((p) => h('option', { value: p.id }, p.name)));
    sel.value = keep && places.some((p) => String(p.id) === keep) ? keep : String(mainPlace());
  }
}

function fillDays(b) {
  const sel = $('#filters select[name=day]');
  if (sel.options.length) return;
  const days = [...new Set([...b.days, b.today])].sort();
  sel.replaceChildren(h('option', { value: '' }, '全部 All'), ...days.map((d) => h('option', { value: d }, d)));
  sel.value = b.today;
}

// ---- quick entry ----

function entryBody(form) {
  const f = new FormData(form);
  const body = {
    kind: f.get('kind'), from_name: f.get('from_name'), from_unit: f.get('from_unit'), from_phone: f.get('from_phone'),
    content: f.get('content'), to_whom: f.get('to_whom'), place_id: Number(f.get('place_id')) || 0, open: f.get('open') === 'on',
    outcome: f.get('outcome') || '',
  };
  // A time typed is today's on the event's clocks, or yesterday's when it
  // is more than a few minutes later than now (a call at 23:50 written
  // down after midnight).
  const t = f.get('at');
  if (t) {
    const now = wallClock(Date.now(), zone());
    const mins = (hm) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
    const day = mins(t) > mins(now.slice(11, 16)) + 5 ? wallClock(Date.now() - 86400000, zone()) : now;
    body.at = day.slice(0, 10) + 'T' + t;
  }
  return body;
}

async function saveEntry(ev) {
  ev.preventDefault();
  const form = $('#entry');
  const body = entryBody(form);
  if (!body.content.trim()) {
    toast('请填写内容', 'Write what was said or asked', true);
    form.content.focus();
    return;
  }
  $('#entry-go').disabled = true;
  try {
    const e = await call('POST', '/duty/entries', body);
    for (const n of ['from_name', 'from_unit', 'from_phone', 'content', 'to_whom', 'at', 'outcome']) form[n].value = '';
    form.open.checked = true;
    form.open.dispatchEvent(new Event('change'));
    toast(`已登记：${KINDS[e.kind][0]} ${hm(e.at)}`, 'Saved');
    form.from_name.focus();
    refresh();
  } catch (err) {
    fail(err); // the text stays in the form
  } finally {
    $('#entry-go').disabled = false;
  }
}

// ---- the log ----

async function loadLog() {
  const f = new FormData($('#filters'));
  const q = new URLSearchParams();
  for (const k of ['day', 'kind', 'state', 'q']) if (f.get(k)) q.set(k, f.get(k));
  st.log = await call('GET', '/duty/entries?' + q);
  renderLog();
}

function logQuery() {
  const f = new FormData($('#filters'));
  const q = new URLSearchParams();
  if (f.get('day')) q.set('day', f.get('day'));
  return q.toString();
}

function renderLog() {
  const body = $('#log tbody');
  if (!st.log.length) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: 8, class: 'none' }, ...bi('没有记录', 'No entries'))));
    return;
  }
  body.replaceChildren(...st.log.slice().reverse().flatMap((e) => {
    const row = h('tr', { class: 'state-' + e.state, dataset: { entry: e.id } },
      h('td', { class: 'when' }, shortTime(e.at)),
      h('td', {}, h('span', { class: 'kind k-' + e.kind }, KINDS[e.kind]?.[0] || e.kind)),
      h('td', {}, from(e), e.from_phone ? h('div', { class: 'tel' }, e.from_phone) : null),
      h('td', { class: 'content' }, e.content, e.version > 1 ? h('div', { class: 'corrected' },
        `第 ${e.version} 版：${e.written_by} ${shortTime(e.written_at)} 更正（${e.reason}）`) : null),
      h('td', {}, e.to_whom),
      h('td', {}, e.created_by),
      h('td', { class: 'follow' }, e.state === 'done'
        ? [h('b', { class: 'done' }, '已办'), ' ', shortTime(e.closed_at), h('div', {}, e.closed_by), h('div', { class: 'outcome' }, e.outcome)]
        : [h('b', { class: 'open' }, '待办'), e.carried_over ? h('div', {}, '已移交') : null]),
      h('td', {}, h('button', { type: 'button', class: 'plain fix', onclick: () => { st.editing = st.editing === e.id ? 0 : e.id; renderLog(); } }, ...bi('更正', 'Correct')),
        e.version > 1 ? h('button', { type: 'button', class: 'plain', onclick: () => showVersions(e.id) }, ...bi('历史', 'History')) : null));
    return st.editing === e.id ? [row, correctRow(e)] : [row];
  }));
}

function correctRow(e) {
  const local = wallClock(Date.parse(e.at), zone());
  const form = h('form', { class: 'correct' },
    h('select', { name: 'kind', 'aria-label': '类别 Kind' }, Object.entries(KINDS).map(([k, w]) => h('option', { value: k, selected: k === e.kind }, w[0]))),
    h('input', { name: 'at', type: 'datetime-local', value: local, 'aria-label': '时间 Time' }),
    h('input', { name: 'from_name', value: e.from_name, placeholder: '姓名' }),
    h('input', { name: 'from_unit', value: e.from_unit, placeholder: '单位' }),
    h('input', { name: 'from_phone', value: e.from_phone, placeholder: '电话' }),
    h('textarea', { name: 'content', rows: 2 }, e.content),
    h('input', { name: 'to_whom', value: e.to_whom, placeholder: '转交' }),
    h('input', { name: 'reason', placeholder: '更正原因（必填） Why', required: true }),
    h('button', { type: 'submit', class: 'go' }, ...bi('保存更正', 'Save the correction')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const body = Object.fromEntries(['kind', 'from_name', 'from_unit', 'from_phone', 'content', 'to_whom', 'reason'].map((k) => [k, f.get(k) || '']));
    body.at = f.get('at');
    try {
      await call('POST', `/duty/entries/${e.id}/correct`, body);
      st.editing = 0;
      toast('已更正，原记录保留', 'Corrected; the old version is kept');
      refresh();
    } catch (err) { fail(err); }
  });
  return h('tr', { class: 'editing' }, h('td', { colspan: 8 }, form));
}

async function showVersions(id) {
  try {
    const e = await call('GET', `/duty/entries/${id}`);
    const row = document.querySelector(`#log tr[data-entry="${id}"]`);
    const old = row.nextElementSibling?.classList.contains('versions') ? row.nextElementSibling : null;
    if (old) { old.remove(); return; }
    row.after(h('tr', { class: 'versions' }, h('td', { colspan: 8 }, h('ol', {}, e.versions.map((v) => h('li', {},
      `第 ${v.version} 版 ${shortTime(v.written_at)} ${v.written_by}${v.reason ? '（' + v.reason + '）' : ''}：`,
      `${KINDS[v.kind]?.[0]} ${shortTime(v.at)} ${[v.from_unit, v.from_name, v.from_phone].filter(Boolean).join(' ')} — ${v.content}`,
      v.to_whom ? ` → ${v.to_whom}` : ''))))));
  } catch (err) { fail(err); }
}

// ---- the roster ----

async function loadRoster() {
  const r = await call('GET', '/duty/shifts');
  st.shifts = r;
  const byDay = new Map();
  const day = (t) => wallClock(Date.parse(t), zone()).slice(0, 10);
  for (const s of r.shifts) {
    const d = day(s.starts_at);
    if (!byDay.has(d)) byDay.set(d, []);
    byDay.get(d).push({ at: s.starts_at, shift: s });
  }
  for (const g of r.gaps) {
    if (!st.board.places.find((p) => p.id === g.place_id)?.main) continue;
    const d = day(g.from);
    if (!byDay.has(d)) byDay.set(d, []);
    byDay.get(d).push({ at: g.from, gap: g });
  }
  const days = [...byDay.keys()].sort();
  for (const list of byDay.values()) list.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  $('#roster').replaceChildren(...days.map((d) => h('div', { class: 'day', dataset: { day: d } }, h('h3', {}, fmtDay(byDay.get(d)[0].at)),
    h('table', { class: 'roster' }, h('tbody', {}, byDay.get(d).map((x) => x.gap
      ? h('tr', { class: 'gap' }, h('td', {}, `${shortTime(x.gap.from)}–${hm(x.gap.until)}`), h('td', {}, x.gap.place),
        h('td', { colspan: 2 }, ...bi('无人值班', 'Nobody on duty')), h('td', {}))
      : h('tr', { dataset: { shift: x.shift.id } }, h('td', {}, `${hm(x.shift.starts_at)}–${hm(x.shift.ends_at)}`), h('td', {}, x.shift.place),
        h('td', {}, x.shift.people.map((p) => p.name + (p.lead ? '（带班）' : '')).join('、')),
        h('td', {}, x.shift.people.map((p) => p.phone).filter(Boolean).join('、')),
        h('td', {}, h('button', { type: 'button', class: 'plain', onclick: () => cancelShift(x.shift) }, ...bi('取消', 'Cancel'))))))))));
}

async function cancelShift(s) {
  if (!confirm(`取消 ${s.place} ${shortTime(s.starts_at)} 的班次？\nCancel this shift?`)) return;
  try {
    await call('POST', `/duty/shifts/${s.id}/cancel`, { reason: '' });
    refresh();
  } catch (err) { fail(err); }
}

function personRow() {
  return h('div', { class: 'person row' },
    h('input', { name: 'pname', list: 'staff', placeholder: '姓名 Name', 'aria-label': '姓名 Name', maxlength: 60 }),
    h('input', { name: 'pphone', placeholder: '电话 Phone', 'aria-label': '电话 Phone', inputmode: 'tel', maxlength: 40 }),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'plead' }), ' 带班'));
}

async function saveShift(ev) {
  ev.preventDefault();
  const form = $('#shift');
  const f = new FormData(form);
  const dayStr = f.get('day');
  const start = `${dayStr}T${f.get('from')}`;
  let endDay = dayStr;
  if (f.get('until') <= f.get('from')) {
    const d = new Date(dayStr + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + 1);
    endDay = d.toISOString().slice(0, 10);
  }
  const staff = new Map(st.board.staff.map((s) => [s.name, s.id]));
  const people = [...form.querySelectorAll('.person')].map((r) => ({
    name: $('[name=pname]', r).value.trim(), phone: $('[name=pphone]', r).value.trim(), lead: $('[name=plead]', r).checked,
    user_id: staff.get($('[name=pname]', r).value.trim()) || 0,
  })).filter((p) => p.name);
  try {
    await call('POST', '/duty/shifts', {
      place_id: Number(f.get('place_id')), starts_at: start, ends_at: `${endDay}T${f.get('until')}`, people,
      notes: f.get('notes') || '', overlap_reason: f.get('overlap_reason') || '',
    });
    toast('已排班', 'Shift saved');
    form.reset();
    $('.overlap', form).hidden = true;
    $('#people').replaceChildren(personRow(), personRow());
    refresh();
  } catch (err) {
    if (err.code === 'shift_overlap') $('.overlap', form).hidden = false;
    fail(err);
  }
}

// ---- tabs, refresh, live ----

function current() { return location.hash === '#roster' ? 'roster' : 'log'; }

function show() {
  const name = current();
  for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('on', a.dataset.tab === name);
  for (const s of document.querySelectorAll('section.tab')) s.hidden = s.dataset.tab !== name;
  if (st.board) (name === 'roster' ? loadRoster() : loadLog()).catch(fail);
}

let timer = 0;
function refresh() {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    try {
      await load();
      await (current() === 'roster' ? loadRoster() : loadLog());
    } catch (err) { fail(err); }
  }, 80);
}

function download(path) {
  const a = h('a', { href: '/api/v1' + path, download: '' });
  document.body.append(a);
  a.click();
  a.remove();
}

async function start() {
  let me;
  try {
    me = await call('GET', '/me');
  } catch (e) {
    if (e.status === 401) signIn(); else fail(e);
    return;
  }
  if (!ALLOWED.includes(me.role)) {
    signIn(`当前账号（${me.name}）无权查看值班记录，请换用报到处账号。`, `This account (${me.login || me.name}) may not open the duty log; sign in with a desk account.`);
    return;
  }
  st.me = me;
  $('#who').replaceChildren(me.name, ' ', h('button', { type: 'button', class: 'plain', onclick: signOut }, ...bi('退出', 'Sign out')));
  try {
    const ev = await call('GET', '/event');
    setZone(ev.timezone);
    $('#event-name').textContent = ev.name;
  } catch (e) {
    if (e.code !== 'no_event') fail(e);
  }
  $('#entry').addEventListener('submit', saveEntry);
  // What was done on the spot is asked only of an entry that needs no follow-up.
  const outcome = () => { $('#entry .f.outcome').hidden = $('#entry [name=open]').checked; };
  $('#entry [name=open]').addEventListener('change', outcome);
  outcome();
  $('#entry').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); $('#entry').requestSubmit(); }
  });
  $('#filters').addEventListener('change', () => loadLog().catch(fail));
  $('#filters input[name=q]').addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => loadLog().catch(fail), 250); });
  $('#filters').addEventListener('submit', (ev) => ev.preventDefault());
  $('#log-pdf').addEventListener('click', () => download('/duty/log.pdf?' + logQuery()));
  $('#log-xlsx').addEventListener('click', () => download('/duty/log.xlsx?' + logQuery()));
  $('#roster-pdf').addEventListener('click', () => download('/duty/roster.pdf'));
  $('#shift').addEventListener('submit', saveShift);
  $('#add-person').addEventListener('click', () => $('#people').append(personRow()));
  $('#people').replaceChildren(personRow(), personRow());
  try {
    await load();
  } catch (e) {
    fail(e);
    return;
  }
  $('#shift input[name=day]').value = st.board.today;
  document.body.dataset.state = 'ready';
  $('#main').hidden = false;
  show();
  new Live(['duty'], {
    snapshot: refresh,
    delta: refresh,
    status: (s) => {
      st.status = s;
      $('#conn').className = 'conn ' + s;
      $('#conn').title = { live: '实时 Live', connecting: '连接中 Connecting', offline: '离线 Offline' }[s] || s;
    },
  });
  st.ready = true;
  $('#entry [name=from_name]').focus();
}

async function signOut() {
  await call('POST', '/logout', undefined, { base: '' }).catch(() => {});
  location.assign('/login?next=' + encodeURIComponent('/duty'));
}

window.addEventListener('hashchange', show);
start();

// The desk's devices view (设备): every kiosk, screen and usher tablet with
// where it stands and whether it is alive, and the actions on it — rename,
// move to another checkpoint, revoke — plus adding a kiosk by the code its
// pairing screen shows (typed, or scanned from its QR code with the desk's
// USB scanner). Screens and usher tablets have no pairing screen of their
// own yet, so the desk can still create a device and show its code.
import { call } from '/static/common/api.js';
import { h, bi, toast, fail, time } from '/static/common/dom.js';
import { ask } from './ask.js';

const REFRESH_MS = 10000;
const KINDS = [['kiosk', '签到机', 'Kiosk'], ['screen', '大屏', 'Screen'], ['usher', '引导平板', 'Usher tablet']];
const QR_PREFIX = 'HUIWU-PAIR:';
let st = null;
let timer = 0;

/** initDevices wires the forms and keeps the list fresh while it is shown. */
export function initDevices(state) {
  st = state;
  const claimForm = document.getElementById('dev-claim-form');
  const createForm = document.getElementById('dev-create-form');
  for (const f of [claimForm, createForm]) {
    fillKinds(f.elements.kind);
    fillCheckpoints(f.elements.checkpoint, '');
    f.elements.kind.addEventListener('change', () => { f.elements.checkpoint.disabled = f.elements.kind.value !== 'kiosk'; });
  }
  const code = claimForm.elements.code;
  // A USB scanner types the QR text and Enter: keep the digits and move on
  // to the name instead of submitting a form without one.
  code.addEventListener('input', () => { code.value = digits(code.value); });
  code.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !claimForm.elements.name.value.trim()) {
      e.preventDefault();
      claimForm.elements.name.focus();
    }
  });
  claimForm.addEventListener('submit', (e) => { e.preventDefault(); claimKiosk(claimForm); });
  createForm.addEventListener('submit', (e) => { e.preventDefault(); createDevice(createForm); });
  load();
  const tick = () => {
    if (!document.getElementById('view-devices').hidden) load();
    timer = setTimeout(tick, REFRESH_MS);
  };
  clearTimeout(timer);
  timer = setTimeout(tick, REFRESH_MS);
}

/** digits keeps a pairing code's digits, whether typed in groups or scanned. */
function digits(s) {
  const t = s.trim();
  return (t.startsWith(QR_PREFIX) ? t.slice(QR_PREFIX.length) : t).replace(/[^0-9]/g, '').slice(0, 8);
}

function fillKinds(sel) {
  sel.replaceChildren(...KINDS.map(([v, zh, en]) => h('option', { value: v }, `${zh} ${en}`)));
}

function cpLabel(c) { return `${c.name} ${c.name_en}`; }

function fillCheckpoints(sel, current) {
  sel.replaceChildren(...st.checkpoints.map((c) => h('option', { value: c.id, selected: c.id === current }, cpLabel(c))));
}

async function claimKiosk(f) {
  const body = { code: digits(f.elements.code.value), name: f.elements.name.value.trim(), kind: f.elements.kind.value,
    checkpoint: f.elements.kind.value === 'kiosk' ? f.elements.checkpoint.value : '' };
  if (body.code.length !== 8) {
    toast('配对码应为 8 位数字', 'The pairing code has 8 digits', true);
    f.elements.code.focus();
    return;
  }
  try {
    const dev = await call('POST', '/devices/claim', body);
    toast(`已添加：${dev.name}，该设备将在几秒内自动完成配对`, `Added ${dev.name}; the device finishes pairing by itself in a few seconds`);
    f.elements.code.value = '';
    f.elements.name.value = '';
    f.elements.code.focus();
    load();
  } catch (err) { fail(err); }
}

async function createDevice(f) {
  const body = { name: f.elements.name.value.trim(), kind: f.elements.kind.value,
    checkpoint: f.elements.kind.value === 'kiosk' ? f.elements.checkpoint.value : '' };
  const out = document.getElementById('dev-created');
  try {
    const p = await call('POST', '/devices', body);
    out.replaceChildren(h('p', {}, ...bi(`请在“${p.device.name}”上输入此配对码（${time(p.expires_at)} 前有效）`,
      `Type this code on “${p.device.name}” (valid until ${time(p.expires_at)})`)),
    h('div', { class: 'dev-code', id: 'dev-created-code' }, p.pairing_code.slice(0, 4) + ' ' + p.pairing_code.slice(4)));
    out.hidden = false;
    out.scrollIntoView({ block: 'center' });
    f.elements.name.value = '';
    load();
  } catch (err) { fail(err); }
}

async function load() {
  let list;
  try { list = await call('GET', '/kiosk/devices'); } catch (err) { fail(err); return; }
  // Live devices first, then by name; revoked ones stay visible, greyed, for the record.
  list.sort((a, b) => (!!a.revoked_at - !!b.revoked_at) || a.name.localeCompare(b.name, 'zh'));
  const live = list.filter((d) => !d.revoked_at);
  const online = live.filter((d) => d.online).length;
  document.getElementById('dev-summary').replaceChildren(...bi(`共 ${live.length} 台在用，${online} 台在线`,
    `${live.length} in use, ${online} online`));
  const body = document.getElementById('dev-rows');
  // Keep what the desk is typing: a refresh must not swallow a half-typed name.
  if (body.contains(document.activeElement) && document.activeElement.tagName === 'INPUT') return;
  body.replaceChildren(...list.map(row));
}

function kindLabel(k) {
  const m = KINDS.find(([v]) => v === k);
  return m ? bi(m[1], m[2]) : [k];
}

function row(d) {
  const revoked = !!d.revoked_at;
  const unpaired = !d.paired_at && !revoked;
  const stateCell = revoked ? ['已注销', 'Revoked', 'revoked'] : unpaired ? ['待配对', 'Not paired yet', 'pending']
    : d.online ? ['在线', 'Online', 'online'] : ['离线', 'Offline', 'offline'];
  const name = h('input', { class: 'dev-name', value: d.name, maxlength: '40', disabled: revoked, 'aria-label': '名称 name' });
  name.addEventListener('change', () => rename(d, name));
  name.addEventListener('keydown', (e) => { if (e.key === 'Enter') name.blur(); });
  let where;
  if (d.kind === 'kiosk' && !revoked) {
    where = h('select', { class: 'dev-move', 'aria-label': '签到点 checkpoint' });
    fillCheckpoints(where, d.checkpoint);
    where.addEventListener('change', () => move(d, where));
  } else {
    const c = st.checkpoints.find((x) => x.id === d.checkpoint);
    where = c ? cpLabel(c) : '—';
  }
  return h('tr', { class: 'dev ' + stateCell[2], dataset: { id: d.id, state: stateCell[2] } },
    h('td', {}, name),
    h('td', {}, ...kindLabel(d.kind)),
    h('td', {}, where),
    h('td', { class: 'dev-state ' + stateCell[2] }, ...bi(stateCell[0], stateCell[1])),
    h('td', { class: 'num' }, d.last_seen_at ? time(d.last_seen_at) : '—'),
    h('td', { class: 'num' + (d.queued ? ' warn' : '') }, String(d.queued)),
    h('td', { class: 'num' }, String(d.scans_today), d.offline_today ? h('span', { class: 'en' }, `离线 ${d.offline_today} offline`) : null),
    h('td', {}, revoked ? null : h('button', { class: 'danger dev-revoke', type: 'button', onclick: () => revoke(d) }, ...bi('注销', 'Revoke'))));
}

async function rename(d, input) {
  const name = input.value.trim();
  if (!name || name === d.name) { input.value = d.name; return; }
  try {
    await call('PATCH', '/devices/' + encodeURIComponent(d.id), { name });
    d.name = name;
    toast(`已改名为 ${name}`, `Renamed to ${name}`);
  } catch (err) { input.value = d.name; fail(err); }
}

async function move(d, sel) {
  const c = st.checkpoints.find((x) => x.id === sel.value);
  try {
    await call('PATCH', '/devices/' + encodeURIComponent(d.id), { checkpoint: sel.value });
    d.checkpoint = sel.value;
    toast(`${d.name} 已移至 ${c.name}，签到机将在几秒内切换`, `${d.name} moved to ${c.name_en}; the kiosk switches within seconds`);
  } catch (err) { sel.value = d.checkpoint; fail(err); }
}

async function revoke(d) {
  const reason = await ask({ title: `注销 ${d.name}？ Revoke ${d.name}?`,
    text: '注销后该设备立即失效，需重新配对才能使用。 The device stops at once and must be paired again to be used.',
    placeholder: '例如：设备丢失 / e.g. device lost' });
  if (reason === null) return;
  try {
    await call('POST', `/devices/${encodeURIComponent(d.id)}/revoke`, { reason });
    toast(`已注销 ${d.name}`, `${d.name} revoked`);
    load();
  } catch (err) { fail(err); }
}

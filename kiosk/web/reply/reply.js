// reply.js — a unit's reply to the meeting notice (会议回执), opened from
// the private link the secretariat sent (/reply/<token>) on a phone. It
// hands the token to the server once (which keeps it in a cookie for this
// unit only), shows the unit's people, lets the unit answer for each —
// comes (参加), someone else comes (代会), or does not (不参加, why) — and
// fill in what the secretariat asks (travel, diet, room), saving each
// answer as it goes, then sends the reply. Nothing here changes the list:
// the secretariat applies what the reply asks.

import { call } from '/static/common/api.js';
import { h, bi, toast, fail } from '/static/common/dom.js';

const $ = (s) => document.querySelector(s);

const STATUS = {
  confirm: ['参加', 'Comes'],
  substitute: ['代会', 'Substitute'],
  decline: ['不参加', 'Does not come'],
};
const MODES = [['', '—', '—'], ['flight', '飞机', 'Flight'], ['train', '火车', 'Train'], ['car', '汽车', 'Car'], ['other', '其他', 'Other']];

const state = { unit: 0, view: null, open: 0, saving: false, sent: null };

function closed(zh, en, zhText, enText) {
  document.body.dataset.state = 'closed';
  $('#loading').hidden = true;
  $('#main').hidden = true;
  $('#closed-title').replaceChildren(...bi(zh, en));
  $('#closed-text').replaceChildren(...bi(zhText, enText));
  $('#closed').hidden = false;
}

const REFUSED = {
  link_expired: ['回执链接已过期', 'This reply link has expired'],
  link_revoked: ['回执链接已作废', 'This reply link was withdrawn'],
  link_unknown: ['回执链接无效', 'This is not a valid reply link'],
  reply_link_required: ['回执链接无效', 'This is not a valid reply link'],
  rate_limited: ['尝试次数过多', 'Too many attempts'],
};

/** refused shows why the link no longer opens, and says whether it did. */
function refused(e) {
  const t = REFUSED[e.code];
  if (!t) return false;
  closed(t[0], t[1], e.zh, e.en);
  return true;
}

function dateWords(s) {
  if (!s) return '';
  const [, m, d] = s.split('-').map(Number);
  return `${m}月${d}日`;
}

function tripWords(t) {
  if (!t) return '';
  const mode = MODES.find(([k]) => k === t.mode);
  return [dateWords(t.date), t.time, mode && t.mode ? mode[1] : '', t.number, t.station].filter(Boolean).join(' ');
}

function badge(p) {
  const a = p.answer;
  if (!a) return h('span', { class: 'badge none' }, ...bi('未填写', 'Not answered'));
  const [zh, en] = STATUS[a.status];
  return h('span', { class: `badge ${a.status}` }, ...bi(zh, en));
}

function summary(p) {
  const a = p.answer;
  if (!a) return '';
  const bits = [];
  if (a.status === 'substitute' && a.substitute) bits.push(`由 ${a.substitute.name} 代会`);
  if (a.status === 'decline' && a.reason) bits.push(`原因：${a.reason}`);
  if (a.arrival) bits.push(`抵达 ${tripWords(a.arrival)}`);
  if (a.departure) bits.push(`返程 ${tripWords(a.departure)}`);
  if (a.diet) bits.push(`饮食 ${a.diet}`);
  if (a.room) bits.push(`住宿 ${a.room}`);
  return bits.join('；');
}

function field(label, en, input) {
  return h('label', { class: 'field' }, h('span', { class: 'lbl' }, ...bi(label, en)), input);
}

function tripFields(prefix, zh, en, t) {
  t = t || {};
  const mode = h('select', { name: `${prefix}_mode` }, MODES.map(([k, z, e]) => h('option', { value: k }, k ? `${z} ${e}` : '—')));
  mode.value = t.mode || '';
  return h('fieldset', { class: 'trip' }, h('legend', {}, ...bi(zh, en)),
    h('div', { class: 'pair' },
      field('日期', 'Date', h('input', { name: `${prefix}_date`, type: 'date', value: t.date || '' })),
      field('时间', 'Time', h('input', { name: `${prefix}_time`, type: 'time', value: t.time || '' }))),
    h('div', { class: 'pair' },
      field('方式', 'By', mode),
      field('航班/车次', 'Flight/train', h('input', { name: `${prefix}_number`, value: t.number || '', maxlength: 12, autocapitalize: 'characters' }))),
    field('机场/车站', 'Airport/station', h('input', { name: `${prefix}_station`, value: t.station || '', maxlength: 60 })),
    field('随行人员', 'Companions', h('input', { name: `${prefix}_companions`, type: 'number', min: 0, max: 20, value: t.companions || 0, inputmode: 'numeric' })));
}

function editor(p) {
  const s = state.view.settings;
  const a = p.answer || { status: '' };
  const base = {
    arrival: a.arrival || p.arrival, departure: a.departure || p.departure,
    diet: a.diet ?? p.diet, room: a.room ?? p.room,
  };
  const sub = a.substitute || {};
  const choice = h('div', { class: 'choice', role: 'radiogroup' }, Object.entries(STATUS).map(([k, [zh, en]]) =>
    h('label', { class: `opt ${k}` }, h('input', { type: 'radio', name: 'status', value: k, checked: a.status === k }), ...bi(zh, en))));
  const subBox = h('div', { class: 'sub', 'data-for': 'substitute' },
    field('代会人姓名', "Substitute's name", h('input', { name: 'sub_name', value: sub.name || '', maxlength: 40 })),
    field('代会人职务', "Substitute's title", h('input', { name: 'sub_title', value: sub.title || '', maxlength: 60 })),
    field('代会人手机', "Substitute's mobile", h('input', { name: 'sub_phone', value: sub.phone || '', maxlength: 20, inputmode: 'tel' })));
  const declineBox = h('div', { class: 'decline', 'data-for': 'decline' },
    field('不参加原因', 'Why not', h('input', { name: 'reason', value: a.reason || '', maxlength: 200 })));
  const needs = h('div', { class: 'needs', 'data-for': 'confirm substitute' },
    s.ask_travel ? tripFields('arr', '抵达', 'Arrival', base.arrival) : null,
    s.ask_travel ? tripFields('dep', '返程', 'Departure', base.departure) : null,
    s.ask_diet ? field('饮食要求', 'Diet', h('input', { name: 'diet', value: base.diet || '', maxlength: 100, placeholder: '如 清真、素食、过敏：花生' })) : null,
    s.ask_room ? field('住宿需求', 'Room', h('input', { name: 'room', value: base.room || '', maxlength: 100, placeholder: '如 单间、合住、无需住宿' })) : null);
  const err = h('p', { class: 'err', role: 'alert' });
  const form = h('form', { class: 'editor', 'data-person': p.id }, choice, subBox, declineBox, needs, err,
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'plain cancel' }, ...bi('收起', 'Close')),
      h('button', { type: 'submit', class: 'primary save' }, ...bi('保存', 'Save'))));
  const show = () => {
    const v = form.elements.namedItem('status').value;
    for (const box of form.querySelectorAll('[data-for]')) box.hidden = !box.dataset.for.split(' ').includes(v);
  };
  choice.addEventListener('change', show);
  show();
  form.querySelector('.cancel').addEventListener('click', () => { state.open = 0; render(); });
  form.addEventListener('submit', (ev) => { ev.preventDefault(); save(p, form, err); });
  return form;
}

function readTrip(form, prefix) {
  const v = (n) => form.elements.namedItem(`${prefix}_${n}`)?.value.trim() || '';
  if (!form.elements.namedItem(`${prefix}_date`)) return null;
  const t = { mode: v('mode'), number: v('number'), station: v('station'), date: v('date'), time: v('time'),
    companions: Number(v('companions')) || 0 };
  return t.mode || t.number || t.station || t.date || t.time || t.companions ? t : null;
}

async function save(p, form, err) {
  const v = (n) => form.elements.namedItem(n)?.value.trim() || '';
  const status = v('status');
  if (!status) {
    err.replaceChildren(...bi('请选择：参加、代会或不参加', 'Choose: comes, substitute or does not come'));
    return;
  }
  const body = { attendee_id: p.id, status };
  if (status === 'decline') body.reason = v('reason');
  else {
    if (status === 'substitute') body.substitute = { name: v('sub_name'), title: v('sub_title'), phone: v('sub_phone') };
    const arr = readTrip(form, 'arr');
    const dep = readTrip(form, 'dep');
    if (arr) body.arrival = arr;
    if (dep) body.departure = dep;
    if (v('diet')) body.diet = v('diet');
    if (v('room')) body.room = v('room');
  }
  state.saving = true;
  try {
    p.answer = await call('PUT', `/reply/${state.unit}/people/${p.id}`, body);
    p.sent = false;
    state.open = 0;
    toast(`已保存 ${p.name}`, `Saved ${p.name}`);
    render();
  } catch (e) {
    if (!refused(e)) err.replaceChildren(...bi(e.zh, e.en));
  } finally {
    state.saving = false;
  }
}

function render() {
  const v = state.view;
  const answered = v.people.filter((p) => p.answer).length;
  $('#count').replaceChildren(...bi(`已填写 ${answered} / ${v.people.length} 人`, `${answered} of ${v.people.length} answered`));
  $('#count').dataset.answered = answered;
  $('#confirm-rest').hidden = answered === v.people.length;
  $('#people').replaceChildren(...v.people.map((p) => {
    const li = h('li', { class: 'person', 'data-person': p.id, 'data-status': p.answer ? p.answer.status : 'none' },
      h('button', { type: 'button', class: 'head', 'aria-expanded': state.open === p.id ? 'true' : 'false' },
        h('span', { class: 'who' }, h('strong', {}, p.name), h('span', { class: 'title' }, p.title)),
        badge(p)),
      h('div', { class: 'sum' }, summary(p), p.answer && p.sent ? h('span', { class: 'sent' }, ' · 已提交 sent') : ''));
    li.querySelector('.head').addEventListener('click', () => { state.open = state.open === p.id ? 0 : p.id; render(); });
    if (state.open === p.id) li.append(editor(p));
    return li;
  }));
  const drafts = v.people.filter((p) => p.answer && !p.sent).length;
  $('#submit').disabled = answered < v.people.length || (drafts === 0 && !!v.replied_at);
}

async function load() {
  state.view = await call('GET', `/reply/${state.unit}`);
  const v = state.view;
  $('#event').textContent = v.event.name;
  $('#unit').replaceChildren(h('strong', {}, v.unit.name),
    v.unit.contact ? h('span', { class: 'contact' }, ` 联系人 ${v.unit.contact} ${v.unit.phone}`) : '');
  const until = new Date(v.expires_at).toLocaleDateString('zh-CN', { month: 'long', day: 'numeric' });
  const terms = [];
  if (v.settings.deadline) terms.push(...bi(`请于 ${dateWords(v.settings.deadline)} 前提交`, `Please reply by ${v.settings.deadline}`));
  terms.push(h('span', { class: 'until' }, `链接有效至 ${until} · link valid until ${until}`));
  $('#terms').replaceChildren(...terms);
  if (v.replied_at && !state.sent) {
    $('#done').replaceChildren(...bi(`本单位已于 ${new Date(v.replied_at).toLocaleString('zh-CN', { hour12: false })} 提交回执，可修改后再次提交`,
      'Your unit has replied; you may change answers and send again'));
    $('#done').hidden = false;
  }
  render();
}

async function start() {
  const token = decodeURIComponent(location.pathname.split('/')[2] || '');
  if (!token) {
    refused({ code: 'link_unknown', zh: '请从会务组发来的回执链接打开本页', en: 'Open this page from the reply link the secretariat sent' });
    return;
  }
  try {
    const open = await call('POST', '/reply/open', { token });
    state.unit = open.unit_id;
    await load();
  } catch (e) {
    if (!refused(e)) {
      closed('无法打开回执', 'Cannot open the reply', e.zh || '请稍后再试', e.en || 'Try again later');
    }
    return;
  }
  $('#loading').hidden = true;
  $('#main').hidden = false;
  document.body.dataset.state = 'ready';
}

$('#confirm-rest').addEventListener('click', async () => {
  try {
    const r = await call('POST', `/reply/${state.unit}/confirm-rest`, {});
    toast(`已将其余 ${r.confirmed} 人标为参加`, `${r.confirmed} more marked as coming`);
    await load();
  } catch (e) {
    if (!refused(e)) fail(e);
  }
});

$('#submit').addEventListener('click', async () => {
  $('#send-err').textContent = '';
  try {
    const r = await call('POST', `/reply/${state.unit}/submit`, {});
    state.sent = r;
    $('#done').replaceChildren(...bi(`回执已提交：${r.answers} 人，其中 ${r.changes} 项变动待会务组确认。谢谢！`,
      `Reply sent: ${r.answers} people, ${r.changes} changes for the secretariat to confirm. Thank you!`));
    $('#done').hidden = false;
    document.body.dataset.state = 'sent';
    await load();
    window.scrollTo(0, 0);
  } catch (e) {
    if (!refused(e)) $('#send-err').replaceChildren(...bi(e.zh, e.en));
  }
});

window.reply = { state: () => document.body.dataset.state, unit: () => state.unit, view: () => state.view, saving: () => state.saving };
start();

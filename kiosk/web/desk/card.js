// The attendee card: everything the desk may see about one person (the ID
// number comes masked from the server) and what the desk does for them.
import { API, call, h, bi, toast, fail, time, download } from './api.js';
import { ask } from './ask.js';
import { openEdit } from './forms.js';

const card = () => document.getElementById('card');
let current = null; // { id, state }

/** openCard shows attendee id's card. */
export async function openCard(state, id) {
  current = { id, state };
  await reloadCard();
}

/** reloadCard redraws the open card from the server. */
export async function reloadCard(note) {
  if (!current) return;
  const { id, state } = current;
  let data;
  try {
    data = await call('GET', `/attendees/${id}/card`);
  } catch (err) {
    fail(err);
    return;
  }
  const counts = {};
  await Promise.all(data.card.sessions.filter((s) => s.expected).map(async (s) => {
    try { counts[s.id] = await call('GET', `/sessions/${s.id}/attendance`); } catch { /* counts are a help, not a must */ }
  }));
  if (current?.id !== id) return; // another card was opened meanwhile
  card().replaceChildren(...render(state, data.attendee, data.card, counts, note).filter(Boolean));
}

function fact(zh, en, value) {
  return h('div', {}, h('b', {}, `${zh} ${en}`), value || '—');
}

function render(state, a, c, counts, note) {
  const k = state.categories[a.category];
  const out = [
    h('div', { class: 'who' },
      h('span', { class: 'name', id: 'card-name' }, a.name),
      k ? h('span', { class: 'chip', style: `background:${k.Color}` }, `${k.Name} ${k.NameEn}`) : null,
      a.status === 'cancelled' ? h('span', { class: 'chip cancelled' }, '已取消 cancelled') : null),
    h('div', { class: 'line' }, [a.organization, a.title].filter(Boolean).join('　')),
    h('div', { class: 'facts' },
      fact('代表团', 'Delegation', a.delegation), fact('分组', 'Group', a.group), fact('排序', 'Rank', a.rank),
      fact('手机', 'Phone', a.phone), fact('身份证号', 'ID number', a.id_number), fact('性别/民族', 'Gender', [a.gender, a.ethnicity].filter(Boolean).join(' ')),
      fact('饮食', 'Diet', a.diet), fact('无障碍', 'Access', a.access), fact('备注', 'Notes', a.notes),
      fact('抵达', 'Arrival', a.arrival), fact('返程', 'Departure', a.departure),
      fact('证件编号', 'Badge serial', c.serial ? `No. ${c.serial}` + (c.revoked ? `（已补办 ${c.revoked} 次）` : '') : '尚未制发 none yet'),
      c.lodging ? fact('住宿', 'Room', `${c.lodging.hotel} ${c.lodging.room}（${c.lodging.check_in}–${c.lodging.check_out}）${c.lodging.arrived_at ? ' 已入住' : ''}`) : fact('住宿', 'Room', '')),
    note ? h('p', { class: 'banner bad', id: 'card-note' }, note) : null,
    h('div', { class: 'actions' },
      h('button', { class: 'primary', id: 'btn-print', onclick: () => printPDF(`/attendees/${a.id}/badge.pdf`, '证件', 'badge') }, bi('打印证件', 'Print badge')),
      h('button', { id: 'btn-reprint', class: 'danger', onclick: () => reprint(a) }, bi('补办证件（挂失）', 'Reprint lost badge')),
      h('button', { id: 'btn-slips', onclick: () => printPDF(`/attendees/${a.id}/slips.pdf`, '餐券房卡', 'slips') }, bi('打印餐券/房卡', 'Meal & room slips')),
      h('button', { id: 'btn-edit', onclick: () => openEdit(state, a.id, () => reloadCard()) }, bi('修改信息', 'Edit'))),
    sessionsTable(state, a, c, counts),
    mealsList(c),
    historyList(c),
  ];
  return out;
}

function sessionsTable(state, a, c, counts) {
  const rows = c.sessions.map((s) => {
    let status;
    if (s.checked_in_at) status = h('span', { class: 'state ok' }, `已签到 ${time(s.checked_in_at)}${s.manual ? '（补签）' : ''}`);
    else if (s.on_leave) status = h('span', { class: 'state leave' }, `请假${s.leave_reason ? '：' + s.leave_reason : ''}`);
    else status = h('span', { class: 'state away' }, '未签到 not in');
    const n = counts[s.id]?.all;
    return h('tr', { dataset: { session: s.id } },
      h('td', {}, h('b', {}, s.name), h('div', { class: 'en' }, time(s.starts_at))),
      h('td', {}, s.seat || '—'),
      h('td', {}, status),
      h('td', { class: 'counts' }, n ? [
        h('span', {}, '应到 ', h('b', { class: 'n expected' }, n.expected)),
        h('span', {}, '实到 ', h('b', { class: 'n present' }, n.present)),
        h('span', {}, '请假 ', h('b', { class: 'n on_leave' }, n.on_leave)),
        h('span', {}, '缺席 ', h('b', { class: 'n absent' }, n.absent)),
      ] : ''),
      h('td', {}, s.expected ? [
        s.on_leave
          ? h('button', { class: 'leave-clear', onclick: () => clearLeave(s, a) }, '取消请假')
          : h('button', { class: 'leave', disabled: !!s.checked_in_at, onclick: () => markLeave(s, a) }, '请假'),
        ' ',
        h('button', { class: 'manual', disabled: !!s.checked_in_at, onclick: () => manual(state, s, a) }, '补签'),
      ] : ''));
  });
  return h('table', { class: 'sessions' },
    h('thead', {}, h('tr', {}, h('th', {}, '场次 Session'), h('th', {}, '座位 Seat'), h('th', {}, '状态 Status'),
      h('th', {}, '本场人数 Counts'), h('th', {}, '操作 Actions'))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 5 }, '不在任何场次的应到名单中 Not expected at any session'))));
}

function mealsList(c) {
  if (!c.meals.length) return h('p', {}, bi('没有用餐安排', 'No meals'));
  return h('details', {}, h('summary', {}, `用餐 Meals（${c.meals.length}）`),
    h('table', {}, h('tbody', {}, c.meals.map((m) => h('tr', {},
      h('td', {}, m.name), h('td', {}, m.venue), h('td', {}, `${m.table} 号桌`),
      h('td', {}, m.redeemed_at ? `已用餐 ${time(m.redeemed_at)}` : ''))))));
}

function historyList(c) {
  if (!c.history.length) return null;
  return h('details', {}, h('summary', {}, `记录 History（${c.history.length}）`),
    h('table', {}, h('tbody', {}, c.history.map((e) => h('tr', {},
      h('td', {}, time(e.at)), h('td', {}, e.actor), h('td', {}, e.action), h('td', {}, e.detail))))));
}

/** printPDF fetches a PDF made by the badge service and opens it to print. */
export async function printPDF(path, zh, en) {
  try {
    toast(`正在生成${zh}…`, `Making the ${en} PDF…`);
    const blob = await download(API + path);
    window.open(URL.createObjectURL(blob), '_blank');
  } catch (err) {
    if (err.status === 404 && !err.body) {
      toast(`${zh}打印服务暂不可用（HTTP 404）`, `${en} printing is not available yet (HTTP 404)`, true);
    } else fail(err);
  }
}

async function reprint(a) {
  const reason = await ask({
    title: `补办证件：${a.name}`, text: '旧证件将立即作废，凭旧证件扫码会被拒绝。The old badge stops working at once.',
    placeholder: '例如：证件遗失',
  });
  if (reason === null) return;
  try {
    const cred = await call('POST', `/attendees/${a.id}/credential`, { reason });
    toast(`已补办，新证件编号 ${cred.serial}，旧证件已作废`, `Reissued: new serial ${cred.serial}; the old badge is revoked`);
    await reloadCard(`新证件编号 No. ${cred.serial}，请打印新证件。旧证件已作废。 New badge No. ${cred.serial} — print it; the old one is revoked.`);
  } catch (err) { fail(err); }
}

async function markLeave(s, a) {
  const reason = await ask({ title: `请假：${a.name} · ${s.name}`, text: '登记后计入请假，不计缺席。Counts as on leave, not absent.', placeholder: '例如：因公出差' });
  if (reason === null) return;
  try {
    await call('POST', `/sessions/${s.id}/leaves`, { attendee_id: a.id, reason });
    toast('已登记请假', 'Leave recorded');
    await reloadCard();
  } catch (err) { fail(err); }
}

async function clearLeave(s, a) {
  try {
    await call('DELETE', `/sessions/${s.id}/leaves/${a.id}`);
    toast('已取消请假', 'Leave withdrawn');
    await reloadCard();
  } catch (err) { fail(err); }
}

// entrances are the checkpoints where a 补签 for session s is recorded.
function entrances(state, s) {
  const venue = state.sessions.find((x) => x.id === s.id)?.venue_id;
  return state.checkpoints.filter((p) => p.kind === 'entrance' && (p.session_id === s.id || (!p.session_id && p.venue_id === venue)));
}

async function manual(state, s, a) {
  const points = entrances(state, s);
  if (!points.length) {
    toast('该场次没有入口签到点', 'This session has no entrance checkpoint', true);
    return;
  }
  const answer = await ask({
    title: `补签：${a.name} · ${s.name}`, text: '人工补签会记录操作人和原因。A manual check-in is logged with who and why.',
    placeholder: '例如：忘带证件', choices: points.map((p) => ({ value: p.id, label: `${p.name} ${p.door || ''}` })),
  });
  if (answer === null) return;
  try {
    const res = await call('POST', '/checkins', {
      attendee_id: a.id, checkpoint: answer.choice, reason: answer.reason,
      scan_id: scanId(),
    });
    toast(res.message?.zh || res.status, res.message?.en || res.status, res.status !== 'ok');
    await reloadCard();
  } catch (err) { fail(err); }
}

// scanId is unique per 补签. crypto.randomUUID exists only in secure
// contexts, and a desk laptop may reach the server over plain http on the LAN.
function scanId() {
  const rnd = crypto.getRandomValues(new Uint32Array(2));
  return `desk-${Date.now().toString(36)}-${rnd[0].toString(36)}${rnd[1].toString(36)}`;
}

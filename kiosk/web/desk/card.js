// The attendee card: everything the desk may see about one person (the ID
// number comes masked from the server) and what the desk does for them.
import { call, download } from '/static/common/api.js';
import { h, bi, toast, fail, time } from '/static/common/dom.js';
import { ask } from './ask.js';
import { openEdit } from './forms.js';
import { travelSection } from './travel.js';
import { definition, diningHalls, shortTime } from './setup-model.js';
import { chosenLayout, layoutPicker } from './layouts.js';
import { faceTools, photoSrc } from './faces.js';

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
  let exceptions = [];
  let def = null;
  try {
    [data, exceptions, def] = await Promise.all([
      call('GET', `/attendees/${id}/card`),
      // Exceptions and the meal list are a help for the desk's changes; a
      // card without them still shows the person.
      call('GET', `/attendees/${id}/exceptions`).catch(() => []),
      definition(state).catch(() => null),
    ]);
  } catch (err) {
    fail(err);
    return;
  }
  const counts = {};
  await Promise.all(data.card.sessions.filter((s) => s.expected).map(async (s) => {
    try { counts[s.id] = await call('GET', `/sessions/${s.id}/attendance`); } catch { /* counts are a help, not a must */ }
  }));
  if (current?.id !== id) return; // another card was opened meanwhile
  const extra = { exceptions, def, tz: state.event?.timezone || 'Asia/Shanghai', prints: data.prints || [],
    faces: { photo: data.photo, face: data.face }, // faces.js: 拍照, consent
    skew: data.now ? Date.parse(data.now) - Date.now() : 0 };
  card().replaceChildren(...render(state, data.attendee, data.card, counts, note, extra).filter(Boolean));
}

function fact(zh, en, value) {
  return h('div', {}, h('b', {}, `${zh} ${en}`), value || '—');
}

// phoneFact shows the masked phone with 显示: the full number comes from
// the server on request, and the server logs who asked.
function phoneFact(a) {
  if (!a.phone) return fact('手机', 'Phone', '');
  const value = h('span', { id: 'card-phone' }, a.phone);
  const show = h('button', { class: 'plain small', id: 'btn-phone', title: '显示完整号码（将记录在审计日志中）Show the full number (logged)',
    onclick: async () => {
      try {
        const r = await call('GET', `/attendees/${a.id}/phone`);
        value.textContent = r.phone;
        show.remove();
      } catch (e) { fail(e); }
    } }, '显示 Show');
  return h('div', {}, h('b', {}, '手机 Phone'), value, ' ', show);
}

function render(state, a, c, counts, note, extra) {
  const k = state.categories[a.category];
  const out = [
    photoFigure(a, 'card-photo', extra.faces?.photo),
    h('div', { class: 'who' },
      h('span', { class: 'name', id: 'card-name' }, a.name),
      k ? h('span', { class: 'chip', style: `background:${k.Color}` }, `${k.Name} ${k.NameEn}`) : null,
      a.status === 'cancelled' ? h('span', { class: 'chip cancelled' }, '已取消 cancelled') : null),
    h('div', { class: 'line' }, [a.organization, a.title].filter(Boolean).join('　')),
    h('div', { class: 'facts' },
      fact('代表团', 'Delegation', a.delegation), fact('分组', 'Group', a.group), fact('排序', 'Rank', a.rank),
      phoneFact(a), fact('身份证号', 'ID number', a.id_number), fact('性别/民族', 'Gender', [a.gender, a.ethnicity].filter(Boolean).join(' ')),
      fact('饮食', 'Diet', a.diet), fact('无障碍', 'Access', a.access), fact('备注', 'Notes', a.notes),
      fact('抵达', 'Arrival', a.arrival), fact('返程', 'Departure', a.departure),
      badgeFact(c, extra.prints),
      c.lodging ? fact('住宿', 'Room', `${c.lodging.hotel} ${c.lodging.room}（${c.lodging.check_in}–${c.lodging.check_out}）${c.lodging.arrived_at ? ' 已入住' : ''}`) : fact('住宿', 'Room', '')),
    faceTools(a, extra.faces, () => reloadCard()),
    travelSection(a, () => reloadCard()),
    note ? h('p', { class: 'banner bad', id: 'card-note' }, note) : null,
    h('div', { class: 'actions' },
      h('button', { class: 'primary', id: 'btn-print', onclick: () => printPDF(`/attendees/${a.id}/badge.pdf?size=${encodeURIComponent(chosenLayout(state, 'card-layout'))}`, '证件', 'badge', () => reloadCard()) }, bi('打印证件', 'Print badge')),
      layoutPicker(state, 'card-layout'), // layouts.js: the meeting's, or another for this print
      h('button', { id: 'btn-reprint', class: 'danger', onclick: () => reprint(a) }, bi('补办证件（挂失）', 'Reprint lost badge')),
      h('button', { id: 'btn-slips', onclick: () => printPDF(`/attendees/${a.id}/slips.pdf`, '餐券房卡', 'slips') }, bi('打印餐券/房卡', 'Meal & room slips')),
      h('button', { id: 'btn-edit', onclick: () => openEdit(state, a.id, () => reloadCard()) }, bi('修改信息', 'Edit'))),
    sessionsTable(state, a, c, counts, extra),
    mealsTable(a, c, extra),
    printsList(extra.prints),
    historyList(c),
  ];
  return out;
}

// exceptionNote marks a per-person exception: 例外, what, why, who, when,
// and the button that clears it (the rules apply again).
function exceptionNote(x, what, tz, a, halls = []) {
  return h('div', { class: 'exc', dataset: { kind: x.kind, ref: x.ref } },
    h('span', { class: 'exc-tag' }, '例外'),
    h('b', { class: 'exc-what' }, what + (x.reason ? `：${x.reason}` : '')),
    h('span', { class: 'exc-who' }, `${x.by || ''} ${x.at ? shortTime(x.at, tz) : ''}`),
    h('button', { class: 'exc-clear', type: 'button', title: '清除后按规则重新计算 the rules apply again', onclick: () => clearException(a, x) },
      '清除例外', h('span', { class: 'en' }, 'Clear')),
    h('span', { class: 'en' }, `Exception: ${exceptionWords(x, halls).en}${x.reason ? ' — ' + x.reason : ''}`));
}

function exceptionWords(x, halls = []) {
  const hall = halls.find((v) => v.code === x.venue);
  if (x.kind === 'session') return x.mode === 'include' ? { zh: '加入应到', en: 'added to the expected list' } : { zh: '移出应到', en: 'removed from the expected list' };
  if (x.mode === 'hall') return { zh: `改到${hall?.name || x.venue}`, en: `served in ${hall?.name_en || hall?.name || x.venue}` };
  return { zh: '不用餐', en: 'no meal' };
}

function sessionsTable(state, a, c, counts, extra) {
  // Every session of the meeting: those the person is expected at (or
  // came to) as the card says, the others so the desk can add them.
  const byId = new Map(c.sessions.map((s) => [s.id, s]));
  const lines = [...c.sessions];
  for (const s of state.sessions) if (!byId.has(s.id)) lines.push({ id: s.id, name: s.name, starts_at: s.starts_at, expected: false, other: true });
  lines.sort((x, y) => String(x.starts_at).localeCompare(String(y.starts_at)));
  const rows = lines.map((s) => {
    const x = extra.exceptions.find((e) => e.kind === 'session' && e.ref === s.id);
    const win = checkinWindow(state, s, extra.skew);
    let status;
    if (s.checked_in_at) status = h('span', { class: 'state ok' }, `已签到 ${time(s.checked_in_at)}${s.manual ? '（补签）' : ''}`);
    else if (s.on_leave) status = h('span', { class: 'state leave' }, `请假${s.leave_reason ? '：' + s.leave_reason : ''}`);
    else if (!s.expected) status = h('span', { class: 'state none' }, '不在应到名单', h('span', { class: 'en' }, 'not expected'));
    else if (win.when === 'before') status = h('span', { class: 'state none future' }, '未开始', h('span', { class: 'en' }, 'not started'));
    // Doors open, meeting not begun (or not closed, by the session's rule):
    // not in yet is no absence (docs/counts.md).
    else if (!(counts[s.id] ? counts[s.id].absent_counted : win.started)) status = h('span', { class: 'state none' }, '未到', h('span', { class: 'en' }, 'not in yet'));
    else status = h('span', { class: 'state away' }, '未签到 not in');
    // The session's figures as every page counts them (docs/counts.md), with whom they count.
    const n = counts[s.id];
    const change = x ? null : s.expected
      ? h('button', { class: 'exc-exclude', type: 'button', disabled: !!s.checked_in_at, onclick: () => sessionException(a, s, 'exclude') }, '移出应到')
      : h('button', { class: 'exc-include', type: 'button', onclick: () => sessionException(a, s, 'include') }, '加入应到');
    const tr = h('tr', { dataset: { session: s.id }, class: s.expected ? '' : 'not-expected' },
      h('td', {}, h('b', {}, s.name), h('div', { class: 'en' }, time(s.starts_at))),
      h('td', {}, s.seat || '—'),
      h('td', {}, status),
      h('td', { class: 'counts', title: n ? `${n.basis.zh} · ${n.basis.en}` : '' }, n ? [
        h('span', {}, '应到 ', h('b', { class: 'n expected' }, n.expected)),
        h('span', {}, '实到 ', h('b', { class: 'n present' }, n.present)),
        h('span', {}, '请假 ', h('b', { class: 'n on_leave' }, n.on_leave)),
        n.absent_counted ? h('span', {}, '缺席 ', h('b', { class: 'n absent' }, n.absent))
          : h('span', {}, '未到 ', h('b', { class: 'n not_yet' }, n.not_yet)),
        h('span', {}, '离场 ', h('b', { class: 'n left' }, n.left)),
        h('span', { class: 'basis' }, n.basis.short),
      ] : ''),
      h('td', {}, s.expected ? [
        s.on_leave
          ? h('button', { class: 'leave-clear', onclick: () => clearLeave(s, a) }, '取消请假')
          : h('button', { class: 'leave', disabled: !!s.checked_in_at, onclick: () => markLeave(s, a) }, '请假'),
        ' ',
        h('button', { class: 'manual', disabled: !!s.checked_in_at || win.when !== 'open', title: win.why?.join(' '),
          onclick: () => manual(state, s, a) }, '补签'),
        ' ',
      ] : '', change,
      s.expected && !s.checked_in_at && win.why ? h('div', { class: 'manual-why' }, win.why[0], h('span', { class: 'en' }, win.why[1])) : null));
    return x ? [tr, excRow({ session: s.id }, exceptionNote(x, exceptionWords(x).zh, extra.tz, a))] : [tr];
  });
  return h('table', { class: 'sessions' },
    h('thead', {}, h('tr', {}, h('th', {}, '场次 Session'), h('th', {}, '座位 Seat'), h('th', {}, '状态 Status'),
      h('th', {}, '本场人数 Counts'), h('th', {}, '操作 Actions'))),
    h('tbody', {}, rows.length ? rows.flat() : h('tr', {}, h('td', { colspan: 5 }, '本次会议还没有场次 No sessions yet'))));
}

// checkinWindow says where session s stands against its check-in window
// on the server's clock (skew is the server's clock minus this computer's):
// a 补签 is taken only while the window is open, so before and after it
// the button is off and why is shown beside it.
function checkinWindow(state, s, skew = 0) {
  const ses = state.sessions.find((x) => x.id === s.id);
  const opens = Date.parse(ses?.opens_at);
  const closes = Date.parse(ses?.closes_at);
  const now = Date.now() + skew;
  if (now < opens) return { when: 'before', why: [`${time(ses.opens_at)} 起可补签`, `from ${time(ses.opens_at)}`] };
  if (now > closes) return { when: 'after', started: true, why: [`签到已于 ${time(ses.closes_at)} 截止`, `closed ${time(ses.closes_at)}`] };
  return { when: 'open', started: now >= Date.parse(ses?.starts_at) };
}

// excRow is the line under a session or meal that shows its exception.
function excRow(dataset, note) {
  return h('tr', { class: 'exc-row', dataset }, h('td', { colspan: 5 }, note));
}

const SLOT_ZH = { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' };

function mealsTable(a, c, extra) {
  const halls = diningHalls(extra.def);
  const meals = extra.def?.meals || c.meals.map((m) => ({ id: m.id, name: m.name }));
  if (!meals.length) return h('p', {}, bi('本次会议没有用餐安排', 'No meals at this meeting'));
  const tickets = new Map(c.meals.map((m) => [m.id, m]));
  const mealX = (ref) => extra.exceptions.find((e) => e.kind === 'meal' && e.ref === ref);
  const actions = (ref, label, x) => x ? null : [
    halls.length > 1 ? h('button', { class: 'meal-move', type: 'button', onclick: () => mealException(a, ref, label, 'hall', halls) }, '改到其他餐厅') : null, ' ',
    h('button', { class: 'meal-none', type: 'button', onclick: () => mealException(a, ref, label, 'exclude', halls) }, '不用餐')];
  const all = mealX('*');
  const rows = meals.map((m) => {
    const t = tickets.get(m.id);
    const x = mealX(m.id);
    const tr = h('tr', { dataset: { meal: m.id } },
      h('td', {}, h('b', {}, m.name), m.date ? h('span', { class: 'en inline' }, `${m.date.slice(5)} ${SLOT_ZH[m.slot] || ''}`) : null),
      h('td', { class: 'meal-venue' }, t ? t.venue : h('span', { class: 'state none' }, '不用餐', h('span', { class: 'en' }, 'no meal'))),
      h('td', {}, t?.table ? `${t.table} 号桌` : ''),
      h('td', {}, t?.redeemed_at ? `已用餐 ${time(t.redeemed_at)}` : ''),
      h('td', { class: 'meal-actions' }, actions(m.id, m.name, x)));
    return x ? [tr, excRow({ meal: m.id }, exceptionNote(x, exceptionWords(x, halls).zh, extra.tz, a, halls))] : [tr];
  });
  return h('section', { class: 'meals' },
    h('h3', {}, `用餐 Meals（${c.meals.length}/${meals.length}）`),
    h('table', { class: 'meals' }, h('tbody', {},
      h('tr', { dataset: { meal: '*' }, class: 'all-meals' },
        h('td', { colspan: 4 }, h('b', {}, '全部餐次'), h('span', { class: 'en inline' }, 'All meals — one change for every meal')),
        h('td', { class: 'meal-actions' }, actions('*', '全部餐次', all))),
      all ? excRow({ meal: '*' }, exceptionNote(all, exceptionWords(all, halls).zh, extra.tz, a, halls)) : null,
      rows.flat())));
}

async function sessionException(a, s, mode) {
  const add = mode === 'include';
  const reason = await ask({
    title: `${add ? '加入应到' : '移出应到'}：${a.name} · ${s.name}`,
    text: add ? '作为例外加入本场次应到名单，规则重新计算时保留。Added to this session\'s expected list as an exception, kept when the rules are applied again.'
      : '作为例外移出本场次应到名单，不计应到。Removed from this session\'s expected list as an exception.',
    placeholder: add ? '例如：特邀列席' : '例如：另有公务安排',
  });
  if (reason === null) return;
  try {
    await call('PUT', `/attendees/${a.id}/exceptions`, { kind: 'session', ref: s.id, mode, reason });
    toast(add ? '已加入应到（例外）' : '已移出应到（例外）', add ? 'Added to the expected list (exception)' : 'Removed from the expected list (exception)');
    await reloadCard();
  } catch (err) { fail(err); }
}

async function mealException(a, ref, label, mode, halls) {
  const hall = mode === 'hall';
  const answer = await ask({
    title: `${hall ? '改到其他餐厅' : '不用餐'}：${a.name} · ${label}`,
    text: hall ? '此人在所选餐厅用餐，作为例外保留。Served in the hall chosen, kept as an exception.'
      : '此人不用该餐，餐券作废。No meal for this person: the ticket is withdrawn.',
    placeholder: hall ? '例如：清真餐在二号餐厅' : '例如：本地人员不用晚餐',
    choices: hall ? halls.map((v) => ({ value: v.code, label: `${v.name} ${v.name_en || ''}` })) : undefined,
    choiceLabel: ['餐厅', 'Dining hall'],
  });
  if (answer === null) return;
  const body = hall ? { kind: 'meal', ref, mode, venue: answer.choice, reason: answer.reason } : { kind: 'meal', ref, mode, reason: answer };
  try {
    await call('PUT', `/attendees/${a.id}/exceptions`, body);
    toast('已设置例外', 'Exception set');
    await reloadCard();
  } catch (err) { fail(err); }
}

async function clearException(a, x) {
  try {
    await call('DELETE', `/attendees/${a.id}/exceptions/${encodeURIComponent(x.kind)}/${encodeURIComponent(x.ref)}`);
    toast('已清除例外，按规则重新计算', 'Exception cleared: the rules apply again');
    await reloadCard();
  } catch (err) { fail(err); }
}

// photoFigure is the person's photo, 3:4 as stored (desk only: GET
// …/photo.jpg, never cached), or an empty box saying there is none. has
// is the card answer's photo flag: false spares the request (a 404).
function photoFigure(a, id = 'card-photo', has = undefined) {
  const box = h('figure', { class: 'photo', id });
  const none = () => box.replaceChildren(h('span', { class: 'none' }, '无照片', h('span', { class: 'en' }, 'No photo')));
  if (has === false) none();
  else box.append(h('img', { src: photoSrc(a.id), alt: `${a.name} 照片`, onerror: none })); // faces.js: new after a retake
  return box;
}

// badgeFact is the badge's serial with when and by whom it was last
// printed, or that none has been issued yet.
function badgeFact(c, prints) {
  if (!c.serial) return fact('证件编号', 'Badge serial', '尚未制发 none yet');
  const last = prints.find((p) => p.kind === 'badge' && p.serial === c.serial);
  return h('div', { id: 'card-serial' }, h('b', {}, '证件编号 Badge serial'), `No. ${c.serial}`,
    c.revoked ? `（已补办 ${c.revoked} 次）` : '',
    h('span', { class: 'en' }, last ? `已打印 ${time(last.printed_at)} ${last.actor} · printed` : '本证尚未打印 not printed yet'));
}

const PRINT_KIND = { badge: '证件', slips: '餐券/房卡' };

// printsList is the print log: what was printed, which serial, when, by whom.
function printsList(prints) {
  if (!prints.length) return null;
  return h('details', { id: 'card-prints', open: true }, h('summary', {}, `打印记录 Prints（${prints.length}）`),
    h('table', {}, h('tbody', {}, prints.map((p) => h('tr', {},
      h('td', {}, time(p.printed_at)), h('td', {}, p.actor),
      h('td', {}, `${PRINT_KIND[p.kind] || p.kind} No. ${p.serial}`),
      h('td', {}, [p.batch ? '批量打印 batch' : '', p.reason].filter(Boolean).join(' · ')))))));
}

function historyList(c) {
  if (!c.history.length) return null;
  return h('details', {}, h('summary', {}, `记录 History（${c.history.length}）`),
    h('table', {}, h('tbody', {}, c.history.map((e) => h('tr', {},
      h('td', {}, time(e.at)), h('td', {}, e.actor), h('td', {}, e.action), h('td', {}, e.detail))))));
}

/** printPDF fetches a PDF made by the badge service and opens it to print;
 *  after runs once it is made (the card then shows the serial and the print). */
export async function printPDF(path, zh, en, after) {
  try {
    toast(`正在生成${zh}…`, `Making the ${en} PDF…`);
    const blob = await download(path);
    window.open(URL.createObjectURL(blob), '_blank');
    await after?.();
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
    figure: photoFigure(a, 'ask-photo'), // the person before the desk is the one on file
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

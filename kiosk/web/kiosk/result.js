// The result screen: full-screen colour, an icon and words for each status,
// Chinese first and English beneath, the person, and the guidance the
// checkpoint calls for; a sound per outcome. Every screen that turns a
// person away says what to do.

import { h } from '/static/common/dom.js';
import { handoutCards } from '/static/materials/handout.js';

// Each status: headline words, tone (ok green, warn amber, bad red), icon.
const STATUS = {
  ok: ['签到成功', 'Checked in', 'ok', '✓'],
  late: ['签到成功（迟到）', 'Checked in — late', 'warn', '!'],
  already: ['已签到', 'Already checked in', 'warn', '!'],
  reentry: ['再次入场', 'Re-entry', 'warn', '!'],
  exit: ['离场已记录', 'Exit recorded', 'ok', '✓'],
  meal_used: ['本餐已使用', 'Meal already used', 'bad', '✕'],
  not_entitled: ['不在名单中', 'Not on the list', 'bad', '✕'],
  outside_window: ['不在签到时间', 'Outside check-in time', 'bad', '✕'],
  revoked: ['证件已作废', 'Badge revoked', 'bad', '✕'],
  invalid: ['无效证件', 'Invalid badge', 'bad', '✕'],
  cancelled: ['资格已取消', 'Registration cancelled', 'bad', '✕'],
  // Not a decided scan: the server refused it (refusal below).
  refused: ['未能签到', 'Not checked in', 'bad', '✕'],
};

// Codes of not_entitled that send an entitled person elsewhere: amber, an
// arrow, and where to go as the headline (the rules' sentence).
const ELSEWHERE = new Set(['wrong_hall', 'wrong_hotel', 'wrong_venue', 'wrong_door']);

/** misdirected: entitled, only at the wrong place. */
const misdirected = (res) => res.status === 'not_entitled' && ELSEWHERE.has(res.code);

// Headlines that depend on the checkpoint's kind.
const KIND_OK = { meal: ['核销成功', 'Meal accepted'], lodging: ['入住登记成功', 'Hotel check-in done'] };

// Refusals of the face check (a checkpoint that enforces it): the headline.
const FACE_REFUSED = {
  face_mismatch: ['人脸核验未通过', 'Face does not match the badge'],
  face_not_seen: ['未检测到人脸', 'No face seen'],
};

/** tone is ok, warn or bad for a result. */
export function tone(res) {
  if (FACE_REFUSED[res.code]) return 'bad';
  const base = (res.status === 'ok' && res.late) || misdirected(res) ? 'warn' : (STATUS[res.status] || STATUS.invalid)[2];
  // Let in by a checkpoint that only advises, a face that did not match
  // (or was not seen) still needs a person's look.
  if (base === 'ok' && res.face_check && res.face_check.result !== 'pass') return 'warn';
  return base;
}

/** line is an element of class cls with Chinese text and, when there is one, its English line. */
function line(tag, cls, zh, en) {
  return h(tag, { class: cls || null }, zh, en ? h('span', { class: 'en' }, en) : null);
}

/** seatWords spells a seat for people: 主席台 / A区, 排, 号. */
function seatWords(g) {
  if (!g.row || !g.number) return [g.seat, ''];
  const presidium = g.section === 'presidium';
  const zh = `${presidium ? '主席台' : g.section + '区'} ${g.row}排 ${g.number}号`;
  const en = `${presidium ? 'Presidium' : 'Section ' + g.section} · Row ${g.row} · Seat ${g.number}`;
  return [zh, en];
}

/**
 * refusal is the screen for a scan the server refused (an HTTP error that
 * is no verdict on the badge, e.g. its disk is full): the person is sent
 * to the desk, and the server's words and code are there for the staff.
 */
export function refusal(err) {
  return {
    status: 'refused', code: err.code || 'http_' + err.status, late: false,
    message: { zh: '本次扫码未能办理，请到报到处', en: 'This scan could not be taken: please see the registration desk' },
    detail: { zh: err.zh || '', en: err.en || '' },
  };
}

/**
 * faceUnavailable is the answer of a door that enforces the face check when
 * this kiosk cannot make it (its engine failed, no camera): nothing is
 * sent, and the person goes to the staff, who check by hand.
 */
export function faceUnavailable() {
  return {
    status: 'refused', code: 'face_unavailable', late: false,
    message: { zh: '本机暂不能刷脸核验，请找工作人员', en: 'This kiosk cannot check faces now: please see the staff' },
  };
}

/** guidanceItems picks what this checkpoint's kind calls for: [zh, en, value, value in English, class]. */
export function guidanceItems(kind, g) {
  if (!g) return [];
  const items = [];
  const add = (zh, en, v, ven, cls) => { if (v) items.push([zh, en, String(v), ven || '', cls || '']); };
  if (kind === 'meal') {
    add('餐厅', 'Dining hall', g.venue, g.venue_en);
    add('桌号', 'Table', g.meal_table, g.meal_table ? 'Table ' + g.meal_table : '');
    add('饮食', 'Diet', g.diet);
  } else if (kind === 'lodging') {
    add('酒店', 'Hotel', g.hotel);
    add('房间', 'Room', g.room); // the room only ever shows at the hotel desk
  } else if (kind === 'entrance') {
    // The seat first, then how to reach it from this door (the door itself
    // is where the person stands: naming it only confused them).
    if (g.seat) { const [zh, en] = seatWords(g); add('座位', 'Seat', zh, en, 'wide'); }
    if (g.route) add('路线', 'Way to your seat', g.route.zh, g.route.en, 'wide sentence');
    add('会场', 'Venue', g.venue, g.venue_en);
    if (g.group_room && g.group_room !== g.venue) add('分组会场', 'Group room', g.group_room);
  }
  return items;
}

/** render fills the result screen for res at a checkpoint of kind. */
export function render(root, res, kind) {
  let [zh, en, , icon] = STATUS[res.status] || STATUS.invalid;
  const msg = res.message || {};
  if (FACE_REFUSED[res.code]) [zh, en, icon] = [...FACE_REFUSED[res.code], '✕'];
  else if (res.status === 'ok' && res.late) [zh, en, , icon] = STATUS.late;
  else if (res.status === 'ok' && KIND_OK[kind]) [zh, en] = KIND_OK[kind];
  else if (misdirected(res) && msg.zh) [zh, en, icon] = [msg.zh, msg.en, '→'];
  root.className = 'screen result ' + tone(res);
  root.dataset.status = res.status;
  root.dataset.code = res.code || '';
  root.dataset.offline = res.offline ? '1' : '';
  root.querySelector('#r-icon').textContent = icon;
  const word = root.querySelector('#r-word');
  word.replaceChildren(line('span', '', zh, en));
  word.classList.toggle('long', zh.length > 5);
  const msgBox = root.querySelector('#r-msg');
  msgBox.replaceChildren();
  if (msg.zh && msg.zh !== zh) msgBox.append(line('div', (res.flags || []).includes('leave_withdrawn') ? 'note' : '', msg.zh, msg.en));
  if (res.detail) msgBox.append(line('div', 'detail', `${res.detail.zh}（${res.code}）`, res.detail.en));
  if (res.offline) msgBox.append(line('div', '', '离线判定，恢复联网后上传', 'Decided offline; uploads when the server is back'));
  const person = root.querySelector('#r-person');
  person.replaceChildren();
  const a = res.attendee;
  if (a) {
    person.append(line('span', 'r-name', a.display_name));
    if (a.category_name) {
      const c = line('span', 'r-cat', a.category_name);
      c.style.setProperty('--cat', a.category_color || '#888');
      person.append(c);
    }
    if (a.delegation) person.append(line('span', 'r-deleg', a.delegation));
  }
  const dl = root.querySelector('#r-guide');
  dl.replaceChildren();
  // A face the door refused is not shown the way in.
  if (res.status !== 'revoked' && res.status !== 'invalid' && res.status !== 'cancelled' && !FACE_REFUSED[res.code]) {
    for (const [kzh, ken, v, ven, cls] of guidanceItems(kind, res.guidance)) {
      dl.append(h('div', { class: cls || null }, line('dt', '', kzh, ken), line('dd', '', v, ven)));
    }
    dl.append(...handoutCards(res)); // 资料发放: the items to hand over, or 已领
  }
  root.classList.toggle('guided', dl.children.length > 0);
}

// The face check's line on the result screen: [zh, en, class, icon].
// [zh, en, class, icon, a note for the staff: zh, en].
const FACE_WORDS = {
  pass: ['人脸核验通过', 'Face verified', 'pass', '✓'],
  fail: ['人脸核验未通过', 'Face does not match the badge', 'fail', '✕', '已通知工作人员', 'staff notified'],
  noface: ['未检测到人脸', 'No face seen', 'noface', '?', '请工作人员核对', 'staff will check'],
};
const PHOTO_WORDS = {
  none: ['无照片', 'No photo'],
  offline: ['离线，无照片', 'Offline: no photo'],
  pending: ['照片加载中', 'Photo loading'],
};

/**
 * renderCheck adds what the door checks of the person to the result
 * screen render filled: the face check's outcome (null: none was made)
 * and the glance photo beside the name (null: this checkpoint shows none;
 * else {state: 'shown', url} | 'none' | 'offline' | 'pending').
 */
export function renderCheck(root, face, photo) {
  const box = root.querySelector('#r-face');
  const w = face && FACE_WORDS[face.result];
  box.hidden = !w;
  box.className = 'r-face' + (w ? ' ' + w[2] : '');
  box.dataset.result = w ? face.result : '';
  box.replaceChildren();
  if (w) {
    // Refused for it, the headline says it already: the line only adds the note.
    const [zh, en] = FACE_REFUSED[root.dataset.code] && w[4] ? [w[4], w[5]] : [w[0], w[1]];
    box.append(h('span', { class: 'r-face-icon' }, w[3]), line('span', '', zh, en));
    if (w[4] && zh !== w[4]) box.append(line('small', '', w[4], w[5]));
  }
  root.dataset.face = w ? face.result : '';
  setPhoto(root, photo);
}

/** setPhoto puts the glance photo (or why there is none) beside the person's name. */
export function setPhoto(root, photo) {
  const person = root.querySelector('#r-person');
  let fig = person.querySelector('.r-photo');
  if (!photo || !person.childElementCount) {
    if (fig) fig.remove();
    root.dataset.photo = '';
    return;
  }
  if (!fig) {
    // The name, category and delegation stand in a column beside the photo.
    const who = h('div', { class: 'r-who' }, ...person.childNodes);
    fig = h('figure', { class: 'r-photo' });
    person.replaceChildren(fig, who);
  }
  const words = PHOTO_WORDS[photo.state];
  fig.replaceChildren(photo.state === 'shown'
    ? h('img', { src: photo.url, alt: '持证人照片 Photo of the badge holder' })
    : line('figcaption', '', ...(words || PHOTO_WORDS.none)));
  fig.dataset.state = photo.state;
  // No photo to compare: a note, not an empty frame taking the guidance's room.
  fig.classList.toggle('empty', photo.state !== 'shown' && photo.state !== 'pending');
  root.dataset.photo = photo.state;
}

let audio = null;

/** beep plays the outcome's sound: one high tone, two middle, three low. */
export function beep(t) {
  try {
    audio = audio || new AudioContext();
    if (audio.state === 'suspended') audio.resume();
    const [n, freq, type] = t === 'ok' ? [1, 1047, 'sine'] : t === 'warn' ? [2, 660, 'triangle'] : [3, 330, 'square'];
    for (let i = 0; i < n; i++) {
      const at = audio.currentTime + i * 0.22;
      const o = audio.createOscillator();
      const g = audio.createGain();
      o.type = type;
      o.frequency.value = freq;
      g.gain.setValueAtTime(0.0001, at);
      g.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, at + 0.18);
      o.connect(g).connect(audio.destination);
      o.start(at);
      o.stop(at + 0.2);
    }
  } catch {
    // No audio device: the screen still says it all.
  }
}

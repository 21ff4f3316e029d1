// dom.js — what every page builds its screens with: one element builder
// that never parses HTML (names and organisations are shown as text,
// whatever they contain), bilingual text, the toast, and times on the
// event's clocks (its timezone, whatever zone the server wrote a time in or
// the computer showing it is set to).

const SVG = 'http://www.w3.org/2000/svg';

function build(el, attrs, kids) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === undefined || kid === null || kid === false) continue;
    el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}

/**
 * h builds an element: h('td', {class: 'x', onclick: fn, dataset: {…}},
 * 'text', child, [more, children]). An attribute that is null, undefined
 * or false is left out, true sets it empty; a child that is null,
 * undefined or false is left out, text is text.
 */
export function h(tag, attrs, ...kids) {
  return build(document.createElement(tag), attrs, kids);
}

/** svg builds an SVG element the same way. */
export function svg(tag, attrs, ...kids) {
  return build(document.createElementNS(SVG, tag), attrs, kids);
}

/** bi is Chinese text with its English line beneath: 中文<span class=en>English</span>. */
export function bi(zh, en) { return [zh, h('span', { class: 'en' }, en)]; }

let toastTimer;
/** toast shows a short message in the page's #toast; bad ones stay longer and are red. */
export function toast(zh, en, bad = false) {
  const t = document.getElementById('toast');
  t.replaceChildren(...bi(zh, en));
  t.className = bad ? 'bad' : '';
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, bad ? 8000 : 4000);
}

/** fail toasts an error: the server's words when it has them (api.js's errors), else what was thrown. */
export function fail(err) {
  if (err && err.zh) toast(err.zh, err.en || err.message || '', true);
  else {
    const m = String((err && err.message) || err);
    toast('出错了：' + m, 'Error: ' + m, true);
  }
}

// ---- times ----

let eventZone = 'Asia/Shanghai';

/** setZone sets the event's timezone (GET /event's timezone); an empty or unknown one keeps the last good one. */
export function setZone(tz) {
  if (!tz) return;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    eventZone = tz;
  } catch { /* an unknown zone keeps the last good one */ }
}

/** zone is the event's timezone. */
export function zone() { return eventZone; }

function parts(ms, tz) {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
  return Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
}

/** wallClock is instant ms as YYYY-MM-DDTHH:MM on the clocks of tz. */
export function wallClock(ms, tz) {
  let p;
  try { p = parts(ms, tz); } catch { p = parts(ms, 'Asia/Shanghai'); }
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** shortTime shows an instant as MM-DD HH:MM on tz's clocks (the event's by default). */
export function shortTime(s, tz) {
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return s || '';
  const w = wallClock(ms, tz || eventZone);
  return `${w.slice(5, 10)} ${w.slice(11, 16)}`;
}

/** time formats an RFC 3339 time as MM-DD HH:MM on the event's clocks. */
export function time(s) {
  return s ? shortTime(s, eventZone) : '';
}

/** fmtTime is a time (anything Date takes) as HH:MM on the event's clocks. */
export function fmtTime(t, tz = eventZone) {
  return new Date(t).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: tz });
}

/** fmtDay is a time's day as 6月1日周一 on the event's clocks. */
export function fmtDay(t, tz = eventZone) {
  return new Date(t).toLocaleDateString('zh-CN', { month: 'long', day: 'numeric', weekday: 'short', timeZone: tz });
}

/** when words a session's day and hours on the event's clocks. */
export function when(s, tz = eventZone) {
  return `${fmtDay(s.starts_at, tz)} ${fmtTime(s.starts_at, tz)}–${fmtTime(s.ends_at, tz)}`;
}

// Shared helpers of the desk page: API calls that turn every failure into
// a bilingual message, a tiny DOM builder that never parses HTML (names and
// organisations are shown as text, whatever they contain), and the toast.

export const API = '/api/v1';

/** ApiError carries the server's stable code and both languages. */
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    const m = e.message || {};
    super(m.en || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || `http_${status}`;
    this.zh = m.zh || `请求失败（HTTP ${status}）`;
    this.en = m.en || `request failed (HTTP ${status})`;
    this.details = e.details;
    this.body = body;
  }
}

let onUnauthenticated = () => {};
/** whenLoggedOut sets what happens on any 401: the page shows its banner. */
export function whenLoggedOut(fn) { onUnauthenticated = fn; }

/** call makes a JSON API request; the cookie carries the login. */
export async function call(method, path, body, opts = {}) {
  const init = { method, credentials: 'same-origin', headers: {}, signal: opts.signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(API + path, init);
  if (res.status === 401) onUnauthenticated();
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok && !(opts.okStatuses || []).includes(res.status)) throw new ApiError(res.status, data);
  return opts.withStatus ? { status: res.status, data } : data;
}

/** h builds an element: h('td', {class: 'x'}, 'text', child, …). */
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat()) {
    if (kid === undefined || kid === null || kid === false) continue;
    el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}

/** bi is Chinese text with its English line beneath. */
export function bi(zh, en) { return [zh, h('span', { class: 'en' }, en)]; }

let toastTimer;
/** toast shows a short message; bad ones stay longer and are red. */
export function toast(zh, en, bad = false) {
  const t = document.getElementById('toast');
  t.replaceChildren(zh, h('span', { class: 'en' }, en));
  t.className = bad ? 'bad' : '';
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, bad ? 8000 : 4000);
}

/** fail shows an error from call() (or anything thrown). */
export function fail(err) {
  if (err instanceof ApiError) toast(err.zh, err.en, true);
  else toast('出错了：' + err.message, 'Error: ' + err.message, true);
}

// ---- times: every time shows on the event's clocks (its timezone), ----
// ---- whatever zone the server wrote it in or the desk's computer is set to ----

let eventZone = 'Asia/Shanghai';

/** setZone sets the event's timezone (GET /event's timezone). */
export function setZone(tz) {
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

/** download fetches a file with progress and hands it to the browser. */
export async function download(url, progress) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (res.status === 401) onUnauthenticated();
  if (!res.ok) {
    let body = null;
    try { body = await res.json(); } catch { /* a PDF route may answer plain text */ }
    throw new ApiError(res.status, body);
  }
  const total = Number(res.headers.get('Content-Length')) || 0;
  const reader = res.body.getReader();
  const parts = [];
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    got += value.length;
    progress?.(got, total);
  }
  return new Blob(parts, { type: res.headers.get('Content-Type') || 'application/octet-stream' });
}

/** setProgress fills a .progress bar; total 0 means unknown size. */
export function setProgress(el, got, total, zh, en) {
  el.hidden = false;
  const pct = total ? Math.min(100, Math.round(100 * got / total)) : 100;
  el.querySelector('.fill').style.width = (total ? pct : 100) + '%';
  const size = got > 1e6 ? (got / 1e6).toFixed(1) + ' MB' : Math.round(got / 1e3) + ' KB';
  el.querySelector('.label').textContent = `${zh} ${total ? pct + '%' : size} · ${en}`;
}

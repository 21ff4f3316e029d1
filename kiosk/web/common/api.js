// api.js — how every page talks to the server: one call() for JSON under
// /api/v1, download() for files and upload() for a file with progress.
// Staff pages are signed in by the huiwu_token cookie; a device page (the
// kiosk, a paired usher tablet or lobby screen) sends the device token it
// keeps in localStorage. Every failure is one of two errors:
//   - APIError: the server answered {error:{code, message:{zh,en}, details}}
//     (or some other status that is not a success);
//   - Unreachable: no answer — a refused connection, a timeout, or 502/503/504
//     from a server that is stopping or a proxy without its upstream. The
//     kiosk takes this as "go offline", never as a verdict on a badge.
// Both carry status, code, zh and en, so a page can show either in words.

export const API = '/api/v1';

/** APIError is an answer from the server that is not a success. */
export class APIError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    const m = e.message || {};
    super(m.en || `request failed (HTTP ${status})`);
    this.status = status;
    this.code = e.code || `http_${status}`;
    this.zh = m.zh || `请求失败（HTTP ${status}）`;
    this.en = m.en || `request failed (HTTP ${status})`;
    this.details = e.details;
    this.body = body;
  }
}

/** Unreachable means the server could not be asked; try again later. */
export class Unreachable extends Error {
  constructor(why, status = 0, body = null) {
    const e = (body && body.error) || {};
    const m = e.message || {};
    super(m.en || 'Cannot reach the server');
    this.status = status;
    this.code = e.code || 'unreachable';
    this.zh = m.zh || '无法连接服务器';
    this.en = this.message;
    this.why = why;
  }
}

const UNREACHABLE = new Set([502, 503, 504]);

// How this page signs its calls; set once by setup().
const page = { tokenKey: '', fallback: false, timeout: 0, signedOut: () => {} };

/**
 * setup says how this page calls the server, once, before its first call:
 * token is the localStorage key of its device token (none: the staff
 * login's cookie alone); fallback forgets a refused token and asks again
 * on the cookie; timeout (ms, 0 for none) is how long a call may wait for
 * an answer before it is Unreachable; signedOut runs on any 401.
 */
export function setup({ token: key = '', fallback = false, timeout = 0, signedOut = () => {} } = {}) {
  Object.assign(page, { tokenKey: key, fallback, timeout, signedOut });
}

/** token is this page's device token; it survives reloads and reboots. */
export const token = {
  get: () => (page.tokenKey && localStorage.getItem(page.tokenKey)) || '',
  set: (t) => localStorage.setItem(page.tokenKey, t),
  clear: () => { if (page.tokenKey) localStorage.removeItem(page.tokenKey); },
};

/**
 * request sends one request and answers the Response of any HTTP answer
 * but 502/503/504; opts.timeout overrides the page's, opts.signal lets the
 * caller abort (its AbortError is thrown as is).
 */
async function request(method, url, body, opts) {
  const headers = {};
  const t = token.get();
  if (t) headers.Authorization = 'Bearer ' + t;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body instanceof Blob) { // a file as it is: the desk's webcam photo
    headers['Content-Type'] = body.type || 'application/octet-stream';
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const ctl = new AbortController();
  const { signal } = opts;
  if (signal) signal.addEventListener('abort', () => ctl.abort(signal.reason), { once: true });
  const timeout = opts.timeout ?? page.timeout;
  const timer = timeout ? setTimeout(() => ctl.abort(), timeout) : 0;
  let res;
  try {
    res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store', signal: ctl.signal });
  } catch (err) {
    if (signal && signal.aborted) throw err;
    throw new Unreachable(String((err && err.message) || err));
  } finally {
    clearTimeout(timer);
  }
  if (UNREACHABLE.has(res.status)) throw new Unreachable('HTTP ' + res.status, res.status, await json(res));
  if (res.status === 401) {
    if (t && page.fallback) {
      // The paired token was revoked: forget it, and try the staff
      // login's cookie, if any, once.
      token.clear();
      return request(method, url, body, opts);
    }
    page.signedOut();
  }
  return res;
}

async function json(res) {
  try {
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/**
 * call makes a request under /api/v1 (opts.base '' for the few routes
 * outside it: /login, /kiosk/pair/…) and answers the decoded JSON, or null
 * for 204. body is sent as JSON, or as is when it is FormData or a Blob
 * (with the Blob's type).
 */
export async function call(method, path, body, opts = {}) {
  const res = await request(method, (opts.base ?? API) + path, body, opts);
  if (res.status === 204) return null;
  const data = await json(res);
  if (!res.ok) throw new APIError(res.status, data);
  return data;
}

/**
 * fetchBlob makes a request under /api/v1 (opts.base as for call) whose
 * answer is a file (the glance photo): a Blob, or APIError / Unreachable
 * as call throws.
 */
export async function fetchBlob(method, path, body, opts = {}) {
  const res = await request(method, (opts.base ?? API) + path, body, opts);
  if (!res.ok) throw new APIError(res.status, await json(res));
  return res.blob();
}

/** download fetches a file under /api/v1 with progress(got, total) and answers a Blob. */
export async function download(path, progress) {
  const res = await request('GET', API + path, undefined, { timeout: 0 });
  if (!res.ok) throw new APIError(res.status, await json(res));
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

/**
 * upload posts form (FormData) under /api/v1 with XMLHttpRequest, which
 * reports upload progress (fetch cannot), and answers {status, data}.
 * A status in accept whose body is not an {error} counts as an answer too
 * (the import's 422 report).
 */
export function upload(path, form, { progress, accept = [] } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', API + path);
    xhr.responseType = 'json';
    const t = token.get();
    if (t) xhr.setRequestHeader('Authorization', 'Bearer ' + t);
    if (progress) xhr.upload.onprogress = (e) => progress(e.loaded, e.total);
    xhr.onload = () => {
      const { status, response: data } = xhr;
      if (UNREACHABLE.has(status)) return reject(new Unreachable('HTTP ' + status, status, data));
      if (status === 401) page.signedOut();
      if ((status >= 200 && status < 300) || (accept.includes(status) && data && !data.error)) resolve({ status, data });
      else reject(new APIError(status, data));
    };
    xhr.onerror = () => reject(new Unreachable('network error'));
    xhr.send(form);
  });
}

// Talking to the server. Anything that is not an HTTP answer — a refused
// connection, a timeout, a server stopping — is an Unreachable error, which
// the kiosk takes as "go offline", never as a verdict about a badge.

/** Unreachable means the server could not be asked; try again later. */
export class Unreachable extends Error {}

/** APIError is a typed answer from the server ({error:{code,message}}). */
export class APIError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.code || 'http_' + status);
    this.status = status;
    this.code = e.code || 'http_' + status;
    this.zh = (e.message && e.message.zh) || '';
    this.en = (e.message && e.message.en) || '';
    this.details = e.details;
  }
}

const TOKEN_KEY = 'huiwu.kiosk.token';

/** The device token survives reloads and reboots in localStorage. */
export const token = {
  get: () => localStorage.getItem(TOKEN_KEY) || '',
  set: (t) => localStorage.setItem(TOKEN_KEY, t),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

/**
 * call makes a request under /api/v1 with the device token and answers the
 * parsed JSON (or null for 204).
 */
export async function call(method, path, body, timeoutMs = 4000) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  const headers = { 'Content-Type': 'application/json' };
  const t = token.get();
  if (t) headers.Authorization = 'Bearer ' + t;
  let resp;
  try {
    resp = await fetch('/api/v1' + path, {
      method, headers, signal: ctl.signal, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new Unreachable(String(err && err.message || err));
  } finally {
    clearTimeout(timer);
  }
  // A server that is stopping or a proxy without its upstream is as good
  // as unreachable: the scan must not be lost or judged.
  if (resp.status === 502 || resp.status === 503 || resp.status === 504) {
    throw new Unreachable('HTTP ' + resp.status);
  }
  if (resp.status === 204) return null;
  let data = null;
  try { data = await resp.json(); } catch { data = null; }
  if (!resp.ok) throw new APIError(resp.status, data);
  return data;
}

/** uuid is a random scan id; crypto.randomUUID needs a secure context. */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

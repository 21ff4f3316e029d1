// live.js — what the usher map, the lobby screen and the chair's view share:
// the device token, API calls, the sign-in prompt (pair with a code from
// the desk, or a staff login), and a websocket client that follows the
// hub's rules (server/internal/live/hub.go): a snapshot replaces a topic's
// state, a delta with seq = last+1 is applied, an older one is ignored, a
// gap asks for {"topic":T,"since":last}; a failed snapshot is asked for
// again; a closed connection reconnects with a growing pause, except one
// closed because its sign-in ended (revoked, expired, role changed).

const TOKEN_KEY = 'huiwu.view.token';

/** SIGNED_OUT is the close code of a connection whose sign-in ended
 * (live.CloseSignedOut). */
const SIGNED_OUT = 4001;

/** The device token this browser got by pairing, else none and a staff
 * login's huiwu_token cookie does the work. A token is never taken from
 * the page address: it would stay in history, logs and Referer headers. */
export function token() {
  return localStorage.getItem(TOKEN_KEY) || '';
}

// A token left in the address by an old bookmark is not used; take it
// out of the address bar all the same.
{
  const u = new URL(location.href);
  if (u.searchParams.has('token')) {
    u.searchParams.delete('token');
    history.replaceState(null, '', u);
  }
}

/** APIError carries the server's code and bilingual message. */
export class APIError extends Error {
  constructor(status, code, message) {
    super(message ? message.en : code);
    this.status = status;
    this.code = code;
    this.zh = message ? message.zh : code;
  }
}

/** api calls /api/v1 + path and answers the decoded JSON. */
export async function api(path, opts = {}) {
  if (opts.body && typeof opts.body !== 'string') {
    opts = { ...opts, headers: { ...(opts.headers || {}), 'Content-Type': 'application/json' }, body: JSON.stringify(opts.body) };
  }
  const headers = { ...(opts.headers || {}) };
  const t = token();
  if (t) headers.Authorization = 'Bearer ' + t;
  const r = await fetch('/api/v1' + path, { ...opts, headers, credentials: 'same-origin' });
  if (r.status === 401 && t) {
    // The paired token was revoked: forget it, and try the staff login's
    // cookie, if any, once.
    localStorage.removeItem(TOKEN_KEY);
    return api(path, opts);
  }
  if (r.status === 204) return null;
  const body = await r.json().catch(() => null);
  if (!r.ok) {
    const e = body && body.error;
    throw new APIError(r.status, e ? e.code : 'http_' + r.status, e && e.message);
  }
  return body;
}

/** needSignIn shows the sign-in prompt: a code from the desk makes this
 * browser a device of the given kind; staff sign in with their account
 * instead and come back here. */
export function needSignIn(kindZh, kindEn) {
  const box = document.createElement('div');
  box.className = 'signin';
  box.innerHTML = `<form><h1>${kindZh}未登录<span class="en">This ${kindEn} is not signed in</span></h1>
    <p>请在报到处生成配对码后输入<span class="en">Enter the pairing code from the registration desk</span></p>
    <input name="code" autocomplete="off" inputmode="numeric" aria-label="配对码 pairing code">
    <button>配对 <span class="en">Pair</span></button><p class="err" role="alert"></p>
    <p>或 <a class="staff" href="">工作人员登录 <span class="en">or sign in as staff</span></a></p></form>`;
  box.querySelector('a.staff').href = '/login?next=' + encodeURIComponent(location.pathname + location.search);
  document.body.replaceChildren(box);
  box.querySelector('form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const code = box.querySelector('input').value.trim();
    try {
      const r = await api('/pair', { method: 'POST', body: { code } });
      localStorage.setItem(TOKEN_KEY, r.token);
      location.reload();
    } catch (e) {
      box.querySelector('.err').textContent = (e.zh || '配对失败') + ' · ' + e.message;
    }
  });
}

/**
 * Live subscribes to topics on /ws. handlers.snapshot(topic, data) and
 * handlers.delta(topic, data) receive the data; handlers.status(s) hears
 * 'live', 'connecting' or 'offline'.
 */
export class Live {
  constructor(topics, handlers) {
    this.topics = topics;
    this.h = handlers;
    this.seq = {};
    this.asked = {};
    this.pause = 500;
    this.closed = false;
    this.connect();
  }

  connect() {
    const u = new URL('/ws', location.href);
    u.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('topics', this.topics.join(','));
    const t = token();
    if (t) u.searchParams.set('token', t);
    this.status('connecting');
    const ws = new WebSocket(u);
    this.ws = ws;
    ws.onopen = () => { this.pause = 500; };
    ws.onmessage = (ev) => this.receive(JSON.parse(ev.data));
    ws.onclose = (ev) => {
      if (this.closed) return;
      if (ev.code === SIGNED_OUT) {
        // Revoked, expired or given another role: start again, which
        // shows the sign-in prompt (or the page for the new role).
        this.closed = true;
        if (token()) localStorage.removeItem(TOKEN_KEY);
        location.reload();
        return;
      }
      this.status('offline');
      // A growing pause with jitter, so that 200 screens do not return in
      // one wave after a server restart.
      const wait = this.pause * (0.75 + Math.random() / 2);
      this.pause = Math.min(this.pause * 2, 15000);
      setTimeout(() => this.connect(), wait);
    };
  }

  status(s) { if (this.h.status) this.h.status(s); }

  send(msg) { if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg)); }

  receive(m) {
    if (m.type === 'error') {
      if (m.code === 'snapshot_failed' && m.topic) {
        setTimeout(() => this.send({ topic: m.topic, snapshot: true }), 2000);
      }
      return;
    }
    const last = this.seq[m.topic];
    if (m.type === 'snapshot') {
      this.seq[m.topic] = m.seq;
      this.status('live');
      this.h.snapshot(m.topic, m.data);
      return;
    }
    if (last === undefined || m.seq <= last) return; // before our snapshot, or a repeat
    if (m.seq > last + 1) {
      // A gap: the hub replays from last. Ask once per gap, not once per
      // delta that arrives before the replay does.
      if (this.asked[m.topic] !== last) this.send({ topic: m.topic, since: last });
      this.asked[m.topic] = last;
      return;
    }
    this.seq[m.topic] = m.seq;
    this.h.delta(m.topic, m.data);
  }

  /** resync asks for a fresh snapshot of topic. */
  resync(topic) { this.send({ topic, snapshot: true }); }

  close() { this.closed = true; if (this.ws) this.ws.close(); }
}

/** el builds an element: el('div', {class: 'x'}, child, 'text'). */
export function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k != null) e.append(k);
  return e;
}

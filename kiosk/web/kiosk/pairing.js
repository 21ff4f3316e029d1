// The pairing screen. A new kiosk asks the server for a short code and
// shows it in large type and as a QR code; the desk types or scans it in
// its Devices view, naming the kiosk and its checkpoint; meanwhile the kiosk
// polls with a secret only it holds and collects its device token, which is
// kept across reloads and reboots. The older way — the desk creates the
// device and the kiosk types the desk's code on a keypad — stays one tap away.
import { call, token, APIError, Unreachable } from '/static/common/api.js';
import { bi } from '/static/common/dom.js';
import { servers } from './servers.js';

const LEN = 8;
const POLL_MS = 2000;
const REQUEST_KEY = 'huiwu.kiosk.pairing'; // the pending request survives a reload
let code = '';
let busy = false;
let done = null;
let root = null;
let gen = 0; // bumps on every pair() and on success, ending older poll loops

/** pair shows the pairing screen; onPaired gets GET /device's answer. */
export function pair(section, msgZh, msgEn, onPaired) {
  root = section;
  done = onPaired;
  code = '';
  say(msgZh || '', msgEn || '');
  draw();
  manual(false);
  showCode(null); // never the code of an earlier pairing, even for a moment
  if (!section.dataset.wired) {
    section.dataset.wired = '1';
    section.querySelector('#keypad').addEventListener('click', (e) => {
      const b = e.target.closest('button');
      if (b) press(b.dataset.key);
    });
    section.querySelector('#pair-go').addEventListener('click', submit);
    section.querySelector('#pair-manual').addEventListener('click', () => manual(true));
    section.querySelector('#pair-back').addEventListener('click', () => manual(false));
    document.addEventListener('keydown', (e) => {
      if (root.hidden || root.querySelector('#pair-entry').hidden) return;
      if (/^[0-9]$/.test(e.key)) press(e.key);
      else if (e.key === 'Backspace') press('back');
      else if (e.key === 'Escape') press('clear');
      else if (e.key === 'Enter') submit();
      else return;
      e.preventDefault();
    });
  }
  waitForDesk(++gen);
}

/** manual switches between showing our code and typing the desk's. */
function manual(on) {
  root.querySelector('#pair-show').hidden = on;
  root.querySelector('#pair-entry').hidden = !on;
  root.dataset.mode = on ? 'keypad' : 'code';
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * waitForDesk shows a code and polls until the desk claims it, getting a
 * new code whenever the old one expires. Loop `my` ends when gen moves on.
 */
async function waitForDesk(my) {
  let req = null;
  try { req = JSON.parse(localStorage.getItem(REQUEST_KEY) || 'null'); } catch { req = null; }
  while (my === gen) {
    if (!req || Date.parse(req.expires_at) <= Date.now()) {
      try {
        req = await kioskPost('/kiosk/pair/request', {});
        localStorage.setItem(REQUEST_KEY, JSON.stringify(req));
      } catch (err) {
        req = null;
        showCode(null);
        if (err instanceof APIError) say(err.zh || '无法获取配对码', err.en || 'Could not get a pairing code');
        else say('无法连接服务器，请检查网络', 'Cannot reach the server; check the network', 'net');
        await sleep(err instanceof APIError && err.status === 429 ? 30000 : 3000);
        continue;
      }
    }
    if (my !== gen) return;
    showCode(req);
    await sleep(POLL_MS);
    if (my !== gen) return;
    let res;
    try {
      res = await kioskPost('/kiosk/pair/poll', { claim: req.claim });
    } catch (err) {
      if (err instanceof APIError && err.status === 410) req = null; // expired: a new code next round
      else if (err instanceof Unreachable) say('无法连接服务器，请检查网络', 'Cannot reach the server; check the network', 'net');
      continue;
    }
    clearNet();
    if (!res || !res.token) continue; // 202: the desk has not claimed it yet
    localStorage.removeItem(REQUEST_KEY);
    gen++;
    try {
      await finish(res.token, res.servers);
    } catch {
      // Paired but the server went away before answering who we are: a
      // reload boots with the token and waits for the server.
      say('已配对，正在等待服务器…', 'Paired; waiting for the server…');
      setTimeout(() => location.reload(), 3000);
    }
    return;
  }
}

/** kioskPost calls the pairing endpoints, which live outside /api/v1. */
function kioskPost(path, body) { return call('POST', path, body, { base: '' }); }

function showCode(req) {
  const box = root.querySelector('#pair-own');
  const qr = root.querySelector('#pair-qr');
  const until = root.querySelector('#pair-until');
  if (!req) {
    box.textContent = '···· ····';
    box.dataset.code = '';
    qr.hidden = true;
    until.textContent = '';
    return;
  }
  if (box.dataset.code === req.code) return;
  clearNet();
  box.textContent = req.code.slice(0, 4) + ' ' + req.code.slice(4);
  box.dataset.code = req.code;
  qr.src = req.qr;
  qr.hidden = false;
  const t = new Date(req.expires_at);
  const hm = String(t.getHours()).padStart(2, '0') + ':' + String(t.getMinutes()).padStart(2, '0');
  until.replaceChildren(...bi(`有效至 ${hm}，过期后自动换新码`, `Valid until ${hm}; a new code follows automatically`));
}

function press(k) {
  if (busy) return;
  if (k === 'back') code = code.slice(0, -1);
  else if (k === 'clear') code = '';
  else if (/^[0-9]$/.test(k) && code.length < LEN) code += k;
  say('', '');
  draw();
}

function draw() {
  const box = root.querySelector('#pair-code');
  // Groups of four read back more easily from the desk's screen.
  const shown = (code + '·'.repeat(LEN - code.length));
  box.textContent = shown.slice(0, 4) + ' ' + shown.slice(4);
  box.dataset.code = code;
  root.querySelector('#pair-go').disabled = code.length !== LEN || busy;
}

/**
 * clearNet ends a network complaint once the server answers; why the kiosk
 * came back to pairing (it was revoked) stays on screen.
 */
function clearNet() {
  if (root.querySelector('#pair-msg').dataset.kind === 'net') say('', '');
}

function say(zh, en, kind = '') {
  const m = root.querySelector('#pair-msg');
  m.dataset.kind = kind;
  m.hidden = !zh; // an empty line would push the keypad off a short screen
  m.replaceChildren(...bi(zh, en));
}

/**
 * finish stores the token and the servers the kiosk may use (this one
 * first), and hands the kiosk's own record to the page.
 */
async function finish(t, list) {
  token.set(t);
  servers.adopt(list);
  say('配对成功，正在启动…', 'Paired; starting…');
  const self = await servers.call('GET', '/device');
  say('', '');
  done(self);
}

async function submit() {
  if (code.length !== LEN || busy) return;
  busy = true;
  draw();
  say('正在配对…', 'Pairing…');
  try {
    const res = await call('POST', '/pair', { code });
    gen++; // the desk's code won: stop waiting for ours to be claimed
    localStorage.removeItem(REQUEST_KEY);
    await finish(res.token, res.servers);
  } catch (err) {
    code = '';
    if (err instanceof APIError) say(err.zh || '配对失败', err.en || 'Pairing failed');
    else if (err instanceof Unreachable) say('无法连接服务器，请检查网络', 'Cannot reach the server; check the network');
    else say('配对失败', 'Pairing failed');
  } finally {
    busy = false;
    draw();
  }
}

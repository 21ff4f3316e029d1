// The pairing screen: an on-screen keypad (and the keyboard) for the
// 8-digit code the desk shows when it adds this kiosk. The code buys the
// kiosk its device token, which is kept across reloads and reboots.
import { call, token, APIError, Unreachable } from './api.js';

const LEN = 8;
let code = '';
let busy = false;
let done = null;
let root = null;

/** pair shows the pairing screen; onPaired gets GET /device's answer. */
export function pair(section, msgZh, msgEn, onPaired) {
  root = section;
  done = onPaired;
  code = '';
  say(msgZh || '', msgEn || '');
  draw();
  if (!section.dataset.wired) {
    section.dataset.wired = '1';
    section.querySelector('#keypad').addEventListener('click', (e) => {
      const b = e.target.closest('button');
      if (b) press(b.dataset.key);
    });
    section.querySelector('#pair-go').addEventListener('click', submit);
    document.addEventListener('keydown', (e) => {
      if (root.hidden) return;
      if (/^[0-9]$/.test(e.key)) press(e.key);
      else if (e.key === 'Backspace') press('back');
      else if (e.key === 'Escape') press('clear');
      else if (e.key === 'Enter') submit();
      else return;
      e.preventDefault();
    });
  }
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

function say(zh, en) {
  const m = root.querySelector('#pair-msg');
  m.replaceChildren(zh, Object.assign(document.createElement('span'), { className: 'en', textContent: en }));
}

async function submit() {
  if (code.length !== LEN || busy) return;
  busy = true;
  draw();
  say('正在配对…', 'Pairing…');
  try {
    const res = await call('POST', '/pair', { code });
    token.set(res.token);
    const self = await call('GET', '/device');
    say('', '');
    done(self);
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

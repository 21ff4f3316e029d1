// logistics.js — the 会务组's page (/logistics), desk and logistics roles:
// a shell of four tabs, each a <section>: 看板 (board.js: the live board),
// 接站 and 返程 (transport.js: mountArrivals, mountDepartures) and 住宿
// (hotel.js: mountHotel). A tab's module is loaded the first time the tab
// is shown; one that is missing or fails leaves its tab saying so, and
// the other tabs work on.
//
// Every mount function is called as mount(section, ctx) with
//   ctx.call(method, path, body, opts) — common/api.js's call: JSON under
//       /api/v1, throwing APIError / Unreachable (both carry zh and en);
//   ctx.tz — the event's timezone ('Asia/Shanghai'); common/dom.js's time
//       helpers already show times in it;
//   ctx.live — the `logistics` topic: ctx.live.on(fn) calls fn() after any
//       change to travel, vehicles or hotel stays (a pickup marked, a run
//       sent out, a kiosk's hotel check-in …) and whenever the connection
//       (re)starts; the message says only that something changed, so fn
//       re-reads what its tab shows over REST. on() answers a function
//       that stops the calls. ctx.live.status() is 'live', 'connecting' or
//       'offline'.
// A module that wants styles of its own adds its stylesheet itself:
//   document.head.append(h('link', {rel: 'stylesheet', href: new URL('./x.css', import.meta.url)}))
import { setup, call } from '/static/common/api.js';
import { h, bi, setZone, zone, fail } from '/static/common/dom.js';
import { Live } from '/static/usher/live.js';
import { mountBoard } from './board.js';
import { staffOnly, signOutTo } from './staff.js';

const $ = (s) => document.querySelector(s);

// This page signs in with the staff login's cookie alone (usher/live.js
// set up a paired device's token, which a staff page does not use).
setup({ signedOut: () => signIn() });

const TABS = {
  board: { mount: mountBoard },
  arrivals: { module: './transport.js', fn: 'mountArrivals' },
  departures: { module: './transport.js', fn: 'mountDepartures' },
  hotel: { module: './hotel.js', fn: 'mountHotel' },
};

const mounted = {};
let ctx = null;

// For the browser tests: which tab shows and how each tab's mount went.
window.logistics = { tab: () => current(), mounted: () => ({ ...mounted }), status: () => (ctx ? ctx.live.status() : 'connecting') };

/** changes follows the logistics topic and calls every listener, once per
 * burst of messages (a van of ten marked picked up in a row is one
 * re-read). */
function changes() {
  const fns = new Set();
  let timer = 0;
  let state = 'connecting';
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      for (const fn of fns) {
        try { fn(); } catch (e) { console.error(e); }
      }
    }, 100);
  };
  new Live(['logistics'], {
    snapshot: fire,
    delta: fire,
    status: (s) => {
      state = s;
      $('#conn').className = 'conn ' + s;
      $('#conn').title = { live: '实时 Live', connecting: '连接中 Connecting', offline: '离线 Offline' }[s] || s;
    },
  });
  return {
    on(fn) { fns.add(fn); return () => fns.delete(fn); },
    status: () => state,
  };
}

function current() {
  const t = location.hash.slice(1);
  return TABS[t] ? t : 'board';
}

/** show shows the tab the address names, mounting it the first time. */
function show() {
  const name = current();
  for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('on', a.dataset.tab === name);
  for (const s of document.querySelectorAll('main > section.tab')) s.hidden = s.dataset.tab !== name;
  if (ctx && !mounted[name]) mount(name);
}

async function mount(name) {
  mounted[name] = 'loading';
  const section = document.getElementById('tab-' + name);
  const tab = TABS[name];
  try {
    const fn = tab.mount || (await import(tab.module))[tab.fn];
    if (typeof fn !== 'function') throw new Error(`${tab.module} does not export ${tab.fn}`);
    await fn(section, ctx);
    mounted[name] = 'ready';
  } catch (e) {
    console.error(`logistics: the ${name} tab:`, e);
    mounted[name] = 'unavailable';
    section.replaceChildren(h('div', { class: 'unavailable' },
      h('p', {}, ...bi('此功能暂不可用', 'This part is not available yet')),
      h('p', { class: 'why' }, String((e && e.message) || e))));
  }
}

/** signIn says how to get in: the login page, back here after. */
function signIn(zh = '请先登录：用会务组或报到处账号。', en = 'Please sign in with a logistics or desk account.') {
  document.body.dataset.state = 'signin';
  const b = $('#signin');
  b.replaceChildren(...bi(zh, en), h('a', { class: 'button', href: '/login?next=' + encodeURIComponent('/logistics' + location.hash) }, ...bi('登录', 'Sign in')));
  b.hidden = false;
}

async function start() {
  const me = await staffOnly({
    out: () => signIn(),
    failed: fail,
    refused: (who) => signIn(`当前账号（${who.name}）无权查看会务组页面，请换用会务组或报到处账号。`,
      `This account (${who.login || who.name}) may not open the logistics page; sign in with a logistics or desk account.`),
  });
  if (!me) return;
  $('#who').replaceChildren(me.name, ' ', h('button', { type: 'button', class: 'plain', onclick: () => signOutTo('/logistics') }, ...bi('退出', 'Sign out')));
  try {
    const ev = await call('GET', '/event');
    setZone(ev.timezone);
    $('#event-name').textContent = ev.name;
  } catch (e) {
    if (e.code !== 'no_event') fail(e);
  }
  ctx = { call, tz: zone(), live: changes() };
  document.body.dataset.state = 'ready';
  show();
}

window.addEventListener('hashchange', show);
show();
start();

// The kiosk's service worker: keeps the page, its scripts and the scanner
// core in the Cache API so a kiosk that restarts while the server is away
// still opens and decides offline. Network first, so a new build reaches
// kiosks as soon as the server answers; the cache only when it does not.
// API calls are never cached: their answers are for the moment asked.
// Served at /kiosk-sw.js, registered with scope /kiosk.
'use strict';

const CACHE = 'huiwu-kiosk-v1';
const SHELL = [
  '/kiosk',
  '/static/common/base.css',
  '/static/common/api.js',
  '/static/common/dom.js',
  '/static/kiosk/kiosk.css',
  '/static/kiosk/kiosk.js',
  '/static/kiosk/camera.js',
  '/static/kiosk/scanner.js',
  '/static/kiosk/result.js',
  '/static/kiosk/pairing.js',
  '/static/kiosk/offline.js',
  '/static/kiosk/store.js',
  '/static/kiosk/watch.js',
  '/static/materials/handout.js',
  '/static/materials/handout.css',
  '/kiosk/worker.js',
  '/kiosk/wasm_exec.js',
  '/kiosk/scanner.wasm',
  // Chinese on a kiosk without Chinese fonts, also when it restarts offline.
  '/static-fonts/NotoSansSC-Regular.ttf',
  '/static-fonts/NotoSansJP-Regular.ttf',
];

self.addEventListener('install', (ev) => {
  ev.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (ev) => {
  ev.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (ev) => {
  const url = new URL(ev.request.url);
  if (ev.request.method !== 'GET' || url.origin !== location.origin || !SHELL.includes(url.pathname)) return;
  ev.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const resp = await fetch(ev.request, { cache: 'no-cache' });
      if (resp.ok) await cache.put(url.pathname, resp.clone());
      return resp;
    } catch (err) {
      const hit = await cache.match(url.pathname);
      if (hit) return hit;
      throw err;
    }
  })());
});

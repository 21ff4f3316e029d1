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
  '/static/kiosk/servers.js',
  '/static/kiosk/face-check.js',
  '/static/materials/handout.js',
  '/static/materials/handout.css',
  '/kiosk/worker.js',
  '/kiosk/wasm_exec.js',
  '/kiosk/scanner.wasm',
  // Chinese on a kiosk without Chinese fonts, also when it restarts offline.
  '/static-fonts/NotoSansSC-Regular.ttf',
  '/static-fonts/NotoSansJP-Regular.ttf',
];

// The face engine (刷脸, issue 15.4), 13 MB: only a kiosk whose checkpoint
// verifies faces loads it, and asks this worker to keep it (message
// 'face-assets') so that it still checks faces after a restart offline.
// Its two scripts go network first like the shell; the vendored library,
// models and WebAssembly never change under one name, so they are served
// from the cache first, and a new version of the engine comes with a new
// cache name (the old cache is dropped on activation).
const FACE_CACHE = 'huiwu-kiosk-face-human-3.3.6';
const FACE_CODE = ['/static/common/face.js', '/kiosk/face-worker.js'];
const FACE_VENDOR = [
  // Checked against kiosk/web/vendor/human by TestKioskServiceWorkerKeepsFaceEngine.
  '/static/vendor/human/human.js',
  '/static/vendor/human/models/blazeface.json',
  '/static/vendor/human/models/blazeface.bin',
  '/static/vendor/human/models/facemesh.json',
  '/static/vendor/human/models/facemesh.bin',
  '/static/vendor/human/models/faceres.json',
  '/static/vendor/human/models/faceres.bin',
  '/static/vendor/human/models/antispoof.json',
  '/static/vendor/human/models/antispoof.bin',
  '/static/vendor/human/models/liveness.json',
  '/static/vendor/human/models/liveness.bin',
  '/static/vendor/human/wasm/tfjs-backend-wasm-simd.wasm',
  '/static/vendor/human/wasm/tfjs-backend-wasm.wasm',
];

self.addEventListener('install', (ev) => {
  ev.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (ev) => {
  ev.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n.startsWith('huiwu-kiosk-face-') && n !== FACE_CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener('message', (ev) => {
  if (ev.data && ev.data.type === 'face-assets') ev.waitUntil(keepFace());
});

/** keepFace fetches whatever of the face engine the cache lacks; a file that fails is fetched next time. */
async function keepFace() {
  const cache = await caches.open(FACE_CACHE);
  for (const path of [...FACE_CODE, ...FACE_VENDOR]) {
    if (await cache.match(path)) continue;
    try {
      const resp = await fetch(path, { cache: 'no-cache' });
      if (resp.ok) await cache.put(path, resp);
    } catch {
      // The server is away: the next page start asks again.
    }
  }
}

self.addEventListener('fetch', (ev) => {
  const url = new URL(ev.request.url);
  if (ev.request.method !== 'GET' || url.origin !== location.origin) return;
  if (FACE_VENDOR.includes(url.pathname)) {
    ev.respondWith(cacheFirst(url.pathname, ev.request));
    return;
  }
  const face = FACE_CODE.includes(url.pathname);
  if (!face && !SHELL.includes(url.pathname)) return;
  ev.respondWith((async () => {
    const cache = await caches.open(face ? FACE_CACHE : CACHE);
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

/** cacheFirst answers a file of the face engine from the cache, fetching (and keeping) it when missing. */
async function cacheFirst(path, request) {
  const cache = await caches.open(FACE_CACHE);
  const hit = await cache.match(path);
  if (hit) return hit;
  const resp = await fetch(request);
  if (resp.ok) await cache.put(path, resp.clone());
  return resp;
}

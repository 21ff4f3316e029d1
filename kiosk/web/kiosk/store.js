// The kiosk's durable memory in IndexedDB: the queue of scans made offline
// (uploaded through /checkins/batch, removed only once the server has
// answered them), the passes this kiosk has seen, to catch a badge shown
// twice while the server is away, and the sealed facts cache last synced
// (with 刷脸 references it outgrows localStorage: 6.8 MB for 3,000 people).

const DB_NAME = 'huiwu-kiosk';
let dbp = null;

function db() {
  if (!dbp) {
    dbp = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 2);
      req.onupgradeneeded = () => {
        const d = req.result;
        if (!d.objectStoreNames.contains('queue')) d.createObjectStore('queue', { keyPath: 'scan_id' });
        if (!d.objectStoreNames.contains('passed')) d.createObjectStore('passed', { keyPath: 'key' });
        if (!d.objectStoreNames.contains('synced')) d.createObjectStore('synced'); // version 2
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return dbp;
}

async function tx(store, mode, fn) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(store, mode);
    let out;
    t.oncomplete = () => resolve(out);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
    const req = fn(t.objectStore(store));
    if (req) req.onsuccess = () => { out = req.result; };
  });
}

/** queue holds scans to upload, in the order they were made. */
export const queue = {
  add: (scan) => tx('queue', 'readwrite', (s) => s.put(scan)),
  all: async () => ((await tx('queue', 'readonly', (s) => s.getAll())) || [])
    .sort((a, b) => a.scanned_at.localeCompare(b.scanned_at)),
  count: () => tx('queue', 'readonly', (s) => s.count()),
  remove: (ids) => tx('queue', 'readwrite', (s) => { ids.forEach((id) => s.delete(id)); }),
};

/**
 * passed keeps the passes this kiosk saw (what the Go core's passOf and
 * decide hand back), keyed attendee|scan_id, so the core can be given one
 * person's passes when their badge is shown again.
 */
export const passed = {
  of: (attendee) => tx('passed', 'readonly', (s) => s.getAll(IDBKeyRange.bound(`${attendee}|`, `${attendee}|\uffff`)))
    .then((list) => list || []),
  put: (scanId, pass) => tx('passed', 'readwrite', (s) => s.put({ ...pass, key: `${pass.attendee}|${scanId}` })),
};

/** synced keeps what the kiosk synced, by name: the facts cache as its JSON text. */
export const synced = {
  get: (key) => tx('synced', 'readonly', (s) => s.get(key)),
  put: (key, value) => tx('synced', 'readwrite', (s) => s.put(value, key)),
  remove: (key) => tx('synced', 'readwrite', (s) => s.delete(key)),
};

/** wipeStores empties the queue, the passes and the cache at once: a revoked kiosk forgets. */
export async function wipeStores() {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(['queue', 'passed', 'synced'], 'readwrite');
    t.objectStore('queue').clear();
    t.objectStore('passed').clear();
    t.objectStore('synced').clear();
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
}

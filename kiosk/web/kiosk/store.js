// The kiosk's durable memory in IndexedDB: the queue of scans made offline
// (uploaded through /checkins/batch, removed only once the server has
// answered them) and the passes this kiosk has seen, to catch a badge shown
// twice while the server is away.

const DB_NAME = 'huiwu-kiosk';
let dbp = null;

function db() {
  if (!dbp) {
    dbp = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const d = req.result;
        d.createObjectStore('queue', { keyPath: 'scan_id' });
        d.createObjectStore('passed', { keyPath: 'key' });
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

/** wipeStores empties the queue and the passes at once: a revoked kiosk forgets. */
export async function wipeStores() {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(['queue', 'passed'], 'readwrite');
    t.objectStore('queue').clear();
    t.objectStore('passed').clear();
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
}

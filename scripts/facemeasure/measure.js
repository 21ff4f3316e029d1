// The face measurement, run in Chromium by scripts/facemeasure through
// kiosk/web/common/face.js exactly as the pages use it. For each face in
// the photos listed at /photos/list.json: a reference from the photo at
// full resolution, then kiosk-like 640×480 probes made from it (see
// VARIANTS), each analysed as a camera frame. window.measured holds the
// result: identities, genuine and impostor distances, per-frame times.
import { openFace, distance, MODEL, THRESHOLD } from '/static/common/face.js';

// What a kiosk camera may see of a face: size in the frame, light, focus,
// a mirrored or tilted head, a poor encoder, a low-resolution sensor.
const VARIANTS = [
  { name: 'near', face: 210 },
  { name: 'far', face: 105 },
  { name: 'dark', face: 210, filter: 'brightness(0.4)' },
  { name: 'blur', face: 210, filter: 'blur(2px)' },
  { name: 'mirror', face: 210, mirror: true },
  { name: 'roll12', face: 210, roll: 12 },
  { name: 'jpeg30', face: 210, jpeg: 0.3 },
  { name: 'lowres', face: 210, down: 4 },
];

async function bitmapOf(url) {
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(url + ': HTTP ' + resp.status);
  return createImageBitmap(await resp.blob());
}

// isolate answers the region around one face (its box grown by grow,
// clipped to the photo) with every other face painted grey, so a crop
// holds one person only.
function isolate(img, face, others, grow) {
  const cx = face.x + face.w / 2, cy = face.y + face.h / 2;
  const half = (Math.max(face.w, face.h) * grow) / 2;
  const x0 = Math.max(0, Math.round(cx - half)), y0 = Math.max(0, Math.round(cy - half));
  const x1 = Math.min(img.width, Math.round(cx + half)), y1 = Math.min(img.height, Math.round(cy + half));
  const c = new OffscreenCanvas(x1 - x0, y1 - y0);
  const g = c.getContext('2d');
  g.drawImage(img, x0, y0, x1 - x0, y1 - y0, 0, 0, x1 - x0, y1 - y0);
  g.fillStyle = '#808080';
  for (const o of others) g.fillRect(o.x - x0, o.y - y0, o.w, o.h);
  return { canvas: c, face: { x: face.x - x0, y: face.y - y0, w: face.w, h: face.h } };
}

// probe renders an isolated face into a 640×480 frame as a variant.
async function probe(iso, v) {
  const frame = new OffscreenCanvas(640, 480);
  const g = frame.getContext('2d');
  g.fillStyle = '#808080';
  g.fillRect(0, 0, 640, 480);
  const s = v.face / iso.face.w;
  const fx = iso.face.x + iso.face.w / 2, fy = iso.face.y + iso.face.h / 2;
  g.save();
  if (v.filter) g.filter = v.filter;
  g.translate(320, 240);
  if (v.roll) g.rotate((v.roll * Math.PI) / 180);
  if (v.mirror) g.scale(-1, 1);
  g.drawImage(iso.canvas, -fx * s, -fy * s, iso.canvas.width * s, iso.canvas.height * s);
  g.restore();
  if (v.down) {
    const small = new OffscreenCanvas(640 / v.down, 480 / v.down);
    small.getContext('2d').drawImage(frame, 0, 0, small.width, small.height);
    g.imageSmoothingEnabled = true;
    g.drawImage(small, 0, 0, 640, 480);
  }
  if (v.jpeg) return createImageBitmap(await frame.convertToBlob({ type: 'image/jpeg', quality: v.jpeg }));
  return createImageBitmap(frame);
}

async function measure() {
  const list = await (await fetch('/photos/list.json')).json();
  const finder = await openFace({ maxFaces: 30, live: false });
  const engine = await openFace({ maxFaces: 1 });
  const out = { model: MODEL, threshold: THRESHOLD, open: engine.info, identities: [], probes: [], ms: [], noface: [] };

  // References: every face found in every photo, each from its own crop.
  const ids = [];
  for (const p of list) {
    const img = await bitmapOf(p.url);
    const found = await finder.analyse(img, { embed: false });
    const boxes = found.faces.map((f) => f.box).filter((b) => b.w >= 40);
    for (const [i, box] of boxes.entries()) {
      const iso = isolate(img, box, boxes.filter((_, j) => j !== i), 1.8);
      const r = await engine.analyse(iso.canvas);
      const emb = r.faces[0] && r.faces[0].embedding;
      const id = p.name + '#' + (i + 1);
      if (!emb) {
        out.noface.push(id + ' (reference)');
        continue;
      }
      ids.push({ id, img, box, others: boxes.filter((_, j) => j !== i), ref: emb });
      out.identities.push({ id, box, real: r.faces[0].real, live: r.faces[0].live });
    }
  }

  // Probes: each variant of each face against every reference.
  for (const who of ids) {
    const iso = isolate(who.img, who.box, who.others, 3.0);
    for (const v of VARIANTS) {
      const frame = await probe(iso, v);
      const r = await engine.analyse(frame);
      frame.close();
      out.ms.push(r.ms);
      const emb = r.faces[0] && r.faces[0].embedding;
      if (!emb) {
        out.noface.push(who.id + ' ' + v.name);
        continue;
      }
      const d = {};
      for (const other of ids) d[other.id] = Math.round(distance(emb, other.ref) * 10000) / 10000;
      out.probes.push({ id: who.id, variant: v.name, ms: r.ms, real: r.faces[0].real, live: r.faces[0].live, d });
    }
  }
  // Frames without a face, for the time a kiosk spends on an empty view.
  const blank = new OffscreenCanvas(640, 480);
  blank.getContext('2d').fillRect(0, 0, 640, 480);
  out.blankMs = [];
  for (let i = 0; i < 5; i++) out.blankMs.push((await engine.analyse(blank)).ms);
  finder.close();
  engine.close();
  return out;
}

measure().then((m) => { window.measured = m; }, (err) => { window.measured = { error: String(err && (err.en || err.message) || err) }; });

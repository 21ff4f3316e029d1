// The desk's webcam (issue 15.1, 15.5): a dialog showing the camera with a
// 3:4 guide frame, checking the picture as the person sits — one face,
// centred, big enough, lit — then taking it, cropped to the guide, to keep
// or retake. The card's 拍照 and the 忘带证件 search both use it. Faces are
// found by the face engine (common/face.js) when it runs here; without it
// only the light is checked, and the dialog says so.
import { h, bi } from '/static/common/dom.js';

// The guide is this share of the frame's height, 3 wide to 4 high.
const GUIDE = 0.9;
// The photo taken is at most this high (the server shrinks it to 800).
const OUT_H = 1200;
// The live check looks at a small copy of the guide, this often.
const CHECK_MS = 450;
const CHECK_H = 320;

/** guideRect is the 3:4 guide, centred, in a w×h frame's pixels. */
export function guideRect(w, h) {
  let gh = Math.round(h * GUIDE);
  let gw = Math.round((gh * 3) / 4);
  if (gw > w * 0.95) { // a portrait camera: the width decides
    gw = Math.round(w * 0.95);
    gh = Math.round((gw * 4) / 3);
  }
  return { x: Math.round((w - gw) / 2), y: Math.round((h - gh) / 2), w: gw, h: gh };
}

/** light is the mean luminance (0–255) of rect r of a 2D context, sampled. */
export function light(ctx, r) {
  const x = Math.max(0, Math.round(r.x)), y = Math.max(0, Math.round(r.y));
  const w = Math.max(1, Math.min(Math.round(r.w), ctx.canvas.width - x));
  const hh = Math.max(1, Math.min(Math.round(r.h), ctx.canvas.height - y));
  const d = ctx.getImageData(x, y, w, hh).data;
  let sum = 0, n = 0;
  for (let i = 0; i < d.length; i += 16) { // every fourth pixel is plenty
    sum += 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
    n++;
  }
  return n ? sum / n : 0;
}

// What can be wrong with a picture: [zh, en]; hard ones cannot be used.
const PROBLEMS = {
  no_face: ['未检测到人脸：请正对摄像头', 'No face found: face the camera', true],
  several_faces: ['画面中有多张人脸：只能有一人', 'Several faces in the picture: one person only', true],
  off_centre: ['请移到框的中间', 'Move to the middle of the frame'],
  too_small: ['请靠近一些', 'Come a little closer'],
  too_big: ['请稍远一些', 'Move back a little'],
  too_dark: ['光线太暗：请补光或面向光源', 'Too dark: more light on the face'],
  too_bright: ['光线太亮或逆光', 'Too bright, or lit from behind'],
};

/**
 * judgePicture checks an analysed picture (the guide's crop, w×h): res is
 * face.js's analyse() answer, or null when the face engine is not running
 * (only the light is checked then); luma(rect) measures the mean
 * luminance of a part of it. It answers {ok, hard, problems: [{code, zh,
 * en, hard}], face}: ok when nothing is wrong, hard when a problem rules
 * the picture out (no face, several).
 */
export function judgePicture(res, w, h, luma) {
  const codes = [];
  let face = null;
  if (res) {
    const faces = res.faces || [];
    if (faces.length === 0) codes.push('no_face');
    else if (faces.length > 1) codes.push('several_faces');
    face = faces[0] || null;
    if (face && faces.length === 1) {
      const b = face.box;
      const cx = (b.x + b.w / 2) / w, cy = (b.y + b.h / 2) / h;
      // A 证件照: the face in the middle, a little above half-way, about
      // 60–85% of the width (the engine's box is the face from brow to
      // chin and cheek to cheek, with a margin).
      if (Math.abs(cx - 0.5) > 0.14 || cy < 0.2 || cy > 0.62) codes.push('off_centre');
      if (b.w / w < 0.5) codes.push('too_small');
      else if (b.w / w > 0.92) codes.push('too_big');
    }
  }
  // The light on the face, or in the middle of the guide without one.
  const area = face && res.faces.length === 1 ? face.box : { x: w * 0.25, y: h * 0.2, w: w * 0.5, h: h * 0.45 };
  const mean = luma(area);
  if (mean < 60) codes.push('too_dark');
  else if (mean > 215) codes.push('too_bright');
  const problems = codes.map((code) => ({ code, zh: PROBLEMS[code][0], en: PROBLEMS[code][1], hard: !!PROBLEMS[code][2] }));
  return { ok: problems.length === 0, hard: problems.some((p) => p.hard), problems, face, light: Math.round(mean), faceChecked: !!res };
}

/** cameraWords explains, in both languages, why the webcam did not start. */
export function cameraWords(err) {
  if (!window.isSecureContext || !navigator.mediaDevices) {
    return ['摄像头不可用：请用 https:// 或在本机用 http://localhost 打开本页', 'Camera unavailable: open this page over https:// (or at http://localhost)'];
  }
  const name = err && err.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return ['摄像头权限被拒绝：请在地址栏左侧的网站设置中允许', 'Camera permission denied: allow it in the site settings'];
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return ['未找到摄像头', 'No camera found'];
  if (name === 'NotReadableError') return ['摄像头被其他程序占用', 'The camera is busy in another program'];
  return ['摄像头无法启动', 'The camera failed to start: ' + String((err && err.message) || err)];
}

let dialog = null;
function parts() {
  if (dialog) return dialog;
  const el = {};
  el.dlg = h('dialog', { id: 'capture', class: 'capture' },
    el.title = h('h2', { id: 'cap-title' }),
    el.stage = h('div', { class: 'cap-stage', id: 'cap-stage' },
      el.video = h('video', { id: 'cap-video', muted: true, playsinline: true, autoplay: true }),
      el.guide = h('div', { class: 'cap-guide', id: 'cap-guide' }, h('div', { class: 'cap-oval' })),
      el.still = h('canvas', { id: 'cap-still', hidden: true })),
    el.checks = h('ul', { class: 'cap-checks', id: 'cap-checks', 'aria-live': 'polite' }),
    el.engine = h('p', { class: 'cap-engine', id: 'cap-engine' }),
    h('div', { class: 'buttons' },
      el.cancel = h('button', { type: 'button', id: 'cap-cancel' }, ...bi('取消', 'Cancel')),
      el.retake = h('button', { type: 'button', id: 'cap-retake', hidden: true }, ...bi('重拍', 'Retake')),
      el.take = h('button', { type: 'button', id: 'cap-take', class: 'primary' }, ...bi('拍照', 'Take')),
      el.use = h('button', { type: 'button', id: 'cap-use', class: 'primary', hidden: true })));
  el.video.muted = true;
  document.body.append(el.dlg);
  dialog = el;
  return el;
}

function showChecks(el, verdict, still, loading = false) {
  if (loading) { // the light may be fine, but the face is not checked yet
    el.checks.replaceChildren(...verdict.problems.map((p) => h('li', { class: 'warn', dataset: { code: p.code } }, ...bi(p.zh, p.en))),
      h('li', { class: 'wait' }, ...bi('正在加载人脸检测，请稍候…', 'Loading face detection, a moment…')));
    el.guide.classList.remove('ok', 'bad');
    return;
  }
  if (verdict.ok && !verdict.faceChecked) {
    el.checks.replaceChildren(h('li', { class: 'ok' }, ...bi('光线合适（未检查人脸）', 'The light is fine (faces not checked)')));
  } else if (verdict.ok) {
    el.checks.replaceChildren(h('li', { class: 'ok' }, ...bi(still ? '照片合格' : '可以拍照', still ? 'The picture is fine' : 'Ready: take the picture')));
  } else {
    el.checks.replaceChildren(...verdict.problems.map((p) => h('li', { class: p.hard ? 'bad' : 'warn', dataset: { code: p.code } }, ...bi(p.zh, p.en))));
  }
  el.guide.classList.toggle('ok', verdict.ok);
  el.guide.classList.toggle('bad', verdict.hard);
}

/**
 * capture opens the webcam dialog and resolves to what was taken —
 * {canvas, blob (a JPEG of the 3:4 crop), result (analyse()'s answer, or
 * null without the face engine), verdict} — or to null when cancelled.
 * engine is a promise of {engine, error} (faces.js's faceEngine());
 * embed asks for the face's descriptor (the 忘带证件 search); use is the
 * words on the button that keeps the picture.
 */
export function capture({ title, use = ['使用此照片', 'Use this photo'], engine, embed = false }) {
  const el = parts();
  el.title.replaceChildren(...bi(title[0], title[1]));
  el.use.replaceChildren(...bi(use[0], use[1]));
  let stream = null;
  let running = false;
  let eng = null;
  let taken = null;
  const small = h('canvas');

  const reset = () => {
    taken = null;
    el.still.hidden = true;
    el.video.hidden = false;
    el.guide.hidden = false;
    el.retake.hidden = true;
    el.use.hidden = true;
    el.take.hidden = false;
    el.take.disabled = !stream;
    el.checks.replaceChildren();
    el.guide.classList.remove('ok', 'bad');
    delete el.dlg.dataset.verdict;
  };
  reset();
  el.engine.replaceChildren(...bi('人脸检测加载中…', 'Loading face detection…'));
  el.engine.className = 'cap-engine';

  return new Promise((resolve) => {
    const finish = (value) => {
      running = false;
      stream?.getTracks().forEach((t) => t.stop());
      stream = null;
      el.video.srcObject = null;
      el.cancel.onclick = el.take.onclick = el.retake.onclick = el.use.onclick = null;
      el.dlg.removeEventListener('cancel', onEsc);
      if (el.dlg.open) el.dlg.close();
      resolve(value);
    };
    const onEsc = (e) => { e.preventDefault(); finish(null); };
    el.dlg.addEventListener('cancel', onEsc);
    el.cancel.onclick = () => finish(null);
    el.retake.onclick = () => { reset(); running = true; loop(++round); };
    el.use.onclick = () => {
      if (!taken || el.use.disabled) return;
      el.use.disabled = true;
      taken.canvas.toBlob((blob) => finish({ ...taken, blob }), 'image/jpeg', 0.92);
    };
    el.take.onclick = () => take();
    el.dlg.showModal();

    let loading = true;
    engine.then(({ engine: e, error }) => {
      eng = e;
      loading = false;
      if (e) {
        el.engine.replaceChildren(...bi('人脸检测已就绪', 'Face detection ready'));
      } else {
        el.engine.className = 'cap-engine warn';
        el.engine.replaceChildren(...bi(`人脸检测不可用（${error?.zh || '未知原因'}）：只检查光线，请目测确认只有一人、正对镜头`,
          `Face detection unavailable (${error?.en || 'unknown'}): only the light is checked; see for yourself that one person faces the camera`));
      }
    });

    // No mediaDevices outside a secure context (plain http to another host).
    const opened = navigator.mediaDevices?.getUserMedia
      ? navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: { ideal: 'user' } }, audio: false,
      })
      : Promise.reject(new Error('insecure'));
    opened.then(async (s) => {
      if (!el.dlg.open) { s.getTracks().forEach((t) => t.stop()); return; }
      stream = s;
      el.video.srcObject = s;
      await el.video.play().catch(() => {});
      await new Promise((r) => (el.video.videoWidth ? r() : el.video.addEventListener('loadedmetadata', r, { once: true })));
      placeGuide();
      el.take.disabled = false;
      running = true;
      loop(++round);
    }).catch((err) => {
      const [zh, en] = cameraWords(err);
      el.take.disabled = true;
      el.checks.replaceChildren(h('li', { class: 'bad', dataset: { code: 'camera' } }, ...bi(zh, en)));
    });

    // The guide over the picture, where the crop will be.
    function placeGuide() {
      const vw = el.video.videoWidth, vh = el.video.videoHeight;
      const g = guideRect(vw, vh);
      el.stage.style.aspectRatio = `${vw} / ${vh}`;
      Object.assign(el.guide.style, {
        left: `${(100 * g.x) / vw}%`, top: `${(100 * g.y) / vh}%`, width: `${(100 * g.w) / vw}%`, height: `${(100 * g.h) / vh}%`,
      });
    }

    // crop draws the guide's part of the current frame into a canvas of height outH.
    function crop(canvas, outH) {
      const vw = el.video.videoWidth, vh = el.video.videoHeight;
      const g = guideRect(vw, vh);
      const H = Math.min(outH, g.h);
      canvas.height = H;
      canvas.width = Math.round((H * 3) / 4);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(el.video, g.x, g.y, g.w, g.h, 0, 0, canvas.width, canvas.height);
      return ctx;
    }

    async function check(canvas, ctx, withEmbed) {
      let res = null;
      if (eng) {
        try { res = await eng.analyse(canvas, { embed: withEmbed }); } catch { res = null; }
      }
      const verdict = judgePicture(res, canvas.width, canvas.height, (r) => light(ctx, r));
      return { res, verdict };
    }

    // One live check at a time: a retake starts a new round, and the
    // round before stops at its next step.
    let round = 0;
    async function loop(mine) {
      while (running && mine === round && el.dlg.open) {
        const t0 = performance.now();
        if (el.video.readyState >= 2) {
          const ctx = crop(small, CHECK_H);
          const { verdict } = await check(small, ctx, false);
          if (!running || taken || mine !== round) return;
          showChecks(el, verdict, false, loading);
        }
        await new Promise((r) => setTimeout(r, Math.max(60, CHECK_MS - (performance.now() - t0))));
      }
    }

    async function take() {
      if (!stream || el.video.readyState < 2) return;
      running = false;
      const canvas = el.still;
      const ctx = crop(canvas, OUT_H);
      el.video.hidden = true;
      el.guide.hidden = true;
      el.still.hidden = false;
      el.take.hidden = true;
      el.retake.hidden = false;
      el.use.hidden = false;
      el.use.disabled = true;
      el.checks.replaceChildren(h('li', { class: 'wait' }, ...bi('正在检查照片…', 'Checking the picture…')));
      await engine; // a picture taken while the engine loads is checked once it is there
      const { res, verdict } = await check(canvas, ctx, embed);
      if (el.still.hidden) return; // retaken meanwhile
      taken = { canvas, result: res, verdict };
      showChecks(el, verdict, true);
      // No face, or several: the picture cannot be used; retake.
      el.use.disabled = verdict.hard;
      el.dlg.dataset.verdict = verdict.ok ? 'ok' : verdict.problems.map((p) => p.code).join(' ');
    }
  });
}

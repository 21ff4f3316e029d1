// The desk's side of photos and 刷脸 (issue 15.1, 15.5, 15.6): the card's
// 拍照 and consent checkbox, the face references the desk's browser
// computes in the background from the stored photos, and the 忘带证件
// panel that finds the five most similar people for a person to confirm.
// Faces are only ever judged here by a person: the search offers, the desk
// decides.
import { call, download } from '/static/common/api.js';
import { h, bi, toast, fail, time } from '/static/common/dom.js';
import { capture } from './camera-capture.js';
import { definition } from './setup-model.js';

// How often the background loop asks for pending references (at once
// when this desk stores a photo or a consent; a minute after a failure).
const PENDING_POLL_MS = 60_000;

let face = null; // the face.js module, once imported
let enginePromise = null;

/**
 * faceEngine loads the face engine once for the page (up to three faces a
 * picture, so the photo check sees a second person; no liveness scores:
 * the desk sees the person) and answers {engine, error}: engine null when
 * it cannot run here, error a FaceUnavailable with .zh and .en.
 */
export function faceEngine() {
  enginePromise ??= (async () => {
    try {
      face ??= await import('/static/common/face.js');
      return { engine: await face.openFace({ maxFaces: 3, live: false }), error: null };
    } catch (error) {
      return { engine: null, error };
    }
  })();
  return enginePromise;
}

// While a webcam dialog is open the background loop waits: one engine,
// and the person in front of the desk comes first.
let capturing = 0;
async function withCamera(fn) {
  capturing++;
  try { return await fn(); } finally { capturing--; }
}

// ---- the card ----

// The photos this page stored, by attendee: the photo_at of each. A
// browser keeps an image it has shown for the rest of the page's life
// whatever its Cache-Control says, so the card would go on showing the
// photo a retake replaced; the photo's time in its URL makes it new.
const stored = new Map();

/** photoSrc is the URL of attendee id's photo (desk only, never cached). */
export function photoSrc(id) {
  const v = stored.get(Number(id));
  return `/api/v1/attendees/${id}/photo.jpg` + (v ? `?v=${encodeURIComponent(v)}` : '');
}

/**
 * faceTools is the card's photo and face section for attendee a: 拍照
 * (or 重新拍照), the consent checkbox with who recorded it and when,
 * whether the face reference is made, and the deletion on request. info
 * is the card answer's {photo, face}; after a change, reload redraws the
 * card.
 */
export function faceTools(a, info, reload) {
  const f = info.face || { consent: null, ref: false };
  const consent = h('input', { type: 'checkbox', id: 'card-consent', checked: f.consent === true,
    onchange: () => setConsent(a, consent, reload) });
  let who;
  if (f.consent === null || f.consent === undefined) who = bi('未询问', 'not asked yet');
  else who = bi(`${f.consent ? '同意' : '不同意'} · ${f.by || ''} ${f.at ? time(f.at) : ''}`,
    f.consent ? 'consented' : 'refused');
  let ref = null;
  if (faceOn && f.consent) {
    ref = f.ref ? bi('人脸特征已生成', 'face reference made')
      : info.photo ? bi('人脸特征待生成', 'face reference pending') : bi('需先拍照', 'needs a photo first');
  }
  return h('div', { class: 'face-tools', id: 'card-face' },
    h('button', { type: 'button', id: 'btn-photo', onclick: () => takePhoto(a, reload) },
      ...(info.photo ? bi('重新拍照', 'Retake photo') : bi('拍照', 'Take photo'))),
    h('label', { class: 'consent' }, consent, ' ', ...bi('同意人脸核验', 'Consents to face verification')),
    h('span', { class: 'consent-who', id: 'card-consent-who' }, ...who),
    ref ? h('span', { class: 'face-ref' + (f.ref ? ' ok' : ''), id: 'card-face-ref' }, ...ref) : null,
    info.photo || f.ref ? deleteButton(a, reload) : null);
}

// deleteButton deletes the person's photo and face reference on their
// request (PIPL): a second click within five seconds confirms. Their
// recorded answer stays, as the record of what they said.
function deleteButton(a, reload) {
  let armed = 0;
  const btn = h('button', { type: 'button', class: 'plain small', id: 'btn-biometrics',
    title: '本人要求时删除其照片和人脸特征（同意记录保留，操作记入审计日志）Deleted on the person\'s request; their consent record stays; audited',
    onclick: async () => {
      if (!armed) {
        btn.replaceChildren(...bi('确认删除？', 'Click again to delete'));
        btn.classList.add('danger');
        armed = setTimeout(() => { armed = 0; btn.replaceChildren(...label); btn.classList.remove('danger'); }, 5000);
        return;
      }
      clearTimeout(armed);
      btn.disabled = true;
      try {
        await call('DELETE', `/attendees/${a.id}/biometrics`);
        stored.set(Number(a.id), `deleted-${Date.now()}`);
        toast(`已按本人要求删除 ${a.name} 的照片和人脸特征`, 'Photo and face reference deleted on request');
      } catch (err) { fail(err); }
      await reload();
    } });
  const label = bi('删除照片和人脸特征', 'Delete photo & face data');
  btn.append(...label);
  return btn;
}

async function setConsent(a, box, reload) {
  const yes = box.checked;
  box.disabled = true;
  try {
    await call('PUT', `/attendees/${a.id}/consent`, { face: yes });
    toast(yes ? `已记录 ${a.name} 同意人脸核验` : `已记录 ${a.name} 不同意人脸核验，人脸特征已删除`,
      yes ? 'Consent recorded' : 'Refusal recorded; the face reference is deleted');
    kick();
  } catch (err) {
    box.checked = !yes;
    fail(err);
  }
  box.disabled = false;
  await reload();
}

async function takePhoto(a, reload) {
  const got = await withCamera(() => capture({
    title: [`拍照：${a.name}`, 'Take the photo'], engine: faceEngine(), embed: false,
  }));
  if (!got) return;
  try {
    const r = await call('PUT', `/attendees/${a.id}/photo`, got.blob);
    stored.set(Number(a.id), r.photo_at);
    toast('照片已保存', 'Photo saved');
    kick();
  } catch (err) { fail(err); }
  await reload();
}

// ---- references, in the background ----

let faceOn = false;
let wake = null; // resolves the loop's wait early
let kicked = false; // something changed while the loop was busy
function kick() {
  kicked = true;
  wake?.();
}

function progressBox() {
  let box = document.getElementById('face-progress');
  if (!box) {
    box = h('div', { id: 'face-progress', class: 'face-progress', role: 'status', hidden: true });
    (document.getElementById('btn-forgot') || document.getElementById('result-meta'))?.after(box);
  }
  return box;
}

function fmt(n) { return n.toLocaleString('en-US'); }

/**
 * references computes, one by one, the references the server lists as
 * pending (people who consented, with a photo, without a reference of this
 * model): the photo, the face engine's descriptor, PUT …/face. It shows
 * "人脸特征 812 / 1,000" while it works, and looks again every minute or
 * when the desk stores a photo or a consent.
 */
async function references() {
  const box = progressBox();
  const key = (it) => `${it.id} ${it.photo_at}`;
  const noFace = new Set(); // photos without a face: not tried again this visit
  for (;;) {
    kicked = false;
    let items = null;
    let status = null;
    try {
      const model = encodeURIComponent(face.MODEL);
      [{ items }, status] = await Promise.all([call('GET', `/faces/pending?model=${model}`), call('GET', `/faces/status?model=${model}`)]);
    } catch { /* the server is away: ask again later */ }
    if (items) {
      const todo = items.filter((it) => !noFace.has(key(it)));
      // The server's counts: made, and still to make (the photos without
      // a face among them, until retaken).
      let done = status?.refs || 0;
      const total = done + (status?.pending ?? items.length);
      const failed = () => items.filter((it) => noFace.has(key(it))).length;
      if (todo.length) {
        const { engine, error } = await faceEngine();
        if (!engine) {
          box.hidden = false;
          box.className = 'face-progress bad';
          box.replaceChildren(...bi(`人脸特征无法生成：${error?.zh || ''}`, `Face references cannot be made here: ${error?.en || ''}`));
          return;
        }
        for (const it of todo) {
          while (capturing) await new Promise((r) => setTimeout(r, 500));
          show(box, done, total, failed());
          const got = await reference(engine, it);
          if (got === 'ok') done++;
          else if (got === 'no_face') noFace.add(key(it));
          else if (got === 'error') break; // the server or the engine failed: next round
          // 'changed': the photo or the consent changed meanwhile; the next round lists what is left.
        }
      }
      if (total === 0) box.hidden = true;
      else show(box, done, total, failed());
    }
    if (!kicked) await new Promise((r) => { wake = r; setTimeout(r, PENDING_POLL_MS); });
    wake = null;
  }
}

function show(box, done, total, failed) {
  box.hidden = false;
  box.className = 'face-progress' + (failed ? ' warn' : '');
  box.dataset.done = done;
  box.dataset.total = total;
  box.dataset.noface = failed;
  box.replaceChildren(...[`人脸特征 ${fmt(done)} / ${fmt(total)}`,
    failed ? h('span', { class: 'failed' }, `（${failed} 张照片未找到人脸，请重新拍照）`) : null,
    h('span', { class: 'en' }, `Face references${failed ? ` — no face found in ${failed} photo${failed > 1 ? 's' : ''}: retake` : ''}`)].filter(Boolean));
}

// reference makes one person's reference: it answers 'ok', 'no_face',
// 'changed' (409: the photo was replaced or the consent withdrawn
// meanwhile) or 'error'.
async function reference(engine, it) {
  let res;
  try {
    const blob = await download(`/attendees/${it.id}/photo.jpg`);
    res = await engine.analyse(blob, { embed: true });
  } catch (err) {
    return err.status === 404 ? 'changed' : 'error';
  }
  const emb = res.faces[0]?.embedding;
  if (!emb) return 'no_face';
  try {
    await call('PUT', `/attendees/${it.id}/face`, { model: face.MODEL, ref: face.toBase64(emb), photo_at: it.photo_at });
  } catch (err) {
    return err.status === 409 ? 'changed' : 'error';
  }
  return 'ok';
}

// ---- 忘带证件: who is this? ----

async function forgot(state, openCard) {
  // Without the engine there is nothing to search with: say so rather
  // than take a picture for nothing.
  const { engine, error } = await faceEngine();
  if (!engine) {
    toast(`无法刷脸查找：${error?.zh || ''}。请按姓名查找并核对证件`, `Cannot search by face: ${error?.en || ''}. Find the person by name and check an ID`, true);
    return;
  }
  const got = await withCamera(() => capture({
    title: ['忘带证件：刷脸查找', 'Forgot the badge: find by face'], use: ['查找', 'Search'],
    engine: faceEngine(), embed: true,
  }));
  if (!got) return;
  const emb = got.result?.faces?.[0]?.embedding;
  if (!emb) {
    toast('未能从照片中取得人脸特征，请重拍', 'No face descriptor from the picture: take it again', true);
    return;
  }
  let matches;
  try {
    ({ matches } = await call('POST', '/faces/search', { model: face.MODEL, ref: face.toBase64(emb) }));
  } catch (err) { fail(err); return; }
  showMatches(state, openCard, matches);
}

function matchesDialog() {
  let dlg = document.getElementById('forgot');
  if (!dlg) {
    dlg = h('dialog', { id: 'forgot', class: 'forgot' });
    document.body.append(dlg);
  }
  return dlg;
}

// distance says how far a match's reference is from the picture, and
// whether it is within the threshold the kiosks pass at: a hint for the
// person who decides, never the decision.
function distance(d) {
  const near = d <= (face?.THRESHOLD ?? 0.3);
  return h('div', { class: 'dist' + (near ? ' near' : '') },
    `差异 ${d.toFixed(2)} · ${near ? '在阈值内' : '超出阈值'}`,
    h('span', { class: 'en' }, `distance ${d.toFixed(2)}, ${near ? 'within' : 'beyond'} the threshold ${(face?.THRESHOLD ?? 0.3).toFixed(2)}`));
}

function showMatches(state, openCard, matches) {
  const dlg = matchesDialog();
  const close = () => dlg.close();
  const pick = async (m) => {
    close();
    location.hash = '#search';
    await openCard(state, m.id);
    toast(`已打开 ${m.name} 的名片：核对本人后再补签或补办证件`, `${m.name}'s card: check the person, then 补签 or reprint`);
  };
  const rows = matches.map((m, i) => {
    const k = state.categories[m.category];
    return h('li', { class: 'match', dataset: { id: m.id, rank: i + 1 } },
      h('figure', { class: 'photo' }, h('img', { src: photoSrc(m.id), alt: `${m.name} 照片` })),
      h('div', { class: 'who' },
        h('div', { class: 'name' }, m.name, k ? h('span', { class: 'chip', style: `background:${k.Color}` }, k.Name) : null),
        h('div', { class: 'sub' }, [m.organization, m.delegation].filter(Boolean).join(' · ')),
        distance(m.distance)),
      h('button', { type: 'button', class: 'primary confirm', onclick: () => pick(m) }, ...bi('是此人', 'This is the person')));
  });
  dlg.replaceChildren(
    h('h2', {}, ...bi('最相似的人员', 'The most similar people')),
    h('p', { class: 'hint' }, ...bi('请对照照片核对本人（必要时查验身份证件），确认后打开其名片补签或补办证件。系统不作认定。',
      'Compare the person with the photos (and an ID card if need be); confirming opens the card for 补签 or a reprint. The system decides nothing.')),
    matches.length ? h('ol', { class: 'matches', id: 'forgot-matches' }, rows)
      : h('p', { class: 'banner bad' }, ...bi('没有可比对的人脸特征（无人同意或尚未生成）', 'No face references to compare with (no consents, or none made yet)')),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', id: 'forgot-again', onclick: () => { close(); forgot(state, openCard); } }, ...bi('重新拍照', 'Take again')),
      h('button', { type: 'button', id: 'forgot-close', onclick: close }, ...bi('关闭', 'Close'))));
  dlg.showModal();
}

/**
 * initFaces starts the desk's face features once the event is loaded:
 * with face verification enabled, the 忘带证件 button and the background
 * references. openCard opens a person's card (card.js).
 */
export async function initFaces(state, openCard) {
  const def = await definition(state).catch(() => null);
  faceOn = !!def?.event?.face_verification;
  const btn = document.getElementById('btn-forgot');
  if (btn) {
    btn.hidden = !faceOn;
    btn.onclick = () => forgot(state, openCard).catch(fail);
  }
  if (!faceOn) return;
  face ??= await import('/static/common/face.js');
  references().catch(fail);
}

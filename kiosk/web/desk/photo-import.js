// 照片导入: a ZIP of photos, or a folder of them, matched to attendees by
// 编号, 身份证号 or name. The server checks first (a dry run that stores
// nothing) and the desk sees every file in one list — matched, unmatched,
// ambiguous, duplicates, bad — before 导入 stores the matched ones in one
// go. A folder's photos go up one by one (form field "files", each named
// by its path in the folder); its other files stay on the computer and
// are listed as not photos.
import { upload, APIError } from '/static/common/api.js';
import { h, bi, toast } from '/static/common/dom.js';

// The server's budgets for one batch (docs/photos.md): a ZIP of at most
// 10 MB; photo files of at most 10 MB and 2,000 files in all.
const MAX_BYTES = 10 << 20;
const MAX_FILES = 2000;
const PHOTO = /\.(jpe?g|png)$/i;
// What systems leave in a folder; the server skips these too.
const SYSTEM = /(^|\/)(\.[^/]*|thumbs\.db|desktop\.ini)$/i;

const byWords = { key: ['编号', 'by 编号'], id_number: ['身份证号', 'by ID number'], name: ['姓名', 'by name'] };

let els;
// The batch being checked: {zip: File} or {files: File[], left: [names]}.
let batch = null;

function mb(n) { return n < 1 << 20 ? Math.max(1, Math.round(n / 1024)) + ' KB' : (n / (1 << 20)).toFixed(1) + ' MB'; }

function step(n) {
  els.steps.forEach((li, i) => li.classList.toggle('on', i + 1 === n));
}

function progress(got, total, zh, en) {
  const bar = els.bar;
  bar.hidden = false;
  const pct = total ? Math.min(100, Math.round(100 * got / total)) : 100;
  bar.querySelector('.fill').style.width = pct + '%';
  bar.querySelector('.label').textContent = `${zh} ${pct}% · ${en}`;
}

// form is the batch as the server takes it.
function form() {
  const fd = new FormData();
  if (batch.zip) fd.append('file', batch.zip);
  else for (const f of batch.files) fd.append('files', f, f.webkitRelativePath || f.name);
  return fd;
}

async function send(dry) {
  const [zh, en] = dry ? ['上传检查', 'checking'] : ['导入中', 'importing'];
  const { data } = await upload(`/photos/import${dry ? '?dry_run=1' : ''}`, form(),
    { progress: (got, total) => progress(got, total, zh, en) });
  progress(1, 1, '完成', 'done');
  return data;
}

// who is a person as the report names them: name, 编号, organisation.
function who(p) {
  return h('span', { class: 'who' }, h('b', {}, p.name), p.key ? [' ', h('span', { class: 'key' }, p.key)] : null,
    p.organization ? [' ', h('span', { class: 'org' }, p.organization)] : null);
}

function section(id, zh, en, n, kind, body) {
  if (!n) return null;
  return h('section', { class: 'ph-part ' + kind, id },
    h('h2', {}, `${zh}（${n}）`, h('span', { class: 'en' }, en)), body);
}

function table(head, rows) {
  return h('table', { class: 'ph-table' },
    h('thead', {}, h('tr', {}, head.map(([zh, en]) => h('th', {}, zh, h('span', { class: 'en' }, en))))),
    h('tbody', {}, rows));
}

// counts is the report's summary line, one figure a list.
function counts(rep, left) {
  const bad = rep.bad.length + left.length;
  const item = (n, zh, en, kind) => h('span', { class: 'ph-count ' + kind + (n ? '' : ' zero') },
    h('b', {}, n), zh, h('span', { class: 'en' }, en));
  return h('div', { class: 'ph-counts', id: 'photo-counts' },
    item(rep.matched.length, rep.dry_run ? '可导入' : '已导入', rep.dry_run ? 'matched' : 'stored', 'ok'),
    item(rep.unmatched.length, '未匹配', 'unmatched', 'warn'),
    item(rep.ambiguous.length, '重名', 'ambiguous', 'warn'),
    item(rep.duplicates.length, '重复', 'duplicates', 'warn'),
    item(bad, '无法使用', 'not usable', 'bad'),
    rep.skipped ? h('span', { class: 'ph-skipped' }, `另跳过系统文件 ${rep.skipped} 个`, h('span', { class: 'en' }, `${rep.skipped} system files skipped`)) : null);
}

// lists shows every file of the report in its list.
function lists(rep, left) {
  const bad = [...rep.bad, ...left.map((file) => ({ file, code: 'not_photo', message: {
    zh: '不是 JPEG 或 PNG 照片，未上传', en: 'not a JPEG or PNG photo; not sent' } }))];
  return [
    section('photo-matched', rep.dry_run ? '将导入' : '已导入', rep.dry_run ? 'To be stored' : 'Stored', rep.matched.length, 'ok',
      table([['文件', 'File'], ['人员', 'Attendee'], ['依据', 'Matched'], ['', '']], rep.matched.map((m) => h('tr', { dataset: { id: m.attendee_id } },
        h('td', { class: 'file' }, m.file), h('td', {}, who(m)),
        h('td', { class: 'by' }, ...bi(...(byWords[m.by] || [m.by, m.by]))),
        h('td', { class: 'ph-note' }, m.replaces ? bi('替换现有照片', 'replaces the photo on file') : null))))),
    section('photo-ambiguous', '重名：请把文件改名为编号', "Ambiguous — rename the file to the person's 编号", rep.ambiguous.length, 'warn',
      table([['文件', 'File'], ['可能是', 'Could be']], rep.ambiguous.map((a) => h('tr', {},
        h('td', { class: 'file' }, a.file), h('td', {}, h('ul', { class: 'cands' }, a.candidates.map((c) => h('li', {}, who(c))))))))),
    section('photo-duplicates', '重复：同一人有多个文件，均未导入', 'Duplicates — one person, several files; none is stored', rep.duplicates.length, 'warn',
      table([['人员', 'Attendee'], ['文件', 'Files']], rep.duplicates.map((d) => h('tr', {},
        h('td', {}, who(d)), h('td', { class: 'file' }, d.files.map((f) => h('div', {}, f))))))),
    section('photo-unmatched', '未匹配：名单中找不到此人', 'Unmatched — no one on the list by this name', rep.unmatched.length, 'warn',
      h('ul', { class: 'ph-files' }, rep.unmatched.map((u) => h('li', { class: 'file' }, u.file)))),
    section('photo-bad', '无法使用', 'Not usable', bad.length, 'bad',
      table([['文件', 'File'], ['原因', 'Reason']], bad.map((b) => h('tr', { dataset: { code: b.code } },
        h('td', { class: 'file' }, b.file), h('td', {}, b.message.zh, h('span', { class: 'en' }, b.message.en)))))),
  ];
}

function render(rep) {
  const left = batch.left || [];
  const n = rep.matched.length;
  const what = batch.zip ? batch.zip.name : `${batch.files.length + left.length} 个文件 files`;
  const summary = rep.dry_run
    ? (n ? h('p', { class: 'summary ok', id: 'photo-summary' }, `检查完成，尚未保存任何照片：${n} 张可导入。`,
      h('span', { class: 'en' }, `Checked; nothing stored yet: ${n} photos can be imported.`))
      : h('p', { class: 'summary bad', id: 'photo-summary' }, '没有可导入的照片，未保存任何照片。请按下面的说明改名后重新选择。',
        h('span', { class: 'en' }, 'No photo can be imported; nothing was stored. Rename the files as shown below and choose them again.')))
    : h('p', { class: 'summary ok', id: 'photo-done' }, `导入完成：已保存 ${rep.stored} 张照片。`,
      h('span', { class: 'en' }, `Imported: ${rep.stored} photos stored.`));
  const buttons = h('div', { class: 'ph-buttons' },
    rep.dry_run && n ? h('button', { type: 'button', class: 'primary', id: 'photo-confirm', onclick: confirm },
      ...bi(`导入 ${n} 张照片`, `Import ${n} photos`)) : null,
    h('button', { type: 'button', id: 'photo-cancel', onclick: reset },
      ...(rep.dry_run ? bi('取消', 'Cancel and start over') : bi('再导入一批', 'Import another batch'))));
  els.report.replaceChildren(h('div', { class: 'report ph-report' },
    h('div', { class: 'ph-head' }, summary, h('span', { class: 'ph-source' }, what)),
    counts(rep, left), buttons, lists(rep, left)));
}

async function check() {
  if (!batch) { toast('请先选择压缩包或文件夹', 'Choose a ZIP or a folder first', true); return; }
  els.report.replaceChildren();
  els.check.disabled = true;
  try {
    render(await send(true));
    step(2);
  } catch (err) { els.bar.hidden = true; showError(err); } finally { els.check.disabled = false; }
}

async function confirm() {
  const btn = document.getElementById('photo-confirm');
  btn.disabled = true;
  document.getElementById('photo-cancel').disabled = true;
  try {
    const rep = await send(false);
    step(3);
    render(rep);
    toast(`已导入 ${rep.stored} 张照片`, `${rep.stored} photos imported`);
  } catch (err) { els.bar.hidden = true; showError(err); }
}

function reset() {
  batch = null;
  els.zip.value = '';
  els.folder.value = '';
  els.chosen.replaceChildren();
  els.report.replaceChildren();
  els.bar.hidden = true;
  step(1);
}

// showError says plainly why the server took nothing: its words and its
// code, or why the batch was not sent.
function showError(err, code = '') {
  const zh = err.zh || err.message;
  const en = err.en || err.message;
  const c = err instanceof APIError ? err.code : code;
  els.report.replaceChildren(h('div', { class: 'report', role: 'alert' },
    h('p', { class: 'summary bad', id: 'photo-error', dataset: { code: c } }, `未导入任何照片：${zh}`,
      h('span', { class: 'en' }, `Nothing was imported: ${en}`)),
    c ? h('p', { class: 'ph-code' }, `错误代码 Error code: ${c}`) : null,
    h('div', { class: 'ph-buttons' }, h('button', { type: 'button', id: 'photo-cancel', onclick: reset }, ...bi('重新选择', 'Start over')))));
  toast(zh, en, true);
}

// choose takes what the inputs hold as the batch, refusing at once what
// the server would refuse for its size.
function choose(kind) {
  els.report.replaceChildren();
  els.bar.hidden = true;
  step(1);
  batch = null;
  let bytes = 0;
  let text;
  if (kind === 'zip') {
    els.folder.value = '';
    const zip = els.zip.files[0];
    if (!zip) { els.chosen.replaceChildren(); return; }
    batch = { zip };
    bytes = zip.size;
    text = bi(`压缩包 ${zip.name}（${mb(bytes)}）`, `ZIP ${zip.name} (${mb(bytes)})`);
  } else {
    els.zip.value = '';
    const all = [...els.folder.files].filter((f) => !SYSTEM.test(f.webkitRelativePath || f.name));
    if (!all.length) { els.chosen.replaceChildren(); return; }
    const files = all.filter((f) => PHOTO.test(f.name));
    const left = all.filter((f) => !PHOTO.test(f.name)).map((f) => f.webkitRelativePath || f.name);
    batch = { files, left };
    bytes = files.reduce((s, f) => s + f.size, 0);
    const folder = (all[0].webkitRelativePath || '').split('/')[0] || '';
    text = bi(`文件夹 ${folder}：照片 ${files.length} 张（${mb(bytes)}）${left.length ? `，另有 ${left.length} 个非照片文件不上传` : ''}`,
      `folder ${folder}: ${files.length} photos (${mb(bytes)})${left.length ? `; not photos, not sent: ${left.length}` : ''}`);
    if (files.length > MAX_FILES) {
      els.chosen.replaceChildren(h('span', {}, ...text));
      showError({ zh: `照片过多（${files.length} 张，上限 ${MAX_FILES} 张），请分成几个文件夹导入`,
        en: `too many photos (${files.length}, at most ${MAX_FILES}); import them in several folders` }, 'files_too_many_files');
      batch = null;
      return;
    }
  }
  els.chosen.replaceChildren(h('span', {}, ...text));
  if (bytes > MAX_BYTES) {
    showError({ zh: `所选照片合计 ${mb(bytes)}，超过 10 MB，请分成几批导入`,
      en: `the photos chosen add up to ${mb(bytes)}, over 10 MB; import them in several batches` },
    batch.zip ? 'file_too_large' : 'files_too_large');
    batch = null;
  }
}

/** initPhotoImport builds the 照片导入 panel in view. */
export function initPhotoImport(view) {
  const steps = [bi('选择照片', 'Choose'), bi('检查', 'Check'), bi('导入', 'Import')].map((t, i) => h('li', { class: i ? '' : 'on' }, ...t));
  els = {
    steps,
    zip: h('input', { type: 'file', id: 'photo-zip', accept: '.zip,application/zip', onchange: () => choose('zip') }),
    folder: h('input', { type: 'file', id: 'photo-folder', webkitdirectory: true, multiple: true, onchange: () => choose('folder') }),
    chosen: h('p', { class: 'ph-chosen', id: 'photo-chosen' }),
    check: h('button', { type: 'submit', class: 'primary', id: 'photo-check' }, ...bi('检查照片', 'Check the photos')),
    bar: h('div', { class: 'progress', id: 'photo-progress', hidden: true }, h('div', { class: 'fill' }), h('span', { class: 'label' })),
    report: h('div', { id: 'photo-report' }),
  };
  view.replaceChildren(
    h('h1', {}, ...bi('照片导入', 'Import photos')),
    h('ol', { class: 'steps' }, steps),
    h('div', { class: 'ph-intro' },
      h('p', {}, '每人一个文件，以编号、身份证号或姓名命名，例如 D0001.jpg、张伟.jpg、D0001_张伟.jpg；JPEG 或 PNG。先检查，确认后才保存。',
        h('span', { class: 'en' }, 'One file a person, named by 编号, ID number or name (D0001.jpg, 张伟.jpg, D0001_张伟.jpg); JPEG or PNG. Checked first; nothing is stored until you confirm.'))),
    h('form', { class: 'ph-pick', id: 'photo-form', onsubmit: (e) => { e.preventDefault(); check(); } },
      h('label', { class: 'drop' }, ...bi('ZIP 压缩包，最大 10 MB', 'A ZIP of photos, up to 10 MB'), els.zip),
      h('div', { class: 'ph-or' }, '或', h('span', { class: 'en' }, 'or')),
      h('label', { class: 'drop' }, ...bi('照片文件夹（合计最大 10 MB）', 'A folder of photos (10 MB in all)'), els.folder),
      h('div', { class: 'ph-go' }, els.check)),
    h('div', { class: 'ph-status' }, els.chosen, els.bar), els.report);
}

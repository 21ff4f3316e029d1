// The 会议筹备表 (set-up workbook) path, used by the first-run wizard and
// the 会议设置 tab: download the blank template or the current set-up,
// upload a filled workbook for a dry run, read the report, then confirm.
// The server's workbook calls may not exist yet: a 404 says so in words.
import { call, download } from '/static/common/api.js';
import { h, bi, toast, fail } from '/static/common/dom.js';
import { report, errorList, inUse } from './setup-fields.js';

/** saveFile fetches path (under /api/v1) and hands it to the browser as
 *  name; a 404 says the server cannot make it yet. */
export async function saveFile(path, name, zh, en) {
  try {
    const blob = await download(path);
    const a = h('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
  } catch (err) {
    if (err.status === 404 && err.code !== 'no_event') toast(`${zh}暂不可用：服务器尚未提供（HTTP 404）`, `${en} is not available from this server yet (HTTP 404)`, true);
    else fail(err);
  }
}

function post(file, dry) {
  const fd = new FormData();
  fd.append('file', file);
  return call('POST', `/event/workbook${dry ? '?dry_run=1' : ''}`, fd);
}

/**
 * uploader is the workbook box: choose a file, check it (dry run), read
 * the report, confirm. prefix names its elements (wiz, setup); onDone runs
 * after the real upload with the report.
 */
export function uploader(prefix, { confirmZh, confirmEn, onDone }) {
  const file = h('input', { type: 'file', id: `${prefix}-workbook-file`, accept: '.xlsx' });
  const out = h('div', { id: `${prefix}-workbook-report`, class: 'workbook-report' });
  const check = h('button', { type: 'button', id: `${prefix}-workbook-check` }, bi('检查筹备表', 'Check the workbook'));
  file.addEventListener('change', () => out.replaceChildren());
  check.onclick = async () => {
    const f = file.files[0];
    if (!f) { toast('请先选择会议筹备表文件', 'Choose the workbook file first', true); return; }
    out.replaceChildren(h('p', { class: 'hint' }, bi('检查中…', 'Checking…')));
    try {
      const rep = await post(f, true);
      const go = h('button', { type: 'button', class: 'primary big', id: `${prefix}-workbook-confirm` }, bi(confirmZh, confirmEn));
      go.onclick = async () => {
        go.disabled = true;
        try {
          const done = await post(f, false);
          out.replaceChildren(report(done, false));
          onDone(done);
        } catch (err) { go.disabled = false; show(out, err); }
      };
      out.replaceChildren(report(rep, true), ...(rep.unchanged ? [] : [go]));
    } catch (err) { show(out, err); }
  };
  return h('div', { class: 'workbook' }, h('label', { class: 'drop' }, bi('会议筹备表（XLSX）', 'Set-up workbook (XLSX)'), file), check, out);
}

function show(out, err) {
  if (err.status === 404 && !err.body?.errors) {
    out.replaceChildren(h('p', { class: 'summary bad' }, '本服务器暂不支持上传会议筹备表（HTTP 404），请逐项填写。',
      h('span', { class: 'en' }, 'This server cannot read set-up workbooks yet (HTTP 404): fill in the pages instead.')));
    return;
  }
  if (err.code === 'in_use') { out.replaceChildren(inUse(err)); return; }
  const errors = err.body?.errors;
  if (errors?.length) {
    out.replaceChildren(h('p', { class: 'summary bad' }, `筹备表有 ${errors.length} 处错误，未做任何修改。请改正后重新上传。`,
      h('span', { class: 'en' }, `The workbook has ${errors.length} errors; nothing was changed. Fix them and upload it again.`)), errorList(errors));
    return;
  }
  out.replaceChildren(h('p', { class: 'summary bad' }, err.zh || String(err), h('span', { class: 'en' }, err.en || '')));
}

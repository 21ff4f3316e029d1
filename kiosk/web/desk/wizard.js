// The import wizard: choose a file, let the server check it (a dry run that
// stores nothing) and show what it understood — the format, which column
// holds what, every error by row and column, the warnings — then confirm.
import { upload, APIError } from '/static/common/api.js';
import { h, bi, toast } from '/static/common/dom.js';

const fieldNames = {
  key: '编号', name: '姓名', gender: '性别', ethnicity: '民族', organization: '单位', title: '职务', rank: '排序',
  category: '类别', delegation: '代表团', group: '分组', phone: '手机', id_number: '身份证号', room: '房号',
  diet: '饮食', accessibility: '无障碍', notes: '备注', arrival: '抵达时间', departure: '返程时间',
};

/** setProgress fills a .progress bar; total 0 means unknown size. */
function setProgress(el, got, total, zh, en) {
  el.hidden = false;
  const pct = total ? Math.min(100, Math.round(100 * got / total)) : 100;
  el.querySelector('.fill').style.width = (total ? pct : 100) + '%';
  const size = got > 1e6 ? (got / 1e6).toFixed(1) + ' MB' : Math.round(got / 1e3) + ' KB';
  el.querySelector('.label').textContent = `${zh} ${total ? pct + '%' : size} · ${en}`;
}

// send posts the file with upload progress; a 422 with a report (not an
// {error}) lists the rows to correct.
async function send(file, dry, bar) {
  const fd = new FormData();
  fd.append('file', file);
  const progress = (got, total) => setProgress(bar, got, total, dry ? '上传检查' : '导入中', dry ? 'uploading' : 'importing');
  try {
    const { status, data } = await upload(`/import${dry ? '?dry_run=1' : ''}`, fd, { accept: [422], progress });
    setProgress(bar, 1, 1, '完成', 'done');
    return { status, report: data };
  } catch (err) {
    if (err instanceof APIError) setProgress(bar, 1, 1, '完成', 'done'); // the server answered
    throw err;
  }
}

function step(n) {
  for (let i = 1; i <= 3; i++) document.getElementById('step-' + i).classList.toggle('on', i === n);
}

function issuesTable(list, kind) {
  return h('table', { class: 'issues ' + kind },
    h('thead', {}, h('tr', {}, h('th', {}, '行 Row'), h('th', {}, '列 Column'), h('th', {}, '问题 Problem'))),
    h('tbody', {}, list.map((is) => h('tr', { class: kind },
      h('td', { class: 'row' }, `第 ${is.row} 行`),
      h('td', { class: 'col' }, is.column ? `${is.column} 列${is.header ? '（' + is.header + '）' : ''}` : (is.header || '—')),
      h('td', {}, is.message, h('span', { class: 'en' }, is.message_en))))));
}

function render(rep, file, onConfirm) {
  const box = document.getElementById('import-report');
  const cols = Object.entries(rep.columns || {}).sort((a, b) => a[1].localeCompare(b[1]) || a[1].length - b[1].length);
  const ok = rep.error_count === 0;
  const summary = ok
    ? h('p', { class: 'summary ok', id: 'import-summary' }, `检查通过：将新增 ${rep.created} 人，更新 ${rep.updated} 人。`,
      h('span', { class: 'en' }, `No errors: ${rep.created} to create, ${rep.updated} to update.`))
    : h('p', { class: 'summary bad', id: 'import-summary' }, `发现 ${rep.error_count} 个错误，未导入任何数据。请在表格中改正后重新上传。`,
      h('span', { class: 'en' }, `${rep.error_count} errors; nothing was stored. Fix the file and upload it again.`));
  box.replaceChildren(h('div', { class: 'report' },
    summary,
    ok ? h('p', {}, h('button', { class: 'primary', id: 'import-confirm', onclick: onConfirm },
      bi(`确认导入 ${rep.created + rep.updated} 人`, `Import ${rep.created + rep.updated} people`))) : null,
    rep.errors?.length ? [h('h2', {}, bi('错误', 'Errors')), issuesTable(rep.errors, 'err')] : null,
    h('h2', {}, bi('识别到的列', 'Columns recognised'),
      h('span', { class: 'en' }, `${file.name} · ${rep.format}${rep.sheet ? ' · ' + rep.sheet : ''} · 表头第 ${rep.header_row} 行 header row ${rep.header_row}`)),
    h('table', { class: 'mapping' }, h('tbody', {},
      h('tr', {}, h('th', {}, '列 Column'), cols.map(([, col]) => h('td', {}, col))),
      h('tr', {}, h('th', {}, '内容 Field'), cols.map(([field]) => h('td', {}, fieldNames[field] || field, h('span', { class: 'en' }, field)))))),
    rep.warnings?.length ? h('details', { open: rep.warnings.length <= 10 },
      h('summary', {}, `提醒 Warnings（${rep.warning_count}）`), issuesTable(rep.warnings, 'warn')) : null));
  summary.scrollIntoView({ block: 'start', behavior: 'instant' });
}

/** initImport wires the wizard. */
export function initImport() {
  const form = document.getElementById('import-form');
  const input = document.getElementById('import-file');
  const bar = document.getElementById('import-progress');
  const box = document.getElementById('import-report');
  input.addEventListener('change', () => { step(1); box.replaceChildren(); bar.hidden = true; });
  form.onsubmit = async (e) => {
    e.preventDefault();
    const file = input.files[0];
    if (!file) { toast('请先选择文件', 'Choose a file first', true); return; }
    box.replaceChildren();
    try {
      const { report } = await send(file, true, bar);
      step(2);
      render(report, file, async () => {
        document.getElementById('import-confirm').disabled = true;
        try {
          const done = await send(file, false, bar);
          step(3);
          if (done.status !== 200) { render(done.report, file); return; }
          box.replaceChildren(h('p', { class: 'report summary ok', id: 'import-done' },
            `导入完成：新增 ${done.report.created} 人，更新 ${done.report.updated} 人。`,
            h('span', { class: 'en' }, `Imported: ${done.report.created} created, ${done.report.updated} updated.`)));
          toast('导入完成', 'Import done');
        } catch (err) { showFileError(err); }
      });
    } catch (err) { showFileError(err); }
  };
}

// showFileError explains a file the server could not read at all.
function showFileError(err) {
  const box = document.getElementById('import-report');
  const zh = err.zh || err.message;
  const en = err.en || err.message;
  box.replaceChildren(h('p', { class: 'report summary bad', id: 'import-summary' }, `无法读取文件：${zh}`, h('span', { class: 'en' }, `Cannot read the file: ${en}`)));
  toast(zh, en, true);
}

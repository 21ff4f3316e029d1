// The first-run wizard (会议设置向导): a server with no meeting opens the
// desk here. Steps: the meeting → categories → venues → sessions → meals →
// checkpoints → check (a dry run, its report in words) → create. Every step
// can go back; a draft is kept in the browser so a reload loses nothing.
// The first step also offers the set-up workbook instead of the pages.
import { call } from '/static/common/api.js';
import { h, bi, toast, fail } from '/static/common/dom.js';
import { PART_NAMES, emptyDefinition, partOf, body } from './setup-model.js';
import { markErrors, clearErrors, report, errorList, button } from './setup-fields.js';
import { PAGES } from './setup-parts.js';
import { uploader, saveFile } from './setup-workbook.js';

const STEPS = ['event', 'categories', 'venues', 'sessions', 'meals', 'checkpoints', 'review'];
const DRAFT = 'huiwu.desk.setup-draft';

/** startWizard shows the wizard in view; onDone(hash) runs once the meeting exists. */
export function startWizard(view, onDone) {
  let def = loadDraft() || emptyDefinition();
  let step = 0;
  let errors = [];
  const pills = h('ol', { class: 'steps wiz-steps', id: 'wiz-steps' });
  const panel = h('div', { class: 'wiz-panel', id: 'wiz-panel' });
  const back = h('button', { type: 'button', id: 'wiz-back' }, bi('上一步', 'Back'));
  const next = h('button', { type: 'button', class: 'primary', id: 'wiz-next' }, bi('下一步', 'Next'));
  back.onclick = () => go(step - 1);
  next.onclick = () => go(step + 1);
  view.replaceChildren(
    h('h1', {}, '会议设置向导', h('span', { class: 'en' }, 'Set up your meeting — this server has none yet')),
    pills, panel, h('div', { class: 'wiz-nav' }, back, next));

  const save = () => { try { localStorage.setItem(DRAFT, JSON.stringify(def)); } catch { /* private mode: no draft */ } };
  const ctx = {
    get def() { return def; },
    tz: () => def.event.timezone || 'Asia/Shanghai',
    changed: () => save(),
    dirty: () => save(),
    redraw: () => draw(),
  };

  function drawPills() {
    pills.replaceChildren(...STEPS.map((s, i) => {
      const n = errors.filter((e) => partOf(e.path) === s).length;
      const [zh, en] = s === 'review' ? ['检查并建立', 'Check & create'] : PART_NAMES[s];
      return h('li', { class: (i === step ? 'on' : '') + (n ? ' has-errors' : ''), id: `wiz-pill-${s}` },
        h('a', { href: '#', onclick: (e) => { e.preventDefault(); go(i); } }, `${i + 1}. ${zh}`, h('span', { class: 'en' }, en)),
        n ? h('span', { class: 'badge' }, String(n)) : null);
    }));
  }

  function draw() {
    drawPills();
    const name = STEPS[step];
    back.disabled = step === 0;
    next.hidden = name === 'review';
    if (name === 'review') { review(); return; }
    const page = PAGES[name](ctx, { creating: true });
    panel.replaceChildren(h('h2', {}, ...bi(...PART_NAMES[name])), page, ...(name === 'event' ? [alternatives()] : []));
    panel.dataset.step = name;
    clearErrors(panel);
    markErrors(panel, errors.filter((e) => partOf(e.path) === name));
  }

  function go(i) {
    step = Math.max(0, Math.min(STEPS.length - 1, i));
    draw();
    window.scrollTo(0, 0);
  }

  // alternatives: the workbook instead of the pages, last year's export,
  // starting over.
  function alternatives() {
    const json = h('input', { type: 'file', accept: '.json,application/json', id: 'wiz-json-file' });
    json.addEventListener('change', async () => {
      const f = json.files[0];
      if (!f) return;
      try {
        const got = JSON.parse(await f.text());
        def = { ...emptyDefinition(), ...got };
        for (const p of ['categories', 'venues', 'sessions', 'meals', 'checkpoints']) def[p] ||= [];
        save();
        toast('已载入设置，请逐步核对日期和名称', 'Set-up loaded: check the dates and names step by step');
        draw();
      } catch (err) { toast('无法读取该文件：' + err.message, 'Cannot read that file: ' + err.message, true); }
    });
    return h('aside', { class: 'wiz-alt' },
      h('h2', {}, '已有会议筹备表？', h('span', { class: 'en' }, 'Have a set-up workbook?')),
      h('p', {}, bi('可以下载空白模板（内有说明和示例），在 Excel 中填好后上传：先检查，再确认建立。',
        'Download the blank template (with instructions and an example), fill it in Excel, upload it: it is checked first, then you confirm.')),
      h('div', { class: 'two' },
        button('下载空白模板', 'Blank template', () => saveFile('/event/template.xlsx', '会议筹备表（空白模板）.xlsx', '空白模板', 'The template'),
          { id: 'wiz-template' }),
        button('下载填好的示例', 'A filled example', () => saveFile('/event/example.xlsx', '会议筹备表（示例）.xlsx', '示例', 'The example'),
          { id: 'wiz-example' })),
      uploader('wiz', { confirmZh: '按此筹备表建立会议', confirmEn: 'Create the meeting from this workbook', onDone: finished }),
      h('details', { class: 'wiz-more' }, h('summary', {}, bi('更多', 'More')),
        h('label', { class: 'drop' }, bi('载入上次会议导出的设置（JSON）', 'Load a set-up exported from an earlier meeting (JSON)'), json),
        button('清空重新开始', 'Start over', () => {
          if (!confirm('清空已填写的内容？ Clear everything typed so far?')) return;
          def = emptyDefinition(); errors = []; save(); go(0);
        }, { class: 'danger small', id: 'wiz-reset' })));
  }

  async function review() {
    panel.dataset.step = 'review';
    panel.replaceChildren(h('h2', {}, ...bi('检查并建立', 'Check and create')), h('p', { class: 'hint', id: 'wiz-checking' }, bi('检查中…', 'Checking…')));
    let rep;
    try {
      rep = await call('PUT', '/event?dry_run=1', body(def));
    } catch (err) {
      if (err.body?.errors) {
        errors = err.body.errors;
        drawPills();
        panel.replaceChildren(h('h2', {}, ...bi('检查并建立', 'Check and create')),
          h('p', { class: 'summary bad', id: 'wiz-invalid' }, `还有 ${errors.length} 处需要修改，点击逐项查看：`,
            h('span', { class: 'en' }, `${errors.length} things to fix — click one to go there:`)),
          errorList(errors, (e) => go(Math.max(0, STEPS.indexOf(partOf(e.path)))), def));
        return;
      }
      panel.replaceChildren(h('p', { class: 'summary bad' }, err.zh, h('span', { class: 'en' }, err.en)));
      return;
    }
    errors = [];
    drawPills();
    const create = h('button', { type: 'button', class: 'primary big', id: 'wiz-create' }, bi('建立会议', 'Create the meeting'));
    create.onclick = async () => {
      create.disabled = true;
      try {
        const done = await call('PUT', '/event', body(def));
        finished(done);
      } catch (err) {
        create.disabled = false;
        if (err.body?.errors) { errors = err.body.errors; review(); } else fail(err);
      }
    };
    panel.replaceChildren(h('h2', {}, ...bi('检查并建立', 'Check and create')),
      h('p', { class: 'lead' }, `“${def.event.name}”　${def.event.starts_on}　${def.event.timezone}`),
      overview(def),
      report(rep, true, h('div', { class: 'wiz-create' }, create,
        h('span', { class: 'hint' }, bi('建立后仍可在“会议设置”中修改。', 'You can still change all of it under 会议设置 afterwards.')))));
  }

  function finished(rep) {
    try { localStorage.removeItem(DRAFT); } catch { /* nothing kept */ }
    view.replaceChildren(h('div', { class: 'wiz-done', id: 'wiz-done' },
      h('h1', {}, '会议已建立', h('span', { class: 'en' }, 'The meeting is set up')),
      h('p', {}, bi('下一步：导入来宾登记表，打印证件，在“设备”中配对签到机。以后可在“会议设置”中修改。',
        'Next: import the attendee list, print badges, pair the kiosks under Devices. Change the set-up later under 会议设置.')),
      h('div', { class: 'buttons' },
        button('导入名单', 'Import the list', () => onDone('#import'), { class: 'primary big', id: 'wiz-to-import' }),
        button('查看会议设置', 'Open the set-up', () => onDone('#setup'), { id: 'wiz-to-setup' })),
      report(rep, false)));
    toast('会议已建立', 'The meeting is set up');
  }

  draw();
}

// overview sums the set-up up the way a person checks it: how many seats,
// tables and beds, which sessions when.
function overview(def) {
  const sum = (list, f) => list.reduce((n, x) => n + (f(x) || 0), 0);
  const seats = (v) => sum(v.presidium || [], (n) => n) + sum(v.sections || [], (s) => s.rows * s.seats);
  const rows = def.venues.map((v) => {
    let size = '';
    if (v.kind === 'hall') size = `主席台 ${sum(v.presidium || [], (n) => n)} 座，台下 ${sum(v.sections || [], (s) => s.rows * s.seats)} 座（共 ${seats(v) + (v.seats?.length || 0)}）`;
    if (v.kind === 'room') size = v.capacity ? `${v.capacity} 人` : '';
    if (v.kind === 'dining') size = `${(v.tables || []).length} 桌 ${sum(v.tables || [], (t) => t.seats)} 座`;
    if (v.kind === 'hotel') size = `${(v.rooms || []).length} 间 ${sum(v.rooms || [], (r) => r.beds)} 床`;
    return h('tr', {}, h('td', {}, v.name || v.code), h('td', {}, size), h('td', {}, (v.doors || []).join('、')));
  });
  return h('table', { class: 'overview', id: 'wiz-overview' },
    h('thead', {}, h('tr', {}, h('th', {}, '场地 Venue'), h('th', {}, '容量 Size'), h('th', {}, '门 Doors'))), h('tbody', {}, rows));
}

function loadDraft() {
  try {
    const d = JSON.parse(localStorage.getItem(DRAFT) || 'null');
    return d && d.event && Array.isArray(d.venues) ? d : null;
  } catch { return null; }
}

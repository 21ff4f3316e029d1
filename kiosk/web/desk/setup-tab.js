// The 会议设置 (set-up) tab: the meeting's definition as editable pages,
// one per part, during the meeting. Saving is always two steps: a dry run
// whose report says in words what would change ("开幕大会 应到 430 → 431"),
// then the desk confirms. A 422 lands under the field its path names, a 409
// says plainly what is in use. Also the change log and the exports that
// start next year's meeting.
import { API, call } from '/static/common/api.js';
import { h, bi, toast, fail } from '/static/common/dom.js';
import { PARTS, PART_NAMES, body, definition, shortTime } from './setup-model.js';
import { markErrors, clearErrors, report, errorList, inUse, button } from './setup-fields.js';
import { PAGES } from './setup-parts.js';
import { uploader, saveFile } from './setup-workbook.js';

const SUBS = [...PARTS, 'log', 'export'];
const SUB_NAMES = { ...PART_NAMES, log: ['修改记录', 'Change log'], export: ['导出与筹备表', 'Export & workbook'] };

/** initSetup draws the tab; refresh() reloads the desk's own copy of the
 *  event (header, sessions, checkpoints) after a change is saved. */
export async function initSetup(state, refresh) {
  const view = document.getElementById('view-setup');
  const nav = h('nav', { class: 'subtabs', id: 'setup-nav', 'aria-label': '设置部分 Parts' });
  const page = h('div', { class: 'setup-page', id: 'setup-page' });
  const bar = h('div', { class: 'setup-bar', id: 'setup-bar' });
  const result = h('div', { class: 'setup-result', id: 'setup-result', 'aria-live': 'polite' });
  view.replaceChildren(h('h1', {}, '会议设置', h('span', { class: 'en' }, 'Set-up — the meeting, its venues, sessions, meals and doors')),
    nav, page, bar, result);
  let stored;
  try { stored = await definition(state, true); } catch (err) { fail(err); return; }
  let work = structuredClone(stored);
  const dirty = new Set();
  let sub = 'event';

  const ctx = {
    get def() { return work; },
    tz: () => work.event.timezone || 'Asia/Shanghai',
    changed: () => mark(),
    dirty: () => mark(),
    redraw: () => draw(),
  };
  function mark() {
    if (PARTS.includes(sub)) dirty.add(sub);
    drawNav();
  }

  function drawNav() {
    nav.replaceChildren(...SUBS.map((s) => h('a', { href: `#setup/${s}`, class: (s === sub ? 'on' : '') + (dirty.has(s) ? ' dirty' : ''), dataset: { sub: s } },
      SUB_NAMES[s][0], dirty.has(s) ? ' •' : '', h('span', { class: 'en' }, SUB_NAMES[s][1]))));
  }

  function draw() {
    drawNav();
    page.dataset.sub = sub;
    if (sub === 'log') { bar.replaceChildren(); changeLog(); return; }
    if (sub === 'export') { bar.replaceChildren(); exports(); return; }
    page.replaceChildren(PAGES[sub](ctx, { creating: false }));
    if (sub === 'event') page.querySelector('[data-path="event.id"]').disabled = true;
    bar.replaceChildren(
      h('button', { type: 'button', class: 'primary', id: 'setup-check', onclick: check }, bi(`检查${SUB_NAMES[sub][0]}的修改`, 'Check the changes')),
      button('放弃修改', 'Discard changes', async () => {
        // Read it again: another desk may have changed it meanwhile.
        await reload([sub]);
        result.replaceChildren();
        draw();
      }, { id: 'setup-discard' }),
      h('span', { class: 'hint' }, bi('保存前先检查：显示将要发生的变化，确认后才保存。', 'Nothing is saved until you have read what would change and confirmed.')));
  }

  function route() {
    const [name, rest] = location.hash.slice(1).split('/');
    if (name !== 'setup') return;
    const want = SUBS.includes(rest) ? rest : sub;
    if (want !== sub || !page.hasChildNodes()) {
      sub = want;
      result.replaceChildren();
      draw();
    }
  }

  function showError(err) {
    if (err.body?.errors) {
      const errors = err.body.errors;
      const left = markErrors(page, errors);
      result.replaceChildren(h('div', { class: 'setup-invalid', id: 'setup-invalid', role: 'alert' },
        h('p', { class: 'summary bad' }, `有 ${errors.length} 处错误，未做任何修改${left.length ? '' : '（已在对应的输入框下标出）'}：`,
          h('span', { class: 'en' }, `${errors.length} errors; nothing was changed${left.length ? '' : ' (marked under their fields)'}:`)),
        errorList(errors, (e) => {
          const part = (e.path || '').replace(/[[.].*$/, '');
          if (part !== sub && SUBS.includes(part)) location.hash = `#setup/${part}`;
        }, work)));
    } else if (err.code === 'in_use') {
      result.replaceChildren(inUse(err));
    } else {
      result.replaceChildren(h('p', { class: 'summary bad', role: 'alert' }, err.zh || String(err), h('span', { class: 'en' }, err.en || '')));
    }
    result.scrollIntoView({ block: 'nearest' });
  }

  async function check() {
    const part = sub;
    clearErrors(page);
    result.replaceChildren(h('p', { class: 'hint' }, bi('检查中…', 'Checking…')));
    let rep;
    try {
      rep = await call('PUT', '/event?dry_run=1', body(work, [part]));
    } catch (err) { showError(err); return; }
    if (rep.unchanged) {
      result.replaceChildren(report(rep, true));
      return;
    }
    const ok = h('button', { type: 'button', class: 'primary big', id: 'setup-confirm' }, bi('确认保存', 'Save these changes'));
    ok.onclick = () => save(part, ok);
    result.replaceChildren(h('div', { class: 'setup-dry', id: 'setup-dry' },
      h('h2', {}, ...bi('请确认以下修改', 'Please confirm these changes')),
      report(rep, true),
      h('div', { class: 'buttons' }, ok, button('返回修改', 'Back to editing', () => result.replaceChildren(), { id: 'setup-cancel' }))));
    result.scrollIntoView({ block: 'nearest' });
  }

  async function save(part, ok) {
    ok.disabled = true;
    let rep;
    try {
      rep = await call('PUT', '/event', body(work, [part]));
    } catch (err) { ok.disabled = false; showError(err); return; }
    await reload([part]);
    draw();
    result.replaceChildren(h('div', { class: 'setup-saved', id: 'setup-saved' }, report(rep, false)));
    toast(`已保存${SUB_NAMES[part][0]}`, `${SUB_NAMES[part][1]} saved`);
  }

  // reload reads the stored definition again; the parts named (or all)
  // take its values, other parts keep what the desk is still editing.
  async function reload(parts = PARTS) {
    try { stored = await definition(state, true); } catch (err) { fail(err); return; }
    for (const p of parts) { work[p] = structuredClone(stored[p]); dirty.delete(p); }
    await refresh();
  }

  async function changeLog() {
    page.replaceChildren(h('p', { class: 'hint' }, bi('读取中…', 'Loading…')));
    let list;
    try { list = await call('GET', '/event/changes'); } catch (err) { fail(err); return; }
    if (sub !== 'log') return;
    page.replaceChildren(h('h2', {}, ...bi('修改记录', 'Change log — newest first')),
      list.length ? h('ol', { class: 'change-log', id: 'setup-log' }, list.map((e) => h('li', {},
        h('div', { class: 'when' }, h('b', {}, shortTime(e.at, ctx.tz())), '　', e.actor || '—'),
        h('ul', {}, (e.changes || []).map((c) => h('li', { class: c.op }, c.words?.zh || `${c.op} ${c.part} ${c.name}`,
          h('span', { class: 'en' }, c.words?.en || ''))))))) : h('p', {}, bi('还没有修改记录。', 'No changes yet.')));
  }

  function exports() {
    const id = work.event.id;
    page.replaceChildren(
      h('h2', {}, ...bi('导出本次会议设置（不含人员）', 'Export this set-up for next year')),
      h('p', {}, bi('导出场地、场次、用餐、签到点等设置，不含人员名单和签到记录，可用于筹备下一次会议。',
        'Venues, sessions, meals and checkpoints — no people and no scans — to start the next meeting from.')),
      h('div', { class: 'buttons left' },
        h('a', { class: 'button primary', id: 'setup-export-json', href: `${API}/event/definition?download=1`, download: `huiwu-${id}-setup.json` },
          bi('下载设置（JSON）', 'Download the set-up (JSON)')),
        button('下载会议筹备表（XLSX）', 'Download as the set-up workbook (XLSX)',
          () => saveFile('/event/workbook.xlsx', `会议筹备表-${id}.xlsx`, '会议筹备表', 'The workbook'), { id: 'setup-export-xlsx' }),
        button('下载空白模板', 'Blank template', () => saveFile('/event/template.xlsx', '会议筹备表（空白模板）.xlsx', '空白模板', 'The template'))),
      h('p', { class: 'note', id: 'setup-one-meeting' }, '一个数据目录只保存一个会议。筹备下一次会议时，用新的数据目录启动服务器（-data 新目录），在会议设置向导中载入这里导出的设置或筹备表。',
        h('span', { class: 'en' }, 'One data directory holds one meeting. For the next meeting start the server on a new data directory (-data) and load this export, or the workbook, in the set-up wizard.')),
      h('h2', {}, ...bi('用筹备表修改', 'Change the set-up with a workbook')),
      h('p', {}, bi('下载上面的筹备表，修改后上传：先检查并显示将要发生的变化，确认后才保存。', 'Download the workbook above, change it and upload it: you see what would change before anything is saved.')),
      uploader('setup', { confirmZh: '确认按筹备表保存', confirmEn: 'Save the workbook\'s changes', onDone: async () => { await reload(); toast('已按筹备表保存', 'Saved from the workbook'); } }));
  }

  window.addEventListener('hashchange', route);
  const rest = location.hash.slice(1).split('/')[1];
  if (SUBS.includes(rest)) sub = rest;
  draw();
}

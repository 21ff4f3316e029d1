// The readiness board (会前检查), the exports list and batch printing.
import { API, APIError, call, download } from '/static/common/api.js';
import { h, bi, fail, time } from '/static/common/dom.js';
import { definition } from './setup-model.js';
import { chosenLayout, layoutPicker, resetLayout } from './layouts.js';
import { purgeOffer } from './purge.js';

/** initBoard shows the readiness checks and re-runs them on demand. */
export function initBoard() {
  document.getElementById('ready-refresh').onclick = loadBoard;
  loadBoard();
}

async function loadBoard() {
  const box = document.getElementById('ready-board');
  box.replaceChildren(h('p', { class: 'hint' }, bi('检查中…', 'Checking…')));
  let rep;
  try { rep = await call('GET', '/readiness'); } catch (err) { fail(err); return; }
  const verdict = { pass: ['通过', 'pass'], fail: ['未通过', 'fail'] };
  box.replaceChildren(
    h('p', { class: 'ready-summary ' + (rep.ready ? 'ok' : 'bad'), id: 'ready-summary' },
      rep.ready ? '全部检查通过，可以开门。' : `${rep.failed} 项未通过，请逐项处理。`,
      h('span', { class: 'en' }, rep.ready ? 'Every check passes.' : `${rep.failed} checks fail — see each below.`),
      h('span', { class: 'en' }, `检查时间 Checked at ${time(rep.at)}`)),
    h('div', { class: 'board' }, rep.checks.map((c) => h('section', { class: 'check ' + c.status, id: 'check-' + c.id },
      h('div', { class: 'head' },
        h('span', { class: 'title' }, c.title, h('span', { class: 'en' }, c.title_en)),
        h('span', {}, `已查 ${c.checked}`, h('span', { class: 'en' }, `${c.checked} checked`)),
        h('span', { class: 'verdict' }, c.status === 'fail' ? `${c.failed} 项未通过` : verdict[c.status][0],
          h('span', { class: 'en' }, c.status === 'fail' ? `${c.failed} failing` : verdict[c.status][1]))),
      c.items.length ? h('details', { open: c.failed <= 8 },
        h('summary', {}, `名单 Who/what（${c.failed}${c.failed > c.items.length ? '，显示前 ' + c.items.length : ''}）`),
        h('ul', {}, c.items.map((it) => h('li', {}, h('b', {}, it.name), '　', it.detail, h('span', { class: 'en' }, it.detail_en))))) : null))));
}

/** initExports lists the downloads. */
export function initExports(state) {
  const x = (path) => `${API}/exports/${path}`;
  const link = (href, zh, en) => h('a', { href, download: '' }, zh, h('span', { class: 'en' }, en));
  const rows = state.sessions.map((s) => h('tr', {},
    h('td', {}, h('b', {}, s.name), h('span', { class: 'en' }, `${s.name_en} · ${time(s.starts_at)}`)),
    h('td', {}, link(x(`sessions/${s.id}/signin.xlsx`), '签到表 XLSX', 'Sign-in sheet')),
    h('td', {}, link(`${API}/sessions/${s.id}/signin.pdf`, '签到表 PDF', 'Sign-in sheet (print)')),
    h('td', {}, link(x(`absentees.xlsx?session=${encodeURIComponent(s.id)}`), '缺席名单', 'Absentees'))));
  document.getElementById('export-list').replaceChildren(
    h('table', { class: 'exports' }, h('tbody', {}, rows)),
    h('h2', {}, bi('全会', 'Whole meeting')),
    h('table', { class: 'exports' }, h('tbody', {},
      h('tr', {}, h('td', {}, link(x('meals.xlsx'), '用餐统计（按餐次、桌号）', 'Meal counts by meal and table'))),
      h('tr', {}, h('td', {}, link(x('rooms.xlsx'), '住宿名单', 'Room list'))),
      h('tr', {}, h('td', {}, link(x('absentees.xlsx'), '缺席名单（正在进行的场次，否则最近一场）', 'Absentees of the session on now, else the nearest'))),
      h('tr', {}, h('td', {}, link(x('summary.pdf'), '会务总结 PDF（出席、到场曲线、用餐、资料、清退、后勤、值班、异常，附图表）', 'Meeting summary with charts'))),
      h('tr', { id: 'export-archive' }, h('td', {}, link(x('archive.zip'), '立卷归档 ZIP（签到表、用餐、住宿、出席率、到场曲线）', 'Archive bundle for filing'))))),
    h('h2', {}, bi('宴会桌次图', 'Banquet table plans')),
    h('div', { id: 'banquet-list' }, h('p', { class: 'hint' }, bi('读取中…', 'Loading…'))));
  banquets(state);
  purgeOffer(document.getElementById('export-archive'), x('archive.zip')); // admins only
}

// banquets lists each meal's 桌次图: every hall of the meal in one PDF
// (a page each), and each hall with tables on its own.
async function banquets(state) {
  const box = document.getElementById('banquet-list');
  let def;
  try { def = await definition(state); } catch (err) { fail(err); return; }
  const halls = new Map((def.venues || []).filter((v) => v.kind === 'dining' && (v.tables || []).length).map((v) => [v.code, v]));
  const meals = (def.meals || []).filter((m) => (m.halls || []).some((x) => halls.has(x.venue)));
  if (!meals.length) {
    box.replaceChildren(h('p', { class: 'hint' }, bi('没有安排桌次的餐次', 'No meal is served at tables')));
    return;
  }
  // A4 for the desk's printer; A3 for a hall printed large.
  const pdf = (m, venue, paper) => `${API}/meals/${encodeURIComponent(m.id)}/banquet.pdf?paper=${paper || 'a4'}${venue ? '&venue=' + encodeURIComponent(venue) : ''}`;
  const open = (href, zh, en) => h('a', { href, target: '_blank', rel: 'noopener' }, zh, h('span', { class: 'en' }, en));
  box.replaceChildren(h('table', { class: 'exports' }, h('tbody', {}, meals.map((m) => {
    const own = [...new Set(m.halls.map((x) => x.venue))].filter((v) => halls.has(v));
    return h('tr', { dataset: { meal: m.id } },
      h('td', {}, h('b', {}, m.name), h('span', { class: 'en' }, `${m.name_en || ''} ${m.date || ''}`)),
      h('td', {}, open(pdf(m), '桌次图（全部餐厅）', 'Plan, every hall'), ' ', open(pdf(m, '', 'a3'), 'A3', 'on A3')),
      h('td', {}, own.flatMap((v) => [open(pdf(m, v), halls.get(v).name, halls.get(v).name_en || v), ' '])));
  }))));
}

/** initPrint sets up batch badge printing by filter. The server makes the
 *  batch as a job: the bar counts the badges as they are made ("第 120/600
 *  张"), then says how many badges on how many pages, and opens the PDF. */
export function initPrint(state) {
  const form = document.getElementById('print-form');
  const cats = Object.values(state.categories).sort((a, b) => a.Sort - b.Sort);
  form.elements.category.replaceChildren(h('option', { value: '' }, '全部 all'),
    ...cats.map((k) => h('option', { value: k.Code }, `${k.Name} ${k.NameEn}`)));
  const bar = document.getElementById('print-progress');
  const out = document.getElementById('print-result');
  const go = form.querySelector('button[type=submit]');
  go.before(layoutPicker(state, 'print-layout')); // layouts.js: the meeting's layout, or another for this batch
  form.onsubmit = async (e) => {
    e.preventDefault();
    const body = {
      delegation: form.elements.delegation.value.trim(),
      category: form.elements.category.value,
      not_printed: form.elements.not_printed.checked,
      size: chosenLayout(state, 'print-layout'),
    };
    out.replaceChildren();
    go.disabled = true;
    try {
      let job = await call('POST', '/badges/batches', body);
      while (job.state === 'running') {
        showJob(bar, job);
        await new Promise((r) => { setTimeout(r, 250); });
        job = await call('GET', `/badges/batches/${job.id}`);
      }
      if (job.state === 'failed') throw new APIError(job.error?.code === 'missing_glyphs' ? 422 : 500, { error: job.error });
      showJob(bar, job);
      const blob = await download(`/badges/batches/${job.id}/pdf`);
      const url = URL.createObjectURL(blob);
      out.replaceChildren(h('p', { id: 'print-done', class: 'done' },
        `已生成 ${job.badges} 张证件，共 ${job.pages} 页（A4）`,
        h('span', { class: 'en' }, `${job.badges} badges on ${job.pages} A4 pages`)),
      h('p', {}, h('a', { href: url, target: '_blank', id: 'print-open' }, bi('打开 PDF 打印', 'Open the PDF to print'))));
      window.open(url, '_blank');
    } catch (err) {
      bar.hidden = true;
      fail(err);
      // Names with characters no font has: list them before anything prints.
      const who = err.details?.attendees || [];
      if (who.length) {
        out.replaceChildren(h('p', { class: 'error' }, err.zh, h('span', { class: 'en' }, err.en)),
          h('ul', { id: 'print-problems' }, who.map((p) => h('li', {}, `${p.name}（${p.field}）：${p.characters}`))));
      }
    } finally {
      go.disabled = false;
      resetLayout('print-layout'); // the next batch is on the meeting's layout again
    }
  };
}

const PHASES = {
  queued: ['排队等候', 'waiting for another batch'],
  check: ['核对字库', 'checking'],
  draw: ['排版', 'laying out'],
  write: ['写入 PDF', 'writing the PDF'],
  done: ['已完成', 'done'],
};

// showJob fills the bar from a batch job's status: checking and laying out
// count badges; the bar moves through both, then the writing.
function showJob(bar, job) {
  bar.hidden = false;
  const n = job.total || 0;
  const [zh, en] = PHASES[job.phase] || PHASES.queued;
  const step = { queued: 0, check: job.done, draw: n + job.done, write: 2 * n, done: 2.2 * n }[job.phase] ?? 0;
  bar.querySelector('.fill').style.width = `${n ? Math.round((100 * step) / (2.2 * n)) : 0}%`;
  const label = bar.querySelector('.label');
  if (job.phase === 'done') label.textContent = `${zh}：共 ${job.badges} 张 · ${en}: ${job.badges} badges`;
  else if (job.phase === 'check' || job.phase === 'draw') label.textContent = `${zh} 第 ${job.done}/${n} 张 · ${en} ${job.done} of ${n}`;
  else label.textContent = `${zh}（${n} 张）· ${en} (${n} badges)`;
  bar.dataset.phase = job.phase;
}

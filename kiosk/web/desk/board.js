// The readiness board (会前检查), the exports list and batch printing.
import { API, call, h, bi, toast, fail, time, download, setProgress } from './api.js';

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
      h('tr', {}, h('td', {}, link(x('absentees.xlsx'), '缺席名单（已开始的场次，未请假）', 'Absentees without leave, sessions begun'))),
      h('tr', {}, h('td', {}, link(x('archive.zip'), '立卷归档 ZIP（签到表、用餐、住宿、出席率、到场曲线）', 'Archive bundle for filing'))))));
}

/** initPrint sets up batch badge printing by filter. */
export function initPrint(state) {
  const form = document.getElementById('print-form');
  const cats = Object.values(state.categories).sort((a, b) => a.Sort - b.Sort);
  form.elements.category.replaceChildren(h('option', { value: '' }, '全部 all'),
    cats.map((k) => h('option', { value: k.Code }, `${k.Name} ${k.NameEn}`)));
  const bar = document.getElementById('print-progress');
  const out = document.getElementById('print-result');
  form.onsubmit = async (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (form.elements.delegation.value.trim()) p.set('delegation', form.elements.delegation.value.trim());
    if (form.elements.category.value) p.set('category', form.elements.category.value);
    if (form.elements.not_printed.checked) p.set('not_printed', '1');
    out.replaceChildren();
    try {
      const blob = await download(`${API}/badges.pdf?${p}`, (got, total) => setProgress(bar, got, total, '生成中', 'making'));
      const url = URL.createObjectURL(blob);
      out.replaceChildren(h('p', {}, h('a', { href: url, target: '_blank', id: 'print-open' }, bi('打开 PDF 打印', 'Open the PDF to print'))));
      window.open(url, '_blank');
    } catch (err) {
      bar.hidden = true;
      if (err.status === 404 && !err.body) toast('批量打印服务暂不可用（HTTP 404）', 'Batch printing is not available yet (HTTP 404)', true);
      else fail(err);
      // Names with characters no font has: list them before anything prints.
      const who = err.details?.attendees || [];
      if (who.length) {
        out.replaceChildren(h('p', { class: 'error' }, err.zh, h('span', { class: 'en' }, err.en)),
          h('ul', { id: 'print-problems' }, who.map((p) => h('li', {}, `${p.name}（${p.field}）：${p.characters}`))));
      }
    }
  };
}

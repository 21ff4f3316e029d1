// Building blocks of the set-up pages: inputs bound to a part of the
// definition (each carries the API path of its value in data-path, so that
// a 422's "sessions[2].venue" lands under the right input), and the
// server's answers shown in words: the dry-run report, the errors, what is
// in use.
import { h, bi } from '/static/common/dom.js';
import { PARTS, PART_NAMES, toLocal, toRFC, joinList, splitList, numberList } from './setup-model.js';

/**
 * bound makes an input for obj[key]; every edit writes back and calls
 * ctx.changed(path). kind: text (default), number, date, datetime, color,
 * checkbox, select (opts.options: [[value, label], …]), list (text of
 * several), numbers.
 */
export function bound(ctx, obj, key, path, kind = 'text', opts = {}) {
  const attrs = { 'data-path': path, autocomplete: 'off', class: opts.class, placeholder: opts.placeholder,
    'aria-label': opts.label, id: opts.id, size: opts.size };
  let el;
  const v = obj[key];
  switch (kind) {
    case 'select':
      el = h('select', attrs, (opts.options || []).map(([value, label]) => h('option', { value, selected: String(v ?? '') === String(value) }, label)));
      if (v && !(opts.options || []).some(([value]) => String(value) === String(v))) {
        el.append(h('option', { value: v, selected: true }, `${v}（未知 unknown）`));
      }
      break;
    case 'checkbox':
      el = h('input', { ...attrs, type: 'checkbox', checked: !!v });
      break;
    case 'datetime':
      el = h('input', { ...attrs, type: 'datetime-local', value: toLocal(v, ctx.tz()) });
      break;
    case 'number':
      el = h('input', { ...attrs, type: 'number', min: opts.min ?? '0', step: '1', value: v ?? '', class: (attrs.class || '') + ' num' });
      break;
    case 'list':
      el = h('input', { ...attrs, value: joinList(v) });
      break;
    case 'numbers':
      el = h('input', { ...attrs, value: (v || []).join(', '), inputmode: 'numeric' });
      break;
    default:
      el = h('input', { ...attrs, type: kind, value: v ?? '' });
  }
  const read = () => {
    switch (kind) {
      case 'checkbox': return el.checked;
      case 'datetime': return toRFC(el.value, ctx.tz());
      case 'number': return el.value === '' ? 0 : Number(el.value);
      case 'list': return splitList(el.value);
      case 'numbers': return numberList(el.value);
      default: return kind === 'select' ? el.value : el.value.trim();
    }
  };
  const write = () => {
    obj[key] = read();
    clearOne(el);
    ctx.changed(path, el);
    opts.after?.(obj[key]);
  };
  el.addEventListener(kind === 'select' || kind === 'checkbox' ? 'change' : 'input', write);
  if (kind === 'datetime' || kind === 'date') el.addEventListener('change', write);
  return el;
}

/** fld is a labelled field with room for its error beneath. */
export function fld(zh, en, control, cls) {
  return h('label', { class: 'fld' + (cls ? ' ' + cls : '') }, h('span', { class: 'lbl' }, zh, h('span', { class: 'en' }, en)),
    control, h('span', { class: 'field-error' }));
}

/** button is a small bilingual button. */
export function button(zh, en, onclick, attrs = {}) {
  return h('button', { type: 'button', ...attrs, onclick }, bi(zh, en));
}

/** item is one entry of a list (a venue, a session …) with its head. */
export function item(path, title, actions, ...body) {
  return h('fieldset', { class: 'item', 'data-path': path },
    h('legend', {}, h('span', { class: 'title' }, title), h('span', { class: 'item-actions' }, actions)),
    h('span', { class: 'field-error item-error' }), ...body);
}

function clearOne(el) {
  el.removeAttribute('aria-invalid');
  const box = el.closest('.fld')?.querySelector('.field-error');
  if (box) box.textContent = '';
}

/** clearErrors removes every error mark under root. */
export function clearErrors(root) {
  root.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  root.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
}

// shorter gives the paths to try for an error, the exact one first:
// "venues[0].sections[1].rows" → …sections[1] → …sections → venues[0] → venues.
function shorter(path) {
  const out = [path];
  let p = path;
  while (p) {
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) break;
    p = p.slice(0, cut);
    out.push(p);
  }
  return out;
}

/** markErrors puts each error under the input its path names (or the
 *  nearest enclosing one) and answers those with no place on this page. */
export function markErrors(root, errors) {
  const left = [];
  let first = null;
  for (const e of errors) {
    let el = null;
    for (const p of shorter(e.path || '')) {
      el = root.querySelector(`[data-path="${CSS.escape(p)}"]`);
      if (el) break;
    }
    if (!el) { left.push(e); continue; }
    const text = `${e.message?.zh || e.code}　${e.message?.en || ''}`;
    let box;
    if (el.matches('input, select, textarea')) {
      el.setAttribute('aria-invalid', 'true');
      box = el.closest('.fld')?.querySelector('.field-error');
      if (!box) {
        box = h('span', { class: 'field-error' });
        el.after(box);
      }
    } else {
      box = el.querySelector(':scope > .field-error') || el.appendChild(h('span', { class: 'field-error' }));
    }
    box.textContent = box.textContent ? `${box.textContent}；${text}` : text;
    first ||= el;
  }
  first?.scrollIntoView({ block: 'center', behavior: 'instant' });
  if (first?.matches('input, select')) first.focus({ preventScroll: true });
  return left;
}

// where names the place of an error as a person would: the part, the
// item by its name (sessions[1] → 场次“第一组分组讨论”) and the field's path.
function where(e, def) {
  if (e.sheet) return `${e.sheet}${e.row ? ` 第 ${e.row} 行` : ''}${e.column ? ` ${e.column} 列` : ''}${e.header ? `（${e.header}）` : ''}`;
  const m = /^([a-z_]+)(?:\[(\d+)\])?(.*)$/.exec(e.path || '');
  if (!m || !PART_NAMES[m[1]]) return e.path || '';
  const it = m[2] !== undefined ? def?.[m[1]]?.[Number(m[2])] : null;
  const name = it ? `“${it.name || it.id || it.code || Number(m[2]) + 1}”` : (m[2] !== undefined ? ` 第 ${Number(m[2]) + 1} 项` : '');
  const rest = m[3].replace(/^\./, '');
  const field = FIELD_NAMES[rest.replace(/^.*\./, '').replace(/\[\d+\]$/, '')];
  return `${PART_NAMES[m[1]][0]}${name}${rest ? ` · ${field ? field + '（' + rest + '）' : rest}` : ''}`;
}

const FIELD_NAMES = {
  id: '代码', code: '代码', name: '名称', name_en: '英文名称', timezone: '时区', starts_on: '首日', kind: '类型', venue: '场地',
  opens_at: '开放时间', starts_at: '开始时间', ends_at: '结束时间', closes_at: '关闭时间', date: '日期', slot: '餐别', halls: '供餐餐厅',
  door: '门', doors: '门', rows: '排数', seats: '座位数', numbering: '编号方式', presidium: '主席台', tables: '餐桌', rooms: '客房',
  beds: '床位', number: '编号', color: '颜色', session: '场次', meal: '餐次', categories: '类别', ratio: '比例', base: '基数',
  absent_from: '缺席起算',
};

/** errorList shows errors as a list, each with where it is (def, when
 *  given, names the items); onPick, when given, leads to the field. */
export function errorList(errors, onPick, def) {
  return h('ul', { class: 'setup-errors' }, errors.map((e) => {
    const place = where(e, def);
    return h('li', {}, h(onPick ? 'a' : 'b', onPick ? { href: '#', onclick: (ev) => { ev.preventDefault(); onPick(e); } } : {}, place || '—'),
      '　', e.message?.zh || e.code, h('span', { class: 'en' }, e.message?.en || ''));
  }));
}

const opWords = { created: ['新建', 'create'], updated: ['修改', 'change'], removed: ['删除', 'remove'] };
// Nouns for counting a part's items: "餐次 2", not the page's name "用餐 2".
const NOUNS = {
  event: ['会议', 'meeting'], categories: ['人员类别', 'categories'], venues: ['场地', 'venues'],
  sessions: ['场次', 'sessions'], meals: ['餐次', 'meals'], checkpoints: ['签到点', 'checkpoints'],
};

/** counts says "场地 4、场次 2" for one op of a report, parts in order. */
function counts(map, en) {
  return PARTS.filter((p) => map?.[p]).map((p) => `${NOUNS[p][en ? 1 : 0]} ${map[p]}`).join(en ? ', ' : '、');
}

/** report shows a PUT's answer in words: what it creates, changes and
 *  removes, its effects on 应到, and its warnings. action (a button) goes
 *  right under the summary; a long list of changes folds away. */
export function report(rep, dry = true, action = null) {
  if (rep.unchanged) {
    return h('div', { class: 'setup-report', id: 'setup-report-body' }, h('p', { class: 'summary' },
      bi('没有修改：与已保存的设置相同。', 'No change: this is what is stored already.')));
  }
  const ops = Object.keys(opWords).filter((op) => counts(rep[op]));
  const changes = rep.changes || [];
  const changeList = h('ul', { class: 'changes' }, changes.map((c) => h('li', { class: c.op, dataset: { part: c.part, code: c.code } },
    c.words?.zh || `${c.op} ${c.part} ${c.name}`, h('span', { class: 'en' }, c.words?.en || ''))));
  return h('div', { class: 'setup-report', id: 'setup-report-body' },
    h('p', { class: 'summary' }, dry ? '检查通过，保存后将：' : '已保存：',
      ops.map((op) => h('span', { class: 'op ' + op }, `${opWords[op][0]} ${counts(rep[op])}`)),
      h('span', { class: 'en' }, (dry ? 'Checked; saving will ' : 'Saved: ') + ops.map((op) => `${opWords[op][1]} ${counts(rep[op], true)}`).join('; '))),
    rep.effects?.length ? [h('h3', {}, bi('影响', 'Effects')),
      h('ul', { class: 'effects' }, rep.effects.map((t) => h('li', {}, t.zh, h('span', { class: 'en' }, t.en))))] : null,
    rep.warnings?.length ? [h('h3', {}, bi('提醒', 'Warnings')),
      h('ul', { class: 'warnings' }, rep.warnings.map((t) => h('li', {}, t.zh, h('span', { class: 'en' }, t.en))))] : null,
    action,
    !changes.length ? null : changes.length <= 8 ? [h('h3', {}, bi('修改内容', 'Changes')), changeList]
      : h('details', { class: 'changes' }, h('summary', {}, `修改内容 Changes（${changes.length}）`), changeList));
}

/** inUse shows a 409: nothing was changed because these are in use. */
export function inUse(err) {
  const items = err.details?.items || [];
  return h('div', { class: 'setup-conflict', id: 'setup-conflict', role: 'alert' },
    h('p', { class: 'summary' }, '未保存：以下项目已在使用，不能删除或移动。',
      h('span', { class: 'en' }, 'Not saved: these are in use and cannot be removed or moved.')),
    h('ul', {}, items.map((it) => h('li', {}, h('b', {}, `${PART_NAMES[it.part]?.[0] || it.part}“${it.name || it.code}”`), '：',
      it.reason?.zh || '', h('span', { class: 'en' }, `${it.name || it.code}: ${it.reason?.en || ''}`)))),
    items.length ? null : h('p', {}, err.zh, h('span', { class: 'en' }, err.en)));
}

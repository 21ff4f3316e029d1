// The attendee form, shared by the edit dialog and walk-in registration.
// The server checks every value as the importer does and answers problems
// per field; the form shows each under its field.
import { call } from '/static/common/api.js';
import { h, bi, toast, fail } from '/static/common/dom.js';
import { openCard } from './card.js';

const fields = [
  ['name', '姓名', 'Name', 'text'],
  ['gender', '性别', 'Gender', 'gender'],
  ['ethnicity', '民族', 'Ethnicity', 'text'],
  ['organization', '单位', 'Organisation', 'text'],
  ['title', '职务', 'Title', 'text'],
  ['category', '类别', 'Category', 'category'],
  ['delegation', '代表团', 'Delegation', 'delegation'],
  ['group', '分组', 'Discussion group', 'text'],
  ['rank', '排序', 'Rank (list order)', 'number'],
  ['phone', '手机', 'Mobile phone', 'tel'],
  ['id_number', '身份证号', 'ID number', 'text'],
  ['diet', '饮食', 'Diet (清真/素食/过敏…)', 'text'],
  ['access', '无障碍', 'Accessibility', 'text'],
  ['arrival', '抵达时间', 'Arrival', 'text'],
  ['departure', '返程时间', 'Departure', 'text'],
  ['notes', '备注', 'Notes', 'text'],
];

function control(state, prefix, [name, , , kind]) {
  const attrs = { name, id: `${prefix}-${name}`, autocomplete: 'off' };
  if (kind === 'gender') {
    return h('select', attrs, h('option', { value: '' }, '—'), h('option', { value: '男' }, '男 M'), h('option', { value: '女' }, '女 F'));
  }
  if (kind === 'category') {
    const cats = Object.values(state.categories).sort((a, b) => a.Sort - b.Sort);
    return h('select', attrs, h('option', { value: '' }, '请选择 choose…'),
      cats.map((k) => h('option', { value: k.Code }, `${k.Name} ${k.NameEn}`)));
  }
  if (kind === 'delegation') return h('input', { ...attrs, list: 'delegations' });
  if (kind === 'number') return h('input', { ...attrs, type: 'number', min: '0', step: '1' });
  return h('input', { ...attrs, type: kind === 'tel' ? 'tel' : 'text' });
}

/** buildForm fills form with the fields (plus a room for walk-ins). */
function buildForm(state, form, extra, buttons) {
  const all = extra ? [...fields, extra] : fields;
  const prefix = form.id;
  form.replaceChildren(
    ...all.map((f) => h('label', { for: `${prefix}-${f[0]}` }, f[1] + (f[0] === 'name' || f[0] === 'category' ? ' *' : ''),
      h('span', { class: 'en' }, f[2]), control(state, prefix, f), h('span', { class: 'field-error', dataset: { field: f[0] } }))),
    h('div', { class: 'buttons' }, buttons));
}

function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    out[el.name] = el.name === 'rank' ? Number(el.value || 0) : el.value.trim();
  }
  return out;
}

function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
}

/** showErrors puts a 422's per-field problems under their fields. */
function showErrors(form, err) {
  const list = err.details?.fields || [];
  let first = null;
  for (const f of list) {
    const box = form.querySelector(`.field-error[data-field="${f.field}"]`) || form.querySelector('.field-error[data-field="name"]');
    box.textContent = `${f.message} ${f.message_en}`;
    const input = form.elements[f.field];
    input?.setAttribute('aria-invalid', 'true');
    first ||= input;
  }
  first?.focus();
  toast(err.zh, err.en, true);
}

/** openEdit opens the edit dialog for attendee id; after runs once saved. */
export async function openEdit(state, id, after) {
  const dlg = document.getElementById('edit');
  const form = document.getElementById('edit-form');
  let a;
  try {
    // Only the edit form sees the full ID number.
    a = await call('GET', `/attendees/${id}?edit=1`);
  } catch (err) { fail(err); return; }
  buildForm(state, form, null, [
    h('button', { type: 'button', onclick: () => dlg.close() }, bi('取消', 'Cancel')),
    h('button', { type: 'submit', class: 'primary', id: 'edit-save' }, bi('保存', 'Save')),
  ]);
  for (const [name] of fields) form.elements[name].value = a[name] ?? '';
  const before = values(form);
  form.onsubmit = async (e) => {
    e.preventDefault();
    clearErrors(form);
    const now = values(form);
    const patch = {};
    for (const k of Object.keys(now)) if (now[k] !== before[k]) patch[k] = now[k];
    if (!Object.keys(patch).length) { dlg.close(); return; }
    try {
      const res = await call('PATCH', `/attendees/${id}`, patch);
      const zh = res.changed.map((c) => fields.find((f) => f[0] === c)?.[1] || c);
      toast(`已保存：${zh.join('、') || '无变化'}`, `Saved: ${res.changed.join(', ') || 'no change'}`);
      dlg.close();
      after?.();
    } catch (err) {
      if (err.code === 'invalid_fields') showErrors(form, err);
      else fail(err);
    }
  };
  dlg.showModal();
  form.elements.name.focus();
}

/** initWalkIn sets up walk-in registration. */
export function initWalkIn(state) {
  const form = document.getElementById('walkin-form');
  buildForm(state, form, ['room', '房号', 'Hotel room (optional)', 'text'], [
    h('button', { type: 'reset' }, bi('清空', 'Clear')),
    h('button', { type: 'submit', class: 'primary', id: 'walkin-save' }, bi('登记', 'Register')),
  ]);
  form.onsubmit = async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      const a = await call('POST', '/attendees', values(form));
      toast(`已登记 ${a.name}，可以打印证件`, `${a.name} registered — print the badge`);
      form.reset();
      location.hash = '#search';
      document.getElementById('q').value = a.name;
      document.getElementById('q').dispatchEvent(new Event('input'));
      openCard(state, a.id);
    } catch (err) {
      if (err.code === 'invalid_fields') showErrors(form, err);
      else if (err.code === 'already_registered') {
        toast(err.zh, err.en, true);
        location.hash = '#search';
        openCard(state, err.details.attendee_id);
      } else fail(err);
    }
  };
  form.elements.name.focus();
}

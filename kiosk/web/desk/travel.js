// The attendee card's travel (issue 12): the arrival and the departure as
// the secretariat keeps them — how, the flight or train, the station, the
// day and time, companions, and for the departure the ticket — shown, and
// edited in a dialog. The server reads what is typed (3月5日, 下午2点05,
// g1234) and answers each field's problem in words; this page shows them
// under their fields.
import { call } from '/static/common/api.js';
import { h, bi, toast, fail } from '/static/common/dom.js';

const MODES = { flight: ['航班', 'Flight'], train: ['火车', 'Train'], car: ['自驾', 'By car'], other: ['其他', 'Other'] };
const TICKETS = { needed: ['需代订', 'to be booked'], booked: ['已订', 'booked'], self: ['自行安排', 'their own'] };
const STATES = {
  expected: ['待接', 'to be met'], picked_up: ['已接', 'met'], missed: ['未到', 'not on it'],
  changed: ['改签', 'changed'], departed: ['已送', 'left'],
};
// A departure waits to be seen off, not met.
const LEAVING = { ...STATES, expected: ['待送', 'to be seen off'], picked_up: ['已送站', 'taken'] };
const DIRS = [['arrival', '抵达', 'Arrival'], ['departure', '返程', 'Departure']];

/** travelSection is the card's travel; it reads it itself, and after runs once it is saved. */
export function travelSection(a, after) {
  const box = h('section', { class: 'travel', id: 'card-travel' }, h('p', { class: 'hint' }, bi('读取行程…', 'Loading travel…')));
  call('GET', `/attendees/${a.id}/travel`)
    .then((tv) => box.replaceChildren(...render(a, tv, after)))
    .catch((err) => box.replaceChildren(h('p', { class: 'hint' }, bi('行程无法读取', 'Travel could not be read'), ' ', err.zh || '')));
  return box;
}

function words(map, key) {
  const w = map[key];
  return w ? [w[0], h('span', { class: 'en' }, w[1])] : (key || '—');
}

function render(a, tv, after) {
  const row = ([dir, zh, en]) => {
    const l = tv[dir];
    const head = h('th', { scope: 'row' }, zh, h('span', { class: 'en' }, en));
    if (!l) return h('tr', { dataset: { dir } }, head, h('td', { colspan: 8, class: 'none' }, '未登记', h('span', { class: 'en' }, 'not given')));
    return h('tr', { dataset: { dir } }, head,
      h('td', { class: 'mode' }, words(MODES, l.mode)),
      h('td', { class: 'number' }, l.number || '—'),
      h('td', { class: 'station' }, l.station || '—'),
      h('td', { class: 'date' }, l.date ? l.date.slice(5) : '—'),
      h('td', { class: 'time' }, l.time || '—'),
      h('td', { class: 'companions' }, l.companions ? `随行 ${l.companions} 人` : '—'),
      h('td', { class: 'ticket' }, dir === 'departure' ? [words(TICKETS, l.ticket), l.ticket_no ? h('div', { class: 'ticket-no' }, l.ticket_no) : null] : ''),
      h('td', { class: 'state' }, words(dir === 'departure' ? LEAVING : STATES, l.state)));
  };
  return [
    h('div', { class: 'travel-head' },
      h('h3', {}, '行程 Travel'),
      h('button', { id: 'btn-travel', type: 'button', onclick: () => openTravel(a, tv, after) }, bi('修改行程', 'Edit travel'))),
    h('table', { class: 'travel' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, '方式 Mode'), h('th', {}, '航班/车次 No.'), h('th', {}, '站点 Station'),
        h('th', {}, '日期 Date'), h('th', {}, '时间 Time'), h('th', {}, '随行 With'), h('th', {}, '订票 Ticket'), h('th', {}, '状态 State'))),
      h('tbody', {}, DIRS.map(row))),
  ];
}

// fieldsOf are a direction's inputs: [name, zh, en, kind, placeholder].
function fieldsOf(dir) {
  const out = [
    ['mode', '方式', 'Mode', 'mode'],
    ['number', '航班/车次', 'Flight or train', 'text', 'CA1234 / G123'],
    ['station', '站点', 'Station', 'station', '云州国际机场'],
    ['date', '日期', 'Date', 'text', '3月5日 / 2026-03-05'],
    ['time', '时间', 'Time', 'text', '14:05 / 下午2点05'],
    ['companions', '随行人数', 'Companions', 'number'],
  ];
  if (dir === 'departure') out.push(['ticket', '订票', 'Ticket', 'ticket'], ['ticket_no', '票号', 'Ticket no.', 'text']);
  out.push(['notes', '备注', 'Notes', 'text']);
  return out;
}

function control(dir, [name, , , kind, placeholder]) {
  const attrs = { name: `${dir}.${name}`, id: `travel-${dir}-${name}`, autocomplete: 'off', placeholder };
  if (kind === 'mode') return h('select', attrs, h('option', { value: '' }, '—'), Object.entries(MODES).map(([v, w]) => h('option', { value: v }, `${w[0]} ${w[1]}`)));
  if (kind === 'ticket') return h('select', attrs, h('option', { value: '' }, '—'), Object.entries(TICKETS).map(([v, w]) => h('option', { value: v }, `${w[0]} ${w[1]}`)));
  if (kind === 'station') return h('input', { ...attrs, list: 'travel-stations' });
  if (kind === 'number') return h('input', { ...attrs, type: 'number', min: '0', max: '20', step: '1' });
  return h('input', { ...attrs, type: 'text' });
}

// dialog is the travel dialog, made the first time it is needed.
function dialog() {
  let dlg = document.getElementById('travel-dialog');
  if (!dlg) {
    dlg = h('dialog', { id: 'travel-dialog', class: 'wide' }, h('h2', { id: 'travel-title' }), h('form', { id: 'travel-form', class: 'form travel-form', method: 'dialog' }),
      h('datalist', { id: 'travel-stations' }));
    document.body.append(dlg);
  }
  return dlg;
}

function values(form, dir) {
  const out = {};
  for (const [name] of fieldsOf(dir)) {
    const v = form.elements[`${dir}.${name}`].value.trim();
    out[name] = name === 'companions' ? Number(v || 0) : v;
  }
  return out;
}

/** openTravel edits a's travel tv in the dialog; after runs once saved. */
function openTravel(a, tv, after) {
  const dlg = dialog();
  const form = document.getElementById('travel-form');
  document.getElementById('travel-title').replaceChildren(`修改行程：${a.name}`, h('span', { class: 'en' }, `Travel of ${a.name}`));
  document.getElementById('travel-stations').replaceChildren(...(tv.stations || []).map((s) => h('option', { value: s.name }, s.name_en || '')));
  form.replaceChildren(
    ...DIRS.map(([dir, zh, en]) => h('fieldset', { class: 'travel-dir', dataset: { dir } },
      h('legend', {}, zh, h('span', { class: 'en' }, en),
        h('button', { type: 'button', class: 'plain small', id: `travel-clear-${dir}`, onclick: () => clear(form, dir) }, bi('清空', 'Clear'))),
      fieldsOf(dir).map((f) => h('label', { for: `travel-${dir}-${f[0]}` }, f[1], h('span', { class: 'en' }, f[2]), control(dir, f),
        h('span', { class: 'field-error', dataset: { field: `${dir}.${f[0]}` } }))))),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', onclick: () => dlg.close() }, bi('取消', 'Cancel')),
      h('button', { type: 'submit', class: 'primary', id: 'travel-save' }, bi('保存', 'Save'))));
  const before = {};
  for (const [dir] of DIRS) {
    const l = tv[dir] || {};
    for (const [name] of fieldsOf(dir)) form.elements[`${dir}.${name}`].value = l[name] ?? '';
    before[dir] = JSON.stringify(values(form, dir));
  }
  form.onsubmit = async (e) => {
    e.preventDefault();
    form.querySelectorAll('.field-error').forEach((x) => { x.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    const body = {};
    for (const [dir] of DIRS) {
      const now = values(form, dir);
      if (JSON.stringify(now) !== before[dir]) body[dir] = now;
    }
    if (!Object.keys(body).length) { dlg.close(); return; }
    try {
      await call('PUT', `/attendees/${a.id}/travel`, body);
      toast('行程已保存', 'Travel saved');
      dlg.close();
      after?.();
    } catch (err) {
      if (err.code !== 'invalid_fields') { fail(err); return; }
      let first = null;
      for (const f of err.details?.fields || []) {
        const box = form.querySelector(`.field-error[data-field="${f.field}"]`);
        if (box) box.textContent = `${f.message} ${f.message_en}`;
        const input = form.elements[f.field];
        input?.setAttribute('aria-invalid', 'true');
        first ||= input;
      }
      first?.focus();
      toast(err.zh, err.en, true);
    }
  };
  dlg.showModal();
  form.elements['arrival.mode'].focus();
}

// clear empties a direction: saved so, its leg is cancelled.
function clear(form, dir) {
  for (const [name] of fieldsOf(dir)) form.elements[`${dir}.${name}`].value = name === 'companions' ? '0' : '';
}

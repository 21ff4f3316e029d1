// handout.js — what the kiosk's result screen shows of a scan at a
// checkpoint that hands out materials (资料发放): the items to hand over
// now, big, and those the person collected before (已领) with when and
// where. Only the server decides a handout; an offline answer has none
// and the handout is recorded when the queued scan is uploaded.

import { h, fmtTime, zone } from '/static/common/dom.js';

/** stamp is when and where: 12月1日 19:40 会议酒店前台. */
function stamp(it) {
  if (!it.at) return it.place || '';
  const t = new Date(it.at);
  const part = (k) => Number(new Intl.DateTimeFormat('en', { month: 'numeric', day: 'numeric', timeZone: zone() }).formatToParts(t).find((x) => x.type === k).value);
  const day = `${part('month')}月${part('day')}日`;
  return `${day} ${fmtTime(t)} ${it.place || ''}`.trim();
}

// Statuses that let the person through: only these hand anything out.
const ACCEPTED = new Set(['ok', 'already', 'reentry', 'exit']);

/** grouped are items collected together, one line per time and place: [[stamp, [names]]]. */
function grouped(items) {
  const by = new Map();
  for (const i of items) {
    const k = stamp(i);
    by.set(k, [...(by.get(k) || []), i.name]);
  }
  return [...by];
}

/** handoutCards are the guidance cards for res's handout, none without one. */
export function handoutCards(res) {
  const ho = res.handout;
  const here = res.handout_here || [];
  if (!ho && res.offline && here.length && ACCEPTED.has(res.status)) {
    // Offline the kiosk cannot tell who is due what or has it already:
    // it names what this place hands out, for the staff to check on the
    // printed sign sheet; the upload records what the person was due.
    return [h('div', { class: 'wide sentence handout offline', dataset: { handout: 'offline', items: here.map((i) => i.code).join(',') } },
      h('dt', {}, '离线：无法核对资料是否已领', h('span', { class: 'en' }, 'Offline: cannot check what was collected')),
      h('dd', {}, `本处发放${here.map((i) => i.name).join('、')}，请查签收表后发放`,
        h('span', { class: 'en' }, `Hands out ${here.map((i) => i.name_en || i.code).join(', ')}: check the sign sheet`)))];
  }
  if (!ho) return [];
  const out = [];
  const give = ho.give || [];
  const already = ho.already || [];
  if (give.length) {
    out.push(h('div', { class: 'wide handout give', dataset: { handout: 'give', items: give.map((i) => i.code).join(',') } },
      h('dt', {}, '请发放', h('span', { class: 'en' }, 'Hand over: ' + give.map((i) => i.name_en || i.code).join(', '))),
      h('dd', {}, give.map((i) => i.name).join('、'))));
  }
  if (already.length) {
    out.push(h('div', { class: 'wide sentence handout already', dataset: { handout: 'already', items: already.map((i) => i.code).join(',') } },
      h('dt', {}, '已领', h('span', { class: 'en' }, 'Collected before')),
      h('dd', {}, ...grouped(already).map(([when, names]) => h('span', { class: 'ho-line' }, `${names.join('、')} · `, h('span', { class: 'ho-when' }, when))))));
  }
  return out;
}

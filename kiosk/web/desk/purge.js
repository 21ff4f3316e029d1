// After the meeting, once it is filed: deleting every photo, face
// reference and consent record (POST /faces/purge, admin only, audited).
// Offered beside the archive ZIP in the exports list, to admins only; a
// dialog says what goes and what stays, offers the archive first, and asks
// for a typed phrase before anything is deleted. The answer is shown as
// counts.
import { call } from '/static/common/api.js';
import { h, bi, fail, toast } from '/static/common/dom.js';

/** PHRASE is what the admin types to confirm. */
export const PHRASE = '删除全部照片';

/**
 * purgeOffer adds the purge button to row (the archive's) when the
 * signed-in user is an admin; archiveHref is the archive ZIP to offer
 * first.
 */
export async function purgeOffer(row, archiveHref) {
  let me;
  try { me = await call('GET', '/me'); } catch { return; }
  row.dataset.purge = me.role === 'admin' ? 'offered' : 'not-admin'; // what tests wait for
  if (me.role !== 'admin') return;
  const result = h('div', { id: 'purge-result', class: 'purge-result', hidden: true });
  row.querySelector('td').append(h('div', { class: 'purge' },
    h('button', { type: 'button', class: 'danger', id: 'btn-purge', onclick: () => ask(archiveHref, result).catch(fail) },
      ...bi('删除全部照片与人脸数据', 'Delete every photo and all face data')),
    result));
}

function dialog() {
  let dlg = document.getElementById('purge');
  if (!dlg) {
    dlg = h('dialog', { id: 'purge', class: 'purge' });
    document.body.append(dlg);
  }
  return dlg;
}

const item = (zh, en) => h('li', {}, zh, h('span', { class: 'en' }, en));
const sum = (m) => Object.values(m || {}).reduce((a, b) => a + b, 0);

async function ask(archiveHref, result) {
  const before = await call('GET', '/faces/status');
  const consents = before.consented + before.refused;
  const dlg = dialog();
  const phrase = h('input', { id: 'purge-phrase', autocomplete: 'off', spellcheck: 'false', placeholder: PHRASE });
  const go = h('button', { type: 'button', class: 'danger', id: 'purge-go', disabled: true }, ...bi('永久删除', 'Delete for good'));
  phrase.oninput = () => { go.disabled = phrase.value.trim() !== PHRASE; };
  dlg.replaceChildren(
    h('h2', {}, ...bi('删除全部照片与人脸数据', 'Delete every photo and all face data')),
    h('p', {}, ...bi('会议结束并归档后，按隐私规定删除。将永久删除：', 'Once the meeting is over and filed, as privacy rules require. This deletes for good:')),
    h('ul', { id: 'purge-what' },
      item(`全部人员照片 ${before.photos} 张`, `photos of attendees: ${before.photos}`),
      item(`人脸特征 ${before.refs} 条`, `face references: ${before.refs}`),
      item(`人脸核验同意记录 ${consents} 条（同意 ${before.consented}，不同意 ${before.refused}）`,
        `consent records: ${consents} (${before.consented} yes, ${before.refused} no)`)),
    h('p', {}, ...bi('保留：人员名单和签到记录；签到机的刷脸核验记录只留结果和差异值（无图像、无特征）。立卷归档 ZIP 中只有以上数量，不含任何照片或人脸数据。删除后无法恢复。',
      'Kept: the attendee list and check-ins; the kiosks\' face checks keep their result and distance only (no image, no vector). The archive ZIP holds these counts only, never a photo or face data. This cannot be undone.')),
    h('p', { class: 'purge-first' }, h('a', { href: archiveHref, download: '', id: 'purge-archive' },
      ...bi('先下载立卷归档 ZIP', 'Download the archive ZIP first'))),
    h('label', { class: 'purge-confirm' }, `请输入“${PHRASE}”以确认`, h('span', { class: 'en' }, `Type ${PHRASE} to confirm`), phrase),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', id: 'purge-cancel', onclick: () => dlg.close() }, ...bi('取消', 'Cancel')), go));
  go.onclick = async () => {
    if (phrase.value.trim() !== PHRASE) return;
    go.disabled = true;
    phrase.disabled = true;
    let after;
    try {
      after = await call('POST', '/faces/purge');
    } catch (err) {
      dlg.close();
      fail(err);
      return;
    }
    const words = done(before, after);
    result.replaceChildren(...words.map((w) => h('p', {}, ...w)));
    result.hidden = false;
    dlg.replaceChildren(h('h2', {}, ...bi('已删除', 'Deleted')),
      h('div', { id: 'purge-done' }, ...words.map((w) => h('p', {}, ...w))),
      h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'primary', id: 'purge-close', onclick: () => dlg.close() }, ...bi('关闭', 'Close'))));
    toast('照片与人脸数据已全部删除', 'Every photo and all face data deleted');
  };
  dlg.showModal();
  phrase.focus();
}

// done words the purge's result: what went (the counts before less those
// left) and what is left, as the server counts it.
function done(before, after) {
  const left = after.consented + after.refused;
  return [
    bi(`已删除：照片 ${before.photos - after.photos} 张，人脸特征 ${before.refs - after.refs} 条，同意记录 ${before.consented + before.refused - left} 条。`,
      `Deleted: photos ${before.photos - after.photos}, face references ${before.refs - after.refs}, consent records ${before.consented + before.refused - left}.`),
    bi(`现存：照片 ${after.photos}，人脸特征 ${after.refs}，同意记录 ${left}；刷脸核验记录 ${sum(after.checks)} 条保留（仅结果）。`,
      `Left: photos ${after.photos}, face references ${after.refs}, consent records ${left}; face checks kept (results only): ${sum(after.checks)}.`),
  ];
}

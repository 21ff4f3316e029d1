// ask is the one dialog the desk uses to ask for a reason (and, for a
// 补签, a checkpoint; for a meal exception, a dining hall). It resolves to
// the reason, to {reason, choice} when choices were given, or to null when
// cancelled. A reason is required: every reprint, leave, manual check-in
// and exception is logged with why. A figure (the reprint's photo) is
// shown under the text while the dialog is open.
import { h } from '/static/common/dom.js';

export function ask({ title, text, placeholder, choices, choiceLabel = ['签到点', 'Checkpoint'], figure }) {
  const dlg = document.getElementById('ask');
  const reason = document.getElementById('ask-reason');
  const err = document.getElementById('ask-error');
  const select = document.getElementById('ask-choice');
  document.getElementById('ask-title').textContent = title;
  document.getElementById('ask-text').textContent = text;
  if (figure) document.getElementById('ask-text').after(figure); // e.g. the photo, shown while asked
  document.getElementById('ask-choice-label').hidden = !choices;
  document.getElementById('ask-choice-name').replaceChildren(choiceLabel[0], h('span', { class: 'en' }, choiceLabel[1]));
  select.replaceChildren(...(choices || []).map((c) => h('option', { value: c.value }, c.label)));
  reason.value = '';
  reason.placeholder = placeholder || '';
  err.textContent = '';
  return new Promise((resolve) => {
    const ok = document.getElementById('ask-ok');
    const cancel = document.getElementById('ask-cancel');
    const done = (value) => {
      ok.removeEventListener('click', onOK);
      cancel.removeEventListener('click', onCancel);
      dlg.removeEventListener('cancel', onCancel);
      dlg.close();
      figure?.remove();
      resolve(value);
    };
    const onOK = (e) => {
      e.preventDefault();
      const r = reason.value.trim();
      if (!r) {
        err.textContent = '请填写原因 · A reason is required';
        reason.focus();
        return;
      }
      done(choices ? { reason: r, choice: select.value } : r);
    };
    const onCancel = (e) => { e.preventDefault(); done(null); };
    ok.addEventListener('click', onOK);
    cancel.addEventListener('click', onCancel);
    dlg.addEventListener('cancel', onCancel);
    dlg.showModal();
    reason.focus();
  });
}

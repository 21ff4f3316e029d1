// live.js — what the usher map, the lobby screen and the chair's view share:
// which token their API calls carry, the sign-in prompt (pair with a code from
// the desk, or a staff login), and the websocket client (common/live.js).

import { setup, call, token } from '/static/common/api.js';
import { h } from '/static/common/dom.js';

// The websocket client lives in common/live.js (the desk follows topics
// too, on its own login); the pages that import it from here still do.
export { Live } from '/static/common/live.js';

// The device token this browser got by pairing, else none and a staff
// login's huiwu_token cookie does the work; a token the server no longer
// takes is forgotten and the call made again on the cookie. A token is
// never taken from the page address: it would stay in history, logs and
// Referer headers.
setup({ token: 'huiwu.view.token', fallback: true });

// A token left in the address by an old bookmark is not used; take it
// out of the address bar all the same.
{
  const u = new URL(location.href);
  if (u.searchParams.has('token')) {
    u.searchParams.delete('token');
    history.replaceState(null, '', u);
  }
}

/** needSignIn shows the sign-in prompt: a code from the desk makes this
 * browser a device of the given kind; staff sign in with their account
 * instead and come back here. */
export function needSignIn(kindZh, kindEn) {
  const box = h('div', { class: 'signin' });
  box.innerHTML = `<form><h1>${kindZh}未登录<span class="en">This ${kindEn} is not signed in</span></h1>
    <p>请在报到处生成配对码后输入<span class="en">Enter the pairing code from the registration desk</span></p>
    <input name="code" autocomplete="off" inputmode="numeric" aria-label="配对码 pairing code">
    <button>配对 <span class="en">Pair</span></button><p class="err" role="alert"></p>
    <p>或 <a class="staff" href="">工作人员登录 <span class="en">or sign in as staff</span></a></p></form>`;
  box.querySelector('a.staff').href = '/login?next=' + encodeURIComponent(location.pathname + location.search);
  document.body.replaceChildren(box);
  box.querySelector('form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const code = box.querySelector('input').value.trim();
    try {
      const r = await call('POST', '/pair', { code });
      token.set(r.token);
      location.reload();
    } catch (e) {
      box.querySelector('.err').textContent = (e.zh || '配对失败') + ' · ' + e.message;
    }
  });
}

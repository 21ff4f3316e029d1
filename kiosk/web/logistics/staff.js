// staff.js — who is signed in, for the 会务组's pages (the logistics shell
// and the pickup phone): staff accounts of the desk and logistics roles
// (admin passes everywhere). Both sign in with the login page's cookie.
import { call } from '/static/common/api.js';

const ALLOWED = ['admin', 'desk', 'logistics'];

/**
 * staffOnly answers the signed-in account if these pages serve it; else
 * it calls out() when nobody is signed in, refused(me) for another role
 * (an usher, a screen), failed(err) when the server cannot say, and
 * answers null.
 */
export async function staffOnly({ out, refused, failed }) {
  let me;
  try {
    me = await call('GET', '/me');
  } catch (e) {
    if (e.status === 401) out();
    else failed(e);
    return null;
  }
  if (!ALLOWED.includes(me.role)) {
    refused(me);
    return null;
  }
  return me;
}

/** signOutTo ends this browser's session and opens the login page, which
 * comes back to next. */
export async function signOutTo(next) {
  await call('POST', '/logout', undefined, { base: '' }).catch(() => {});
  location.assign('/login?next=' + encodeURIComponent(next));
}

// faces.js — what the usher's tablet shows of the door checks (issue
// 15.3–15.4): an alert, with the badge holder's photo, when a kiosk's face
// check did not match (or saw no face where the door refuses without one),
// so an usher goes and looks, and marks it done; and the last scans at
// this venue's doors that show photos (the glance check), each with its
// photo, to compare with the person walking in.
//
// Photos are fetched with the tablet's token and shown as blob: URLs,
// released as soon as they leave the screen; none is kept anywhere.
import { call, download } from '/static/common/api.js';
import { h, fmtTime } from '/static/common/dom.js';
import { AlertFeed, RESULT_WORDS, alertCard, ping, resolveAlert } from '/static/common/face-alerts.js';
import './live.js'; // this page's sign-in: the tablet's token, else the staff login

const RECENT_EVERY_MS = 5000; // recent scans: a person walking in is seen within a few seconds
const IDLE_EVERY_MS = 60000; // a venue whose doors show no photos

// The statuses of a scan that let the person through (rules.Status.Accepted).
const IN = new Set(['ok', 'already', 'reentry', 'exit']);

/** FacePanel keeps the alerts and the recent scans on screen. */
export class FacePanel {
  /** alertsBox and recentBox are the page's elements for each. */
  constructor(alertsBox, recentBox) {
    this.alertsBox = alertsBox;
    this.recentBox = recentBox;
    this.urls = new Map(); // photo path -> blob: URL on screen
    this.wanted = { alerts: new Set(), recent: new Set() }; // the photo paths each list shows
    this.feed = new AlertFeed((items) => this.showAlerts(items));
    this.venue = '';
    this.recentTimer = 0;
    this.seen = new Set(); // alert ids already shown: a new one sounds
    // What tests (and a curious engineer at the console) can read.
    this.state = { alerts: [], recent: [], loads: 0 };
  }

  /**
   * start shows the open alerts and follows them live. A server that has
   * no face check, or a tablet not allowed to see them, shows nothing.
   */
  start() { return this.feed.start(); }

  close() {
    this.feed.close();
    clearTimeout(this.recentTimer);
  }

  async showAlerts(items) {
    this.state.loads++;
    this.state.alerts = items.map((a) => ({ id: a.id, attendee: a.attendee_id, result: a.result, refused: !!a.refused }));
    this.wanted.alerts = new Set(items.map((a) => a.photo_url).filter(Boolean));
    const fresh = items.some((a) => !this.seen.has(a.id));
    for (const a of items) this.seen.add(a.id);
    const cards = await Promise.all(items.map(async (a) =>
      alertCard(a, await this.photo(a.photo_url, a.name), (id, btn) => this.resolve(id, btn))));
    const box = this.alertsBox;
    box.querySelector('ul').replaceChildren(...cards);
    box.hidden = !cards.length;
    box.querySelector('.fa-n').textContent = String(cards.length);
    this.release();
    if (fresh && cards.length) ping();
  }

  async resolve(id, btn) {
    btn.disabled = true;
    try {
      await resolveAlert(id);
    } catch (e) {
      btn.disabled = false;
      console.warn('resolve alert:', e);
      return;
    }
    this.feed.load();
  }

  /** setVenue shows the recent scans at venue's doors (the session shown changed). */
  setVenue(venue) {
    if (venue === this.venue) return;
    this.venue = venue;
    clearTimeout(this.recentTimer);
    this.recentBox.hidden = true;
    this.state.recent = [];
    this.wanted.recent = new Set();
    this.recentBox.querySelector('ul').replaceChildren();
    this.release();
    if (venue) this.loadRecent();
  }

  async loadRecent() {
    const venue = this.venue;
    clearTimeout(this.recentTimer);
    let items = null;
    let every = RECENT_EVERY_MS;
    try {
      const r = await call('GET', '/usher/recent?venue=' + encodeURIComponent(venue));
      items = (r && r.items) || [];
      // No door of this venue shows photos: ask now and then, in case the desk turns it on.
      if (!(r && r.checkpoints && r.checkpoints.length)) every = IDLE_EVERY_MS;
    } catch (e) {
      if (e.status === 403 || e.status === 404) return; // not for this tablet, or no such venue
    }
    if (venue !== this.venue) return;
    if (items) await this.showRecent(items);
    this.recentTimer = setTimeout(() => this.loadRecent(), every);
  }

  async showRecent(items) {
    this.state.recent = items.map((s) => ({ attendee: s.attendee_id, status: s.status, face: s.face || '' }));
    this.wanted.recent = new Set(items.map((s) => s.photo_url).filter(Boolean));
    const rows = await Promise.all(items.map(async (s) => {
      const face = RESULT_WORDS[s.face];
      return h('li', { class: 'recent-scan', 'data-attendee': s.attendee_id },
        await this.photo(s.photo_url, s.name),
        h('div', {},
          h('b', {}, s.name || ''),
          face ? h('span', { class: 'rs-face ' + s.face }, face[0]) : null,
          IN.has(s.status) ? null : h('span', { class: 'rs-face fail' }, '未放行'),
          h('div', { class: 'rs-where' }, [s.checkpoint_name || s.checkpoint, s.door].filter(Boolean).join(' · '),
            ' ', h('small', {}, s.at ? fmtTime(s.at) : ''))));
    }));
    this.recentBox.querySelector('ul').replaceChildren(...rows);
    this.recentBox.hidden = !rows.length;
    this.release();
  }

  /** photo is an <img> of the photo at path (an API URL), or a frame saying there is none. */
  async photo(path, name) {
    const frame = (kid) => h('figure', { class: 'fa-photo' }, kid);
    if (!path) return frame(h('figcaption', {}, '无照片', h('span', { class: 'en' }, 'No photo')));
    let url = this.urls.get(path);
    if (!url) {
      try {
        const blob = await download(path.replace(/^\/api\/v1/, ''));
        url = URL.createObjectURL(blob);
        this.urls.set(path, url);
      } catch {
        return frame(h('figcaption', {}, '照片不可用', h('span', { class: 'en' }, 'Photo unavailable')));
      }
    }
    return frame(h('img', { src: url, alt: `${name || ''} 照片 photo`, 'data-path': path }));
  }

  /** release frees the photos neither list shows any more. */
  release() {
    for (const [path, url] of this.urls) {
      if (!this.wanted.alerts.has(path) && !this.wanted.recent.has(path)) { URL.revokeObjectURL(url); this.urls.delete(path); }
    }
  }
}

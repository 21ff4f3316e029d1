// map.js — the seat map on a canvas. The base layer draws every seat once
// and afterwards only the seats that change, so a burst of check-ins costs a
// few rectangles, not a redraw of 3,000 seats; an overlay canvas carries the
// short-lived highlights (a VIP arriving, a search hit) and animates only
// while one is showing.

export const COLORS = {
  vacant: ['#ffffff', '#9a9a9a'],
  assigned: ['#cfd4da', '#7d8690'],
  arrived: ['#16894a', '#0b5e31'],
  left: ['#8ab8e6', '#2f6ea8'],
  on_leave: ['#f2b705', '#9c7500'],
  blocked: ['#3b3b3b', '#3b3b3b'],
  reserved: ['#e8defa', '#8a6dcf'],
};

export class SeatMap {
  constructor(base, overlay) {
    this.base = base;
    this.overlay = overlay;
    this.seats = new Map(); // label -> seat
    this.visible = () => true;
    this.marks = new Map(); // label -> {until, color}
    this.animating = false;
  }

  /** setSeats replaces every seat and redraws. */
  setSeats(list) {
    this.seats = new Map(list.map((s) => [s.seat, s]));
    this.layout();
  }

  /** show limits the map to seats for which fn is true, zoomed to them. */
  show(fn) {
    this.visible = fn;
    this.layout();
  }

  /** layout fits the visible seats into the canvas and redraws all. */
  layout() {
    const dpr = window.devicePixelRatio || 1;
    const w = this.base.clientWidth, h = this.base.clientHeight;
    for (const c of [this.base, this.overlay]) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
      c.getContext('2d').setTransform(dpr, 0, 0, dpr, 0, 0);
    }
    const vis = [...this.seats.values()].filter(this.visible);
    if (!vis.length) { this.drawAll(); return; }
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    const rows = new Map(); // section/row -> xs
    for (const s of vis) {
      x0 = Math.min(x0, s.x); x1 = Math.max(x1, s.x);
      y0 = Math.min(y0, s.y); y1 = Math.max(y1, s.y);
      const k = s.section + '/' + s.row;
      if (!rows.has(k)) rows.set(k, []);
      rows.get(k).push(s.x);
    }
    // The seat pitch is the median gap between neighbours in a row.
    const gaps = [];
    for (const xs of rows.values()) {
      xs.sort((a, b) => a - b);
      for (let i = 1; i < xs.length; i++) if (xs[i] - xs[i - 1] > 0.05) gaps.push(xs[i] - xs[i - 1]);
    }
    gaps.sort((a, b) => a - b);
    const pitch = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0.56;
    const rowGaps = [];
    const ys = [...new Set(vis.map((s) => Math.round(s.y * 100)))].sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) rowGaps.push((ys[i] - ys[i - 1]) / 100);
    rowGaps.sort((a, b) => a - b);
    const rowPitch = rowGaps.length ? rowGaps[Math.floor(rowGaps.length / 2)] : pitch * 1.7;
    const pad = 24, top = 18;
    // Each axis is scaled to fit on its own, within a factor of 2.4 of the
    // other: a tall hall on a wide tablet gets wider seats, not empty sides.
    let sx = (w - 2 * pad) / (x1 - x0 + pitch), sy = (h - 2 * pad - top) / (y1 - y0 + rowPitch);
    sx = Math.min(sx, sy * 2.4);
    sy = Math.min(sy, sx * 2.4);
    this.sx = sx;
    this.sy = sy;
    this.w = Math.min(44, Math.max(3, pitch * sx * 0.84));
    this.h = Math.min(this.w * 1.1, Math.max(3, rowPitch * sy * 0.8));
    this.ox = (w - (x1 - x0) * sx) / 2 - x0 * sx;
    this.oy = pad + top + this.h / 2 - y0 * sy;
    this.drawAll();
  }

  pos(s) { return [this.ox + s.x * this.sx, this.oy + s.y * this.sy]; }

  drawAll() {
    const g = this.base.getContext('2d');
    g.clearRect(0, 0, this.base.width, this.base.height);
    g.fillStyle = '#555';
    g.font = '14px sans-serif';
    g.textAlign = 'center';
    g.fillText('▲ 主席台 / 舞台 Stage  ·  观众视角 Audience view', this.base.clientWidth / 2, 16);
    const first = new Map(); // the leftmost seat of each floor row, for its 排 number
    for (const s of this.seats.values()) {
      if (!this.visible(s)) continue;
      this.drawSeat(g, s);
      const k = s.section + '/' + s.row;
      if (s.section !== 'presidium' && (!first.has(k) || s.x < first.get(k).x)) first.set(k, s);
    }
    if (this.h < 9) return;
    g.fillStyle = '#666';
    g.font = `${Math.min(13, Math.floor(this.h * 0.8))}px sans-serif`;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (const s of first.values()) {
      const [cx, cy] = this.pos(s);
      g.fillText(String(s.row), cx - this.w / 2 - 3, cy + 1);
    }
  }

  /** update redraws the seats whose labels are given, and only them. */
  update(labels) {
    const g = this.base.getContext('2d');
    for (const l of labels) {
      const s = this.seats.get(l);
      if (s && this.visible(s)) this.drawSeat(g, s, true);
    }
  }

  drawSeat(g, s, clear) {
    const [cx, cy] = this.pos(s);
    const w = this.w, h = this.h, hw = w / 2, hh = h / 2;
    if (clear) g.clearRect(cx - hw - 2, cy - hh - 2, w + 4, h + 4);
    const [fill, stroke] = COLORS[s.state] || COLORS.vacant;
    g.fillStyle = fill;
    g.strokeStyle = stroke;
    g.lineWidth = 1;
    g.beginPath();
    g.roundRect(cx - hw, cy - hh, w, h, Math.min(4, w / 5));
    g.fill();
    g.stroke();
    if (s.state === 'blocked') {
      g.strokeStyle = '#fff';
      g.beginPath();
      g.moveTo(cx - hw / 2, cy - hh / 2); g.lineTo(cx + hw / 2, cy + hh / 2);
      g.moveTo(cx + hw / 2, cy - hh / 2); g.lineTo(cx - hw / 2, cy + hh / 2);
      g.stroke();
    }
    if (s.vip && s.attendee_id) {
      g.strokeStyle = '#b8860b';
      g.lineWidth = Math.max(1.5, w / 8);
      g.strokeRect(cx - hw + 1, cy - hh + 1, w - 2, h - 2);
    }
    if (s.kind === 'wheelchair') {
      g.fillStyle = s.state === 'arrived' ? '#fff' : '#1d4ed8';
      g.font = `${Math.max(8, Math.floor(h * 0.7))}px sans-serif`;
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      g.fillText('♿', cx, cy + 1);
    } else if (w >= 16 && h >= 14 && s.state !== 'blocked') {
      g.fillStyle = s.state === 'arrived' || s.state === 'blocked' ? '#fff' : '#222';
      g.font = `${Math.min(14, Math.floor(Math.min(w, h) / 1.6))}px sans-serif`;
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      g.fillText(s.number, cx, cy + 1);
    }
  }

  /** seatAt finds the visible seat under a point of the canvas. */
  seatAt(px, py) {
    for (const s of this.seats.values()) {
      if (!this.visible(s)) continue;
      const [cx, cy] = this.pos(s);
      if (Math.abs(px - cx) <= this.w / 2 + 1 && Math.abs(py - cy) <= this.h / 2 + 1) return s;
    }
    return null;
  }

  /** mark rings a seat on the overlay for ms milliseconds (0: until cleared). */
  mark(label, color, ms) {
    this.marks.set(label, { color, until: ms ? performance.now() + ms : Infinity });
    if (!this.animating) {
      this.animating = true;
      requestAnimationFrame((t) => this.animate(t));
    }
  }

  clearMarks(color) {
    for (const [l, m] of this.marks) if (!color || m.color === color) this.marks.delete(l);
  }

  animate(now) {
    const g = this.overlay.getContext('2d');
    g.clearRect(0, 0, this.overlay.width, this.overlay.height);
    for (const [l, m] of this.marks) {
      if (now > m.until) { this.marks.delete(l); continue; }
      const s = this.seats.get(l);
      if (!s || !this.visible(s)) continue;
      const [cx, cy] = this.pos(s);
      const pulse = 0.5 + 0.5 * Math.sin(now / 180);
      g.strokeStyle = m.color;
      g.lineWidth = 3;
      g.beginPath();
      g.arc(cx, cy, Math.max(this.w, this.h) * 0.75 + (2 + 3 * pulse) * Math.min(1, this.w / 12), 0, 2 * Math.PI);
      g.stroke();
    }
    if (this.marks.size) requestAnimationFrame((t) => this.animate(t));
    else this.animating = false;
  }
}

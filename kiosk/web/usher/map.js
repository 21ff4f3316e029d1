// map.js — the seat map on a canvas. The base layer draws every seat once
// and afterwards only the seats that change, so a burst of check-ins costs a
// few rectangles, not a redraw of 3,000 seats; an overlay canvas carries the
// short-lived highlights (a VIP arriving, a search hit) and animates only
// while one is showing.

// One palette for the map, its legend and the count panel (usher.js puts
// it into CSS variables): fill, outline and the colour of the text on it.
// 已到, 未到 and 空位 differ in hue and in lightness, so they tell apart at a
// glance and in greyscale; 缺席 (未到 once the session has started) is red.
export const COLORS = {
  arrived: ['#15803d', '#0b4d24', '#fff'],
  assigned: ['#94a3b8', '#334155', '#0f172a'], // 未到, before the start
  absent: ['#dc2626', '#7f1d1d', '#fff'], // 缺席, from the start
  left: ['#7dd3fc', '#0369a1', '#0c4a6e'],
  on_leave: ['#f59e0b', '#92400e', '#1c1917'],
  vacant: ['#ffffff', '#94a3b8', '#64748b'],
  blocked: ['#334155', '#334155', '#fff'],
  reserved: ['#ede9fe', '#7c3aed', '#4c1d95'],
};

/** shown is the state a seat is drawn in: an assigned seat whose holder
 * has not come is 未到 before the session starts and 缺席 from then on. */
export function shown(s, started) {
  return s.state === 'assigned' && started ? 'absent' : s.state;
}

/** paintVars puts the palette into CSS variables --st-STATE (fill) and
 * --st-STATE-line, for the legend and the count panel. */
export function paintVars(root) {
  for (const [k, [fill, line]] of Object.entries(COLORS)) {
    root.style.setProperty('--st-' + k, fill);
    root.style.setProperty('--st-' + k + '-line', line);
  }
}

// The page's own font (base.css): a canvas does not fall back to it, and
// without it Chinese on the map shows as empty boxes on a machine whose
// sans-serif has no CJK glyphs.
const FONT = '"Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

export class SeatMap {
  constructor(base, overlay) {
    this.base = base;
    this.overlay = overlay;
    this.seats = new Map(); // label -> seat
    this.visible = () => true;
    this.marks = new Map(); // label -> {until, color}
    this.animating = false;
    this.started = false; // the session has started: 未到 seats are 缺席
    this.names = false; // seats are big enough to carry names
    this.zoom = 1; // the map is this many times its box; the box scrolls
    // Draw again once the web font is in, so the canvas's Chinese uses it.
    if (document.fonts) document.fonts.load(`14px ${FONT}`, '主席台').then(() => this.drawAll(), () => {});
  }

  /** setStarted redraws the seats when the session starts (or, after an
   * edit of its times, un-starts). */
  setStarted(started) {
    if (started === this.started) return;
    this.started = started;
    this.drawAll();
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

  /** setZoom makes the map z times its box, keeping the middle in view. */
  setZoom(z) {
    const box = this.base.parentElement;
    const mx = (box.scrollLeft + box.clientWidth / 2) / Math.max(1, box.scrollWidth);
    const my = (box.scrollTop + box.clientHeight / 2) / Math.max(1, box.scrollHeight);
    this.zoom = z;
    this.layout();
    box.scrollLeft = mx * box.scrollWidth - box.clientWidth / 2;
    box.scrollTop = my * box.scrollHeight - box.clientHeight / 2;
  }

  /** layout fits the visible seats into the canvas and redraws all. */
  layout() {
    const dpr = window.devicePixelRatio || 1;
    const box = this.base.parentElement;
    const w = Math.floor(box.clientWidth * this.zoom), h = Math.floor(box.clientHeight * this.zoom);
    for (const c of [this.base, this.overlay]) {
      c.style.width = w + 'px';
      c.style.height = h + 'px';
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
    // Each axis is scaled to fit on its own, within a factor of 3.6 of the
    // other: a tall hall on a wide tablet gets wider seats (room for
    // names), not empty sides.
    let sx = (w - 2 * pad) / (x1 - x0 + pitch), sy = (h - 2 * pad - top) / (y1 - y0 + rowPitch);
    sx = Math.min(sx, sy * 3.6);
    sy = Math.min(sy, sx * 3.6);
    this.sx = sx;
    this.sy = sy;
    this.w = Math.min(72, Math.max(3, pitch * sx * 0.84));
    this.h = Math.min(this.w * 0.8, Math.max(3, rowPitch * sy * 0.8));
    // Zoomed in far enough (a section on its own), seats carry names.
    this.names = this.w >= 34 && this.h >= 18;
    this.ox = (w - (x1 - x0) * sx) / 2 - x0 * sx;
    this.oy = pad + top + this.h / 2 - y0 * sy;
    this.drawAll();
  }

  pos(s) { return [this.ox + s.x * this.sx, this.oy + s.y * this.sy]; }

  drawAll() {
    const g = this.base.getContext('2d');
    g.clearRect(0, 0, this.base.width, this.base.height);
    g.fillStyle = '#555';
    g.font = `14px ${FONT}`;
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
    g.font = `${Math.min(13, Math.floor(this.h * 0.8))}px ${FONT}`;
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
    if (clear) g.clearRect(cx - hw - 3, cy - hh - 3, w + 6, h + 6);
    const st = shown(s, this.started);
    const [fill, stroke, ink] = COLORS[st] || COLORS.vacant;
    g.fillStyle = fill;
    g.strokeStyle = stroke;
    g.lineWidth = 1;
    g.setLineDash(st === 'vacant' ? [3, 2] : []);
    g.beginPath();
    g.roundRect(cx - hw, cy - hh, w, h, Math.min(4, w / 5));
    g.fill();
    g.stroke();
    g.setLineDash([]);
    if (st === 'blocked') {
      g.strokeStyle = '#fff';
      g.beginPath();
      g.moveTo(cx - hw / 2, cy - hh / 2); g.lineTo(cx + hw / 2, cy + hh / 2);
      g.moveTo(cx + hw / 2, cy - hh / 2); g.lineTo(cx - hw / 2, cy + hh / 2);
      g.stroke();
    }
    if (s.vip && s.attendee_id) {
      // A VIP's seat has a gold frame; an absent VIP's a thick dark one
      // around the red, so the empty place on the stage is seen at once.
      g.strokeStyle = st === 'absent' ? '#450a0a' : '#b8860b';
      g.lineWidth = st === 'absent' ? Math.max(2.5, w / 6) : Math.max(1.5, w / 8);
      g.strokeRect(cx - hw + 1, cy - hh + 1, w - 2, h - 2);
    }
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillStyle = ink;
    if (s.kind === 'wheelchair' && !(this.names && s.name)) {
      g.fillStyle = st === 'arrived' || st === 'absent' ? '#fff' : '#1d4ed8';
      g.font = `${Math.max(8, Math.floor(h * 0.7))}px ${FONT}`;
      g.fillText('♿', cx, cy + 1);
    } else if (this.names && s.name) {
      // The name, shortened to fit; the seat number above it when the
      // seat is tall enough for two lines.
      const two = h >= 32;
      const size = Math.min(16, Math.floor(h * (two ? 0.42 : 0.72)), Math.floor((w - 4) / 3));
      g.font = `${size}px ${FONT}`;
      g.fillText(fit(g, s.name, w - 4), cx, two ? cy + h * 0.16 : cy + 1);
      if (two) {
        g.font = `${Math.max(9, Math.floor(size * 0.75))}px ${FONT}`;
        g.fillText(String(s.number), cx, cy - h * 0.27);
      }
    } else if (w >= 16 && h >= 14 && st !== 'blocked') {
      g.font = `${Math.min(14, Math.floor(Math.min(w, h) / 1.6))}px ${FONT}`;
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

/** fit shortens text with an ellipsis until it is at most width wide. */
function fit(g, text, width) {
  if (g.measureText(text).width <= width) return text;
  let t = [...text];
  while (t.length > 1 && g.measureText(t.join('') + '…').width > width) t = t.slice(0, -1);
  return t.join('') + '…';
}

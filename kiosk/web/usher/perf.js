// perf.js — frame timing for the seat map, read by the browser tests and
// handy on a real tablet (usherPerf.start() … usherPerf.stop() in the
// console). Frame intervals come from requestAnimationFrame, delta work
// from performance.measure, long tasks from a PerformanceObserver.
export class Perf {
  constructor() {
    this.recording = false;
    this.long = 0;
    try {
      new PerformanceObserver((l) => { if (this.recording) this.long += l.getEntries().length; })
        .observe({ type: 'longtask', buffered: false });
    } catch { /* no long-task timing in this browser */ }
  }

  start() {
    this.frames = [];
    this.applies = [];
    this.long = 0;
    this.recording = true;
    let last = performance.now();
    const tick = (t) => {
      if (!this.recording) return;
      this.frames.push(t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  applied(ms) { if (this.recording) this.applies.push(ms); }

  stop() {
    this.recording = false;
    const q = (xs, p) => {
      if (!xs.length) return 0;
      const s = [...xs].sort((a, b) => a - b);
      return s[Math.min(s.length - 1, Math.floor(p * s.length))];
    };
    const f = this.frames.slice(1);
    return { frames: f.length, frame_p50: q(f, 0.5), frame_p95: q(f, 0.95), frame_max: q(f, 1),
      deltas: this.applies.length, delta_p95: q(this.applies, 0.95), delta_max: q(this.applies, 1), long_tasks: this.long };
  }
}

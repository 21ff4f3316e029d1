// The camera: rear camera preferred, a picker when there are several, the
// torch where the device has one, and frames downscaled and handed to the
// worker at a steady rate, one at a time, so a slow frame never piles up.
import { h } from '/static/common/dom.js';

const PICK_KEY = 'huiwu.kiosk.camera';
const MAX_SIDE = 640; // decoding a 640-pixel frame is fast and still reads a badge at arm's length
const PERIOD_MS = 100; // ten frames a second: a badge is read well within the second people expect

/**
 * problem explains, in both languages, why there is no camera picture:
 * [title zh, title en, what to do zh, what to do en, command line?].
 */
export function problem(err) {
  if (!window.isSecureContext || !navigator.mediaDevices) {
    return ['摄像头不可用：此页面不是安全来源',
      'Camera unavailable: this page is not a secure origin',
      '请用 https:// 打开本页，或在本机用 http://localhost 访问；USB 扫码枪仍可使用。也可给 Chrome 加启动参数：',
      'Open this page over https:// (or at http://localhost on this machine); a USB scanner still works. Or start Chrome with:',
      `--unsafely-treat-insecure-origin-as-secure=${location.origin}`];
  }
  const name = err && err.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return ['摄像头权限被拒绝', 'Camera permission denied',
      '请在浏览器地址栏左侧的网站设置中允许使用摄像头，然后刷新；USB 扫码枪仍可使用。',
      'Allow the camera in the site settings (left of the address bar) and reload; a USB scanner still works.'];
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return ['未找到摄像头', 'No camera found',
      '请连接摄像头后刷新；USB 扫码枪仍可使用。', 'Connect a camera and reload; a USB scanner still works.'];
  }
  if (name === 'NotReadableError') {
    return ['摄像头被占用', 'Camera busy',
      '请关闭其他使用摄像头的程序后刷新。', 'Close other programs using the camera and reload.'];
  }
  return ['摄像头无法启动', 'Camera failed to start', String(err && err.message || err), ''];
}

/** Camera runs the preview and the frame loop. */
export class Camera {
  constructor(video, picker, torchBtn, onFrame) {
    this.video = video;
    this.picker = picker;
    this.torchBtn = torchBtn;
    this.onFrame = onFrame; // (ImageBitmap) => Promise, resolved when the worker is done with it
    this.stream = null;
    this.running = false;
    this.torchOn = false;
    picker.addEventListener('change', () => {
      localStorage.setItem(PICK_KEY, picker.value);
      this.start();
    });
    torchBtn.addEventListener('click', () => this.toggleTorch());
  }

  /** start opens the chosen (or rear) camera; it throws what getUserMedia threw. */
  async start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw new Error('insecure');
    this.stop();
    const chosen = localStorage.getItem(PICK_KEY);
    const video = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
    // A preference, not {exact:…}: a webcam reports no facing mode and
    // would fail an exact constraint.
    if (chosen) video.deviceId = { exact: chosen };
    else video.facingMode = { ideal: 'environment' };
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
    } catch (err) {
      if (!chosen || err.name !== 'OverconstrainedError') throw err;
      localStorage.removeItem(PICK_KEY); // the chosen camera is gone: fall back to any
      return this.start();
    }
    this.video.srcObject = this.stream;
    await this.video.play().catch(() => {});
    await this.listCameras();
    this.setupTorch();
    this.running = true;
    this.loop();
  }

  stop() {
    this.running = false;
    if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
    this.stream = null;
  }

  async listCameras() {
    const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    const current = this.stream.getVideoTracks()[0].getSettings().deviceId;
    this.picker.replaceChildren(...devices.map((d, i) =>
      h('option', { value: d.deviceId, selected: d.deviceId === current }, d.label || `摄像头 Camera ${i + 1}`)));
    this.picker.hidden = devices.length < 2;
  }

  setupTorch() {
    const track = this.stream.getVideoTracks()[0];
    const caps = track.getCapabilities ? track.getCapabilities() : {};
    this.torchBtn.hidden = !caps.torch;
    this.torchOn = false;
  }

  async toggleTorch() {
    const track = this.stream && this.stream.getVideoTracks()[0];
    if (!track) return;
    this.torchOn = !this.torchOn;
    await track.applyConstraints({ advanced: [{ torch: this.torchOn }] }).catch(() => { this.torchOn = false; });
  }

  /** loop grabs a downscaled frame every PERIOD_MS while the last one is decoded. */
  async loop() {
    while (this.running) {
      const t0 = performance.now();
      const v = this.video;
      if (v.readyState >= 2 && v.videoWidth > 0) {
        const scale = Math.min(1, MAX_SIDE / Math.max(v.videoWidth, v.videoHeight));
        const w = Math.round(v.videoWidth * scale) & ~1;
        const h = Math.round(v.videoHeight * scale) & ~1;
        try {
          const bmp = await createImageBitmap(v, { resizeWidth: w, resizeHeight: h, resizeQuality: 'low' });
          await this.onFrame(bmp);
        } catch {
          // A frame that could not be grabbed (camera switching) is skipped.
        }
      }
      const wait = Math.max(10, PERIOD_MS - (performance.now() - t0));
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

// Live line chart of inbound and outbound bitrate on a <canvas>.

const CAPACITY = 60;

// Used when the page defines no custom properties (e.g. the chart on its own).
const FALLBACK = {
  muted: '#8a8f98',
  accent: '#3b82f6',
  accent2: '#f59e0b',
  border: 'rgba(128, 128, 128, 0.35)',
};

// 1, 2, 5 steps make the max label a round number and keep the scale from jittering
// every second as the peak moves a little.
function niceCeil(value) {
  if (!(value > 0)) return 0;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

const toValue = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);

export class StatsChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.inbound = [];
    this.outbound = [];
    this.cssWidth = 0;
    this.cssHeight = 0;
    this.scale = 1;

    // Without a stylesheet width the canvas would be laid out at its backing-store
    // size, which we enlarge by devicePixelRatio on every resize: it would grow forever.
    if (!canvas.style.width) canvas.style.width = '100%';

    if (typeof ResizeObserver === 'function') {
      this.observer = new ResizeObserver((entries) => this._onResize(entries[entries.length - 1]));
      try {
        this.observer.observe(canvas, { box: 'device-pixel-content-box' });
      } catch {
        this.observer.observe(canvas);
      }
    }
    this._measure();
    this._draw();
  }

  push(inKbps, outKbps) {
    this.inbound.push(toValue(inKbps));
    this.outbound.push(toValue(outKbps));
    if (this.inbound.length > CAPACITY) this.inbound.shift();
    if (this.outbound.length > CAPACITY) this.outbound.shift();
    this._draw();
  }

  clear() {
    this.inbound = [];
    this.outbound = [];
    this._draw();
  }

  _onResize(entry) {
    const dpr = window.devicePixelRatio || 1;
    const css = entry.contentBoxSize && entry.contentBoxSize[0];
    const device = entry.devicePixelContentBoxSize && entry.devicePixelContentBoxSize[0];
    const cssWidth = css ? css.inlineSize : entry.contentRect.width;
    const cssHeight = css ? css.blockSize : entry.contentRect.height;
    // The exact device-pixel size (Chromium) avoids blur from rounding at fractional zoom.
    // It is only a refinement: under device emulation it can disagree with
    // devicePixelRatio entirely, and then devicePixelRatio is the one pages go by.
    const close = (exact, css) => Math.abs(exact - css * dpr) <= 1;
    const exact = device && close(device.inlineSize, cssWidth) && close(device.blockSize, cssHeight);
    const width = exact ? device.inlineSize : Math.round(cssWidth * dpr);
    const height = exact ? device.blockSize : Math.round(cssHeight * dpr);
    this._setSize(cssWidth, cssHeight, width, height);
  }

  _measure() {
    const rect = this.canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    if (rect.width > 0 && rect.height > 0) {
      this._setSize(rect.width, rect.height, Math.round(rect.width * dpr), Math.round(rect.height * dpr));
    }
  }

  _setSize(cssWidth, cssHeight, width, height) {
    if (!(cssWidth > 0 && cssHeight > 0)) return;
    this.cssWidth = cssWidth;
    this.cssHeight = cssHeight;
    this.scale = width / cssWidth;
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this._draw();
  }

  _colours() {
    const style = getComputedStyle(this.canvas);
    const prop = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
    return {
      // The canvas has no currentColor; the inherited text colour plays --fg's part.
      fg: prop('--fg', style.color || '#e6e6e6'),
      muted: prop('--muted', FALLBACK.muted),
      accent: prop('--accent', FALLBACK.accent),
      accent2: prop('--accent-2', FALLBACK.accent2),
      border: prop('--border', FALLBACK.border),
      font: style.fontFamily || 'system-ui, sans-serif',
    };
  }

  _draw() {
    const { ctx, cssWidth: w, cssHeight: h } = this;
    if (!ctx || !(w > 0 && h > 0)) return;
    const c = this._colours();

    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    // Draw in CSS pixels; the transform maps them onto the denser backing store.
    ctx.setTransform(this.scale, 0, 0, this.scale, 0, 0);

    const fontSize = 11;
    ctx.font = `${fontSize}px ${c.font}`;
    ctx.textBaseline = 'top';

    const pad = { top: fontSize + 8, right: 6, bottom: 6, left: 6 };
    const plotW = Math.max(1, w - pad.left - pad.right);
    const plotH = Math.max(1, h - pad.top - pad.bottom);

    let peak = 0;
    for (const v of this.inbound) if (v !== null && v > peak) peak = v;
    for (const v of this.outbound) if (v !== null && v > peak) peak = v;
    // A silent line sits on the floor instead of filling the chart with noise.
    const max = Math.max(niceCeil(peak), 10);

    // Top (max) and bottom (zero) guide lines; half-pixel offsets keep 1px lines sharp.
    ctx.strokeStyle = c.border;
    ctx.lineWidth = 1;
    ctx.beginPath();
    const top = Math.round(pad.top) + 0.5;
    const bottom = Math.round(pad.top + plotH) - 0.5;
    ctx.moveTo(pad.left, top);
    ctx.lineTo(pad.left + plotW, top);
    ctx.moveTo(pad.left, bottom);
    ctx.lineTo(pad.left + plotW, bottom);
    ctx.stroke();

    ctx.fillStyle = c.muted;
    ctx.textAlign = 'left';
    ctx.fillText(`max ${Math.round(max)} kbit/s`, pad.left, 3);

    this._legend(c, w - pad.right, 3, fontSize);

    const yOf = (v) => pad.top + plotH - (Math.min(v, max) / max) * plotH;
    // Newest sample on the right edge; the chart fills in from the right as samples arrive.
    const xOf = (i, n) => pad.left + plotW - (n - 1 - i) * (plotW / (CAPACITY - 1));
    this._line(this.inbound, c.accent, xOf, yOf);
    this._line(this.outbound, c.accent2, xOf, yOf);
  }

  _line(values, colour, xOf, yOf) {
    const { ctx } = this;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    ctx.beginPath();
    let drawing = false;
    values.forEach((v, i) => {
      // An unknown sample breaks the line rather than pretending it was zero.
      if (v === null) { drawing = false; return; }
      const x = xOf(i, values.length), y = yOf(v);
      if (drawing) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      drawing = true;
    });
    ctx.stroke();
  }

  _legend(c, right, y, fontSize) {
    const { ctx } = this;
    const items = [['in', c.accent], ['out', c.accent2]];
    const swatch = 10, gap = 4, spacing = 10;
    ctx.textAlign = 'left';
    let x = right;
    // Laid out right to left so the legend hugs the right edge whatever the font.
    for (let i = items.length - 1; i >= 0; i--) {
      const [label, colour] = items[i];
      const textWidth = ctx.measureText(label).width;
      x -= textWidth;
      ctx.fillStyle = c.fg;
      ctx.fillText(label, x, y);
      x -= gap + swatch;
      ctx.fillStyle = colour;
      ctx.fillRect(x, y + (fontSize - 3) / 2, swatch, 3);
      x -= spacing;
    }
  }
}

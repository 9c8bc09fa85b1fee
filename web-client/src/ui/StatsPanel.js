// Call statistics: a list of figures and a bitrate chart, refreshed once a second
// from RTCPeerConnection.getStats().

import { CallStats } from '../media/CallStats.js';
import { StatsChart } from './StatsChart.js';

const POLL_MS = 1000;
const UNKNOWN = '–';

const known = (v) => typeof v === 'number' && Number.isFinite(v);

// Audio plus video; one side alone still counts, both missing is unknown.
function total(a, b) {
  if (!known(a) && !known(b)) return null;
  return (known(a) ? a : 0) + (known(b) ? b : 0);
}

const kbps = (v) => (known(v) ? `${Math.round(v)} kbit/s` : UNKNOWN);
const ms = (v) => (known(v) ? `${Math.round(v)} ms` : UNKNOWN);
const fps = (v) => (known(v) ? `${Math.round(v)} fps` : UNKNOWN);
const percent = (v) => (known(v) ? `${v.toFixed(1)}%` : UNKNOWN);
const text = (v) => (typeof v === 'string' && v ? v : UNKNOWN);

function loss(audio, video) {
  if (!known(audio) && !known(video)) return UNKNOWN;
  return `${percent(audio)} / ${percent(video)}`;
}

function codecs(audio, video) {
  const names = [audio, video].filter((v) => typeof v === 'string' && v);
  return names.length ? names.join(', ') : UNKNOWN;
}

// [data-stat key, label, formatter]. `first` is true for the sample taken right after
// attach: it has no interval behind it, so its rates are zeros, not measurements.
const ROWS = [
  ['bitrate-in', 'Bitrate in', (s, first) => (first ? UNKNOWN : kbps(total(s.audioInKbps, s.videoInKbps)))],
  ['bitrate-out', 'Bitrate out', (s, first) => (first ? UNKNOWN : kbps(total(s.audioOutKbps, s.videoOutKbps)))],
  ['loss', 'Packet loss', (s) => loss(s.audioLossPercent, s.videoLossPercent)],
  ['jitter', 'Jitter', (s) => ms(s.jitterMs)],
  ['rtt', 'Round trip', (s) => ms(s.rttMs)],
  ['resolution-in', 'Resolution in', (s) => text(s.inResolution)],
  ['resolution-out', 'Resolution out', (s) => text(s.outResolution)],
  ['fps-in', 'Frame rate in', (s) => fps(s.inFps)],
  ['fps-out', 'Frame rate out', (s) => fps(s.outFps)],
  ['codecs', 'Codecs', (s) => codecs(s.audioCodec, s.videoCodec)],
];

export class StatsPanel {
  constructor(root) {
    this.root = root;
    this.pc = null;
    this.timer = null;
    this.calls = null;
    this.sample = null;
    this.first = false;
    this.busy = false;
    // Bumped on every attach/detach so a getStats() still in flight for an old
    // connection cannot paint over the new one.
    this.generation = 0;

    root.classList.add('stats-panel');
    root.replaceChildren();

    const list = document.createElement('dl');
    list.className = 'stats-figures';
    this.values = new Map();
    for (const [key, label] of ROWS) {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.dataset.stat = key;
      dd.textContent = UNKNOWN;
      list.append(dt, dd);
      this.values.set(key, dd);
    }

    const canvas = document.createElement('canvas');
    canvas.className = 'stats-chart';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'Bitrate over the last minute');

    root.append(list, canvas);
    this.chart = new StatsChart(canvas);
  }

  get latest() {
    return this.sample;
  }

  attach(pc) {
    this._stop();
    this.pc = pc;
    this.calls = new CallStats();
    this.sample = null;
    this.chart.clear();
    this._render(null);
    this.root.classList.remove('stats-stale');
    if (!pc) return;

    const generation = this.generation;
    this.timer = setInterval(() => this._poll(generation), POLL_MS);
    // Take the baseline now, so the first rates come one second after attach, not two.
    this._poll(generation);
  }

  detach() {
    const wasAttached = this.pc !== null;
    this._stop();
    if (wasAttached) this.root.classList.add('stats-stale');
  }

  _stop() {
    this.generation += 1;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.pc = null;
    this.busy = false;
  }

  async _poll(generation) {
    // A slow getStats() must not pile up behind the timer.
    if (this.busy || generation !== this.generation) return;
    const pc = this.pc;
    if (!pc || pc.signalingState === 'closed') {
      this.detach();
      return;
    }
    this.busy = true;
    try {
      const report = await pc.getStats();
      if (generation !== this.generation) return;
      const sample = this.calls.update(report, performance.timeOrigin + performance.now());
      const first = this.sample === null;
      this.sample = sample;
      this._render(sample, first);
      if (!first) {
        this.chart.push(total(sample.audioInKbps, sample.videoInKbps), total(sample.audioOutKbps, sample.videoOutKbps));
      }
    } catch (err) {
      // A closed or broken connection: keep what we last showed and stop asking.
      if (generation === this.generation) {
        console.warn('Call statistics stopped:', err);
        this.detach();
      }
    } finally {
      if (generation === this.generation) this.busy = false;
    }
  }

  _render(sample, first = false) {
    for (const [key, , format] of ROWS) {
      this.values.get(key).textContent = sample ? format(sample, first) : UNKNOWN;
    }
  }
}

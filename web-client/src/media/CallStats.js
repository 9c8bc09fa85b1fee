// Turns successive RTCStatsReport snapshots into the figures a call panel shows.
// No DOM here, so it can be fed hand-made reports in tests.

// One sample per update(). Numbers, or null when the report does not tell.
function emptySample() {
  return {
    audioInKbps: 0, audioOutKbps: 0, videoInKbps: 0, videoOutKbps: 0,
    audioLossPercent: null, videoLossPercent: null,
    jitterMs: null,
    rttMs: null,
    inResolution: null, outResolution: null,
    inFps: null, outFps: null,
    audioCodec: null, videoCodec: null,
  };
}

// RTCStatsReport and Map pass (value, key) to forEach, arrays pass (value, index);
// a bare iterable of a Map yields [key, value] pairs.
function statsList(report) {
  const list = [];
  if (!report) return list;
  const add = (s) => { if (s && typeof s === 'object' && typeof s.type === 'string') list.push(s); };
  if (typeof report.forEach === 'function') {
    report.forEach((value) => add(value));
  } else if (typeof report[Symbol.iterator] === 'function') {
    for (const item of report) add(Array.isArray(item) && item.length === 2 ? item[1] : item);
  } else {
    Object.values(report).forEach(add);
  }
  return list;
}

// Firefox reported `mediaType` before `kind` existed.
const kindOf = (s) => s.kind || s.mediaType || null;

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

// Stats built by hand (tests) may have no id; the type, kind and SSRC still tell streams apart.
const keyOf = (s) => s.id || `${s.type}/${kindOf(s)}/${s.ssrc}`;

function codecName(codec) {
  if (!codec || typeof codec.mimeType !== 'string') return null;
  const name = codec.mimeType.replace(/^(audio|video)\//i, '');
  return codec.clockRate ? `${name}/${codec.clockRate}` : name;
}

function resolutionOf(s) {
  const w = num(s.frameWidth), h = num(s.frameHeight);
  return w && h ? `${w}x${h}` : null;
}

export class CallStats {
  constructor() {
    // Per RTP stream (keyed by stats id): the counters of the previous snapshot.
    this._previous = new Map();
  }

  update(report, nowMs) {
    const fallbackTime = num(nowMs) ?? Date.now();
    const stats = statsList(report);
    const byId = new Map();
    for (const s of stats) if (s.id) byId.set(s.id, s);

    const sample = emptySample();
    const current = new Map();
    const rtp = [];

    for (const s of stats) {
      if (s.type !== 'inbound-rtp' && s.type !== 'outbound-rtp') continue;
      const kind = kindOf(s);
      if (kind !== 'audio' && kind !== 'video') continue;
      const inbound = s.type === 'inbound-rtp';
      const counters = {
        time: num(s.timestamp) ?? fallbackTime,
        bytes: num(inbound ? s.bytesReceived : s.bytesSent),
        packets: num(inbound ? s.packetsReceived : s.packetsSent),
        lost: inbound ? num(s.packetsLost) : null,
        frames: num(kind === 'video' ? (inbound ? s.framesDecoded : s.framesEncoded) : null),
      };
      current.set(keyOf(s), counters);
      rtp.push({ s, kind, inbound, counters });
    }

    // A counter running backwards means the numbers now come from another peer
    // connection (or a restarted stream): differences against the old ones would be garbage.
    let fresh = this._previous.size === 0;
    for (const { s, counters } of rtp) {
      const prev = this._previous.get(keyOf(s));
      if (!prev) continue;
      if (counters.time <= prev.time
          || (counters.bytes !== null && prev.bytes !== null && counters.bytes < prev.bytes)
          || (counters.packets !== null && prev.packets !== null && counters.packets < prev.packets)
          || (counters.frames !== null && prev.frames !== null && counters.frames < prev.frames)) {
        fresh = true;
        break;
      }
    }
    const previous = fresh ? new Map() : this._previous;
    this._previous = current;

    const loss = { audio: null, video: null };
    const bestVideo = { in: null, out: null };
    let jitter = null;

    for (const { s, kind, inbound, counters } of rtp) {
      const prev = previous.get(keyOf(s));
      const dtMs = prev ? counters.time - prev.time : 0;

      // bytes * 8 / ms is kbit/s.
      if (prev && dtMs > 0 && counters.bytes !== null && prev.bytes !== null) {
        const kbps = ((counters.bytes - prev.bytes) * 8) / dtMs;
        const field = `${kind}${inbound ? 'In' : 'Out'}Kbps`;
        sample[field] += kbps;
      }

      if (inbound) {
        // First sight of the stream: nothing lost yet over an empty interval.
        let lost = 0, received = 0;
        if (prev) {
          // packetsLost may legitimately shrink (late duplicates); that is not negative loss.
          lost = counters.lost !== null && prev.lost !== null ? Math.max(0, counters.lost - prev.lost) : 0;
          received = counters.packets !== null && prev.packets !== null ? counters.packets - prev.packets : 0;
        }
        const acc = loss[kind] || (loss[kind] = { lost: 0, received: 0 });
        acc.lost += lost;
        acc.received += received;

        if (kind === 'audio') {
          const j = num(s.jitter);
          // Several audio streams: the worst one is what the user hears.
          if (j !== null) jitter = Math.max(jitter ?? 0, j * 1000);
        }
      }

      if (kind === 'video') {
        // With simulcast or several remote videos, show the biggest picture.
        const dir = inbound ? 'in' : 'out';
        const w = num(s.frameWidth) ?? 0, h = num(s.frameHeight) ?? 0;
        let fps = num(s.framesPerSecond);
        if (fps === null && prev && dtMs > 0 && counters.frames !== null && prev.frames !== null) {
          fps = ((counters.frames - prev.frames) * 1000) / dtMs;
        }
        const area = w * h;
        const best = bestVideo[dir];
        if (!best || area > best.area || (area === best.area && best.fps === null && fps !== null)) {
          bestVideo[dir] = { area, resolution: resolutionOf(s), fps };
        }
      }
    }

    for (const kind of ['audio', 'video']) {
      const acc = loss[kind];
      if (!acc) continue;
      const total = acc.lost + acc.received;
      const field = `${kind}LossPercent`;
      if (total > 0) sample[field] = (acc.lost / total) * 100;
      // No previous snapshot: a fresh start reports 0, like the rates.
      else if (fresh) sample[field] = 0;
    }

    sample.jitterMs = jitter;
    if (bestVideo.in) { sample.inResolution = bestVideo.in.resolution; sample.inFps = bestVideo.in.fps; }
    if (bestVideo.out) { sample.outResolution = bestVideo.out.resolution; sample.outFps = bestVideo.out.fps; }

    sample.rttMs = roundTripMs(stats, byId);
    sample.audioCodec = codecFor('audio', rtp, byId);
    sample.videoCodec = codecFor('video', rtp, byId);
    return sample;
  }
}

function roundTripMs(stats, byId) {
  // The transport names the pair in use; without it (Firefox) the pair says so itself.
  let pair = null;
  for (const s of stats) {
    if (s.type === 'transport' && s.selectedCandidatePairId) {
      pair = byId.get(s.selectedCandidatePairId) || null;
      if (pair) break;
    }
  }
  if (!pair) {
    pair = stats.find((s) => s.type === 'candidate-pair' && s.selected)
      || stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded')
      || null;
  }
  const current = pair ? num(pair.currentRoundTripTime) : null;
  if (current !== null) return current * 1000;

  // RTCP receiver reports give a round trip per stream when ICE does not.
  let rtt = null;
  for (const s of stats) {
    if (s.type !== 'remote-inbound-rtp') continue;
    const r = num(s.roundTripTime);
    if (r !== null) rtt = Math.max(rtt ?? 0, r * 1000);
  }
  return rtt;
}

function codecFor(kind, rtp, byId) {
  // What we receive is what the user sees; a send-only call only has the outbound codec.
  for (const inbound of [true, false]) {
    for (const r of rtp) {
      if (r.kind !== kind || r.inbound !== inbound || !r.s.codecId) continue;
      const name = codecName(byId.get(r.s.codecId));
      if (name) return name;
    }
  }
  return null;
}

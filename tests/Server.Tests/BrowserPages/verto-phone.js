// A minimal Verto phone for browser tests: the messages verto.js sends and answers
// (verto-protocol.md §2.1, §3.3-3.8, §4, §6.6) over the page's WebSocket, with plain
// RTCPeerConnection for media (non-trickle: one complete SDP, bundlePolicy max-compat as
// verto.js asks). Defines window.VertoPhone; tests drive it with page.evaluate.
window.VertoPhone = class VertoPhone {
  constructor({ url, login, passwd, sessid }) {
    Object.assign(this, { url, login, passwd, sessid: sessid || crypto.randomUUID() });
    this.nextId = 1;
    this.pending = new Map();
    this.calls = new Map();      // callID -> { pc, state, remoteSdp, byeCause }
    this.log = [];
    this.requests = [];          // server requests seen: { method, params }
    this.autoAnswer = false;
    this.useVideo = true;
    this.tone = null;            // { frequency, gain }: the microphone is a WebAudio oscillator (gain 0: silence)
    this.videoColor = null;      // a CSS colour: the camera is a canvas of that colour (see cameraStream)
    this.rows = new Map();       // live array replica: hashKey -> row, fed by verto.event on subscribed arrays
  }

  async connect() {
    this.ws = new WebSocket(this.url);
    this.ws.onmessage = (m) => this.onMessage(JSON.parse(m.data));
    await new Promise((resolve, reject) => { this.ws.onopen = resolve; this.ws.onerror = () => reject(new Error('ws error')); });
    const empty = await this.rpc('login', {});
    if (!empty.error || empty.error.code !== -32000) throw new Error('empty login: ' + JSON.stringify(empty));
    const real = await this.rpc('login', { login: this.login, passwd: this.passwd });
    if (!real.result) throw new Error('login: ' + JSON.stringify(real.error));
    this.log.push('logged in');
  }

  /** Closes the socket as a lost network would; calls stay up in the page (their peer connections keep media). */
  dropSocket() { this.ws.onclose = null; this.ws.close(); this.log.push('socket dropped'); }

  rpc(method, params) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', method, id, params: { ...params, sessid: this.sessid } }));
    });
  }

  reply(msg) { this.ws.send(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { method: msg.method } })); }

  onMessage(msg) {
    if (!msg.method) {
      const resolve = this.pending.get(msg.id);
      if (resolve) { this.pending.delete(msg.id); resolve(msg); }
      return;
    }
    this.requests.push({ method: msg.method, params: msg.params });
    const p = msg.params || {};
    if (msg.method === 'verto.event' && p.data && p.data.action && typeof p.eventChannel === 'string' && p.eventChannel.startsWith('conference-liveArray.')) this.onLiveArray(p.data);
    if (p.callID && msg.method !== 'verto.event') this.reply(msg);
    const call = p.callID && this.calls.get(p.callID);
    switch (msg.method) {
      case 'verto.media':
      case 'verto.answer':
        if (call && p.sdp && !call.remoteSdp) {
          call.remoteSdp = p.sdp;
          call.pc.setRemoteDescription({ type: 'answer', sdp: p.sdp }).catch((e) => this.log.push('setRemote failed: ' + e));
        }
        if (call) call.state = msg.method === 'verto.answer' ? 'active' : 'early';
        break;
      case 'verto.bye':
        if (call) { call.state = 'hangup'; call.byeCause = p.cause; call.pc.close(); this.rpc('verto.bye', { dialogParams: { callID: p.callID } }); }
        break;
      case 'verto.invite':
        this.calls.set(p.callID, { pc: null, state: 'ringing', invite: p });
        if (this.autoAnswer) this.answer(p.callID).catch((e) => this.log.push('answer failed: ' + e));
        break;
      case 'verto.attach':
        this.reattach(p).catch((e) => this.log.push('attach failed: ' + e));
        break;
    }
  }

  async media(video) {
    if (this.tone) {
      // A known signal instead of the fake device's beeps: an oscillator (or silence) as the microphone.
      this.audioContext = this.audioContext || new AudioContext({ sampleRate: 48000 });
      const oscillator = this.audioContext.createOscillator();
      oscillator.frequency.value = this.tone.frequency;
      const gain = this.audioContext.createGain();
      gain.gain.value = this.tone.gain;
      const destination = this.audioContext.createMediaStreamDestination();
      oscillator.connect(gain).connect(destination);
      oscillator.start();
      const stream = destination.stream;
      if (video) this.cameraStream().getVideoTracks().forEach((t) => stream.addTrack(t));
      return stream;
    }
    if (video && this.videoColor) {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      this.cameraStream().getVideoTracks().forEach((t) => stream.addTrack(t));
      return stream;
    }
    return navigator.mediaDevices.getUserMedia({ audio: true, video: video ? { width: 320, height: 240 } : false });
  }

  /**
   * The camera: the fake device, or with `this.videoColor` set a 320x240 canvas of that
   * colour with a small white square moving across it (so every page sends a different,
   * recognisable picture that keeps changing, as a camera does).
   */
  cameraStream() {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const g = canvas.getContext('2d');
    let x = 0;
    const draw = () => {
      g.fillStyle = this.videoColor;
      g.fillRect(0, 0, 320, 240);
      g.fillStyle = '#fff';
      g.fillRect(x, 10, 20, 20);
      x = (x + 4) % 300;
    };
    draw();
    setInterval(draw, 33);
    return canvas.captureStream(30);
  }

  /**
   * The picture this call receives: its size and the average colour (r, g, b) around each
   * of `points` ([x, y] as fractions of the width and height), drawn from a <video>
   * element into a canvas. Null until a frame has arrived.
   */
  async receivedPicture(callID, points) {
    const entry = this.calls.get(callID);
    if (!entry.videoSink) {
      const track = entry.pc.getReceivers().map((r) => r.track).find((t) => t && t.kind === 'video');
      entry.videoSink = document.createElement('video');
      entry.videoSink.muted = true;
      entry.videoSink.autoplay = true;
      entry.videoSink.srcObject = new MediaStream([track]);
      document.body.appendChild(entry.videoSink);
      await entry.videoSink.play().catch(() => {});
    }
    const v = entry.videoSink;
    if (!v.videoWidth) return null;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    const g = canvas.getContext('2d');
    g.drawImage(v, 0, 0);
    const colours = points.map(([fx, fy]) => {
      const d = g.getImageData(Math.floor(fx * canvas.width) - 4, Math.floor(fy * canvas.height) - 4, 8, 8).data;
      let r = 0, gr = 0, b = 0;
      for (let i = 0; i < d.length; i += 4) { r += d[i]; gr += d[i + 1]; b += d[i + 2]; }
      const n = d.length / 4;
      return [Math.round(r / n), Math.round(gr / n), Math.round(b / n)];
    });
    // The brightest pixel (mean of r, g, b) in a 48x24 window around each point: banner text is white.
    const peaks = points.map(([fx, fy]) => {
      const d = g.getImageData(Math.floor(fx * canvas.width) - 24, Math.floor(fy * canvas.height) - 12, 48, 24).data;
      let peak = 0;
      for (let i = 0; i < d.length; i += 4) peak = Math.max(peak, (d[i] + d[i + 1] + d[i + 2]) / 3);
      return Math.round(peak);
    });
    return { width: v.videoWidth, height: v.videoHeight, colours, peaks };
  }

  /**
   * The level (dB, from an AnalyserNode's spectrum) at `frequency` in the audio this call
   * receives, averaged over `ms`. Remote WebRTC audio reaches WebAudio only while a media
   * element plays it, so a muted <audio> element holds the stream.
   */
  async receivedLevel(callID, frequency, ms = 600) {
    const entry = this.calls.get(callID);
    if (!entry.analyser) {
      const track = entry.pc.getReceivers().map((r) => r.track).find((t) => t && t.kind === 'audio');
      const stream = new MediaStream([track]);
      entry.sink = new Audio();
      entry.sink.muted = true;
      entry.sink.srcObject = stream;
      await entry.sink.play().catch(() => {});
      this.audioContext = this.audioContext || new AudioContext({ sampleRate: 48000 });
      await this.audioContext.resume();
      entry.analyser = this.audioContext.createAnalyser();
      entry.analyser.fftSize = 8192;
      entry.analyser.smoothingTimeConstant = 0;
      this.audioContext.createMediaStreamSource(stream).connect(entry.analyser);
    }
    const bins = new Float32Array(entry.analyser.frequencyBinCount);
    const bin = Math.round(frequency / (this.audioContext.sampleRate / entry.analyser.fftSize));
    let sum = 0, count = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      entry.analyser.getFloatFrequencyData(bins);
      const peak = Math.max(bins[bin - 1], bins[bin], bins[bin + 1]);
      sum += Number.isFinite(peak) ? Math.max(peak, -200) : -200;
      count++;
      await new Promise((r) => setTimeout(r, 50));
    }
    return sum / count;
  }

  /** The last pvtData event of this session (§9.1), or null. */
  pvtData(action = 'conference-liveArray-join') {
    const events = this.requests.filter((r) => r.method === 'verto.event' && r.params.pvtData && r.params.pvtData.action === action);
    return events.length ? events[events.length - 1].params.pvtData : null;
  }

  subscribe(channels) { return this.rpc('verto.subscribe', { eventChannel: channels }); }

  broadcast(eventChannel, data) { return this.rpc('verto.broadcast', { eventChannel, data }); }

  /** Subscribes to a live array and asks for its rows (§8.3); later changes keep this.rows current. */
  async bootstrap(channel, name) {
    await this.subscribe([channel]);
    await this.broadcast(channel, { liveArray: { command: 'bootstrap', context: channel, name } });
  }

  /** The status object (row index 4, a JSON string) of a member's row, or null. */
  status(hashKey) { const row = this.rows.get(hashKey); return row ? JSON.parse(row[4]) : null; }

  onLiveArray(data) {
    if (data.action === 'bootObj') for (const [key, row] of data.data) this.rows.set(key, row);
    else if (data.action === 'add' || data.action === 'modify') this.rows.set(data.hashKey, data.data);
    else if (data.action === 'del') this.rows.delete(data.hashKey);
    else if (data.action === 'clear') this.rows.clear();
  }

  newPeer(stream) {
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-compat', iceServers: [] });
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    return pc;
  }

  /** Waits for ICE gathering to finish, as verto.js does before sending an SDP (§5). */
  async gathered(pc) {
    if (pc.iceGatheringState === 'complete') return;
    await new Promise((resolve) => {
      const done = () => { if (pc.iceGatheringState === 'complete') resolve(); };
      pc.addEventListener('icegatheringstatechange', done);
      setTimeout(resolve, 3000);
    });
  }

  async call(destination, { video = true, callID = crypto.randomUUID(), sdpMunge } = {}) {
    const stream = await this.media(video);
    const pc = this.newPeer(stream);
    const entry = { pc, state: 'requesting', stream };
    this.calls.set(callID, entry);
    await pc.setLocalDescription(await pc.createOffer());
    await this.gathered(pc);
    let sdp = pc.localDescription.sdp;
    if (sdpMunge) sdp = sdpMunge(sdp);
    const res = await this.rpc('verto.invite', {
      sdp, dialogParams: { callID, destination_number: destination, caller_id_name: this.login, caller_id_number: this.login,
                           useVideo: video, useStereo: false, screenShare: false, recoverCall: true } });
    entry.inviteResult = res;
    if (res.error) { entry.state = 'error'; pc.close(); } else { entry.state = 'trying'; }
    return { callID, result: res.result || null, error: res.error || null };
  }

  async answer(callID) {
    const entry = this.calls.get(callID);
    const stream = await this.media(this.useVideo);
    entry.pc = this.newPeer(stream);
    await entry.pc.setRemoteDescription({ type: 'offer', sdp: entry.invite.sdp });
    await entry.pc.setLocalDescription(await entry.pc.createAnswer());
    await this.gathered(entry.pc);
    const res = await this.rpc('verto.answer', { sdp: entry.pc.localDescription.sdp, dialogParams: { callID } });
    entry.state = res.result ? 'active' : 'error';
    entry.answerResult = res;
    return res;
  }

  /** §6.6: a fresh dialog for the callID (the old one torn down first), answered at once with C->S verto.attach. */
  async reattach(p) {
    const old = this.calls.get(p.callID);
    if (old && old.pc) old.pc.close();
    const stream = await this.media(this.useVideo);
    const pc = this.newPeer(stream);
    const entry = { pc, state: 'recovering', stream };
    this.calls.set(p.callID, entry);
    await pc.setRemoteDescription({ type: 'offer', sdp: p.sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await this.gathered(pc);
    const res = await this.rpc('verto.attach', { sdp: pc.localDescription.sdp, dialogParams: { callID: p.callID } });
    entry.state = res.result ? 'active' : 'error';
    entry.attachResult = res;
  }

  async hangup(callID) {
    const entry = this.calls.get(callID);
    const res = await this.rpc('verto.bye', { dialogParams: { callID } });
    if (entry && entry.pc) entry.pc.close();
    if (entry) entry.state = 'hangup';
    return res;
  }

  /** What getStats says this call receives: inbound audio packets and decoded video frames. */
  async stats(callID) {
    const entry = this.calls.get(callID);
    const out = { audioPackets: 0, videoPackets: 0, framesDecoded: 0, iceState: entry && entry.pc ? entry.pc.iceConnectionState : 'none',
                  connectionState: entry && entry.pc ? entry.pc.connectionState : 'none', state: entry ? entry.state : 'none' };
    if (!entry || !entry.pc) return out;
    const report = await entry.pc.getStats();
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') out.audioPackets += s.packetsReceived || 0;
      if (s.type === 'inbound-rtp' && s.kind === 'video') { out.videoPackets += s.packetsReceived || 0; out.framesDecoded += s.framesDecoded || 0; }
      if (s.type === 'transport') out.dtlsCipher = s.srtpCipher;
    });
    return out;
  }
};

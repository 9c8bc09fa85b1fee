// One Verto dialog (verto-protocol.md §3.3-3.8, §4, §6): its RTCPeerConnection and its
// state. SDPs are exchanged whole, with every candidate in them (no trickle ICE, §5).
// States follow verto.js: requesting, trying, early, active, held, ringing, answering,
// recovering, hangup.

const GATHER_TIMEOUT_MS = 3000;

export class VertoCall extends EventTarget {
  /**
   * @param {import('./VertoSession.js').VertoSession} session
   * @param {{ callID: string, direction: 'outbound'|'inbound', destination?: string, screenShare?: boolean,
   *           remoteName?: string, remoteNumber?: string }} options
   */
  constructor(session, { callID, direction, destination = '', screenShare = false, remoteName = '', remoteNumber = '' }) {
    super();
    this.session = session;
    this.callID = callID;
    this.direction = direction;
    this.destination = destination;
    this.screenShare = screenShare;
    this.remoteName = remoteName;
    this.remoteNumber = remoteNumber || destination;
    this.state = 'new';
    this.cause = null;
    this.pc = null;
    this.localStream = null;
    this.remoteStream = new MediaStream();
    this.offerSdp = null;       // a server offer waiting for our answer (incoming call)
    this.hasRemoteAnswer = false;
  }

  get isLive() { return !['new', 'hangup'].includes(this.state); }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: state }));
  }

  dialogParams(extra = {}) {
    return { callID: this.callID, destination_number: this.destination, screenShare: this.screenShare, ...extra };
  }

  /** Places the call: offer, verto.invite, then waits for verto.media / verto.answer from the server. */
  async invite(stream, { useVideo, callerName, callerNumber }) {
    this.localStream = stream;
    this.setState('requesting');
    const pc = this.newPeerConnection(stream, { receiveVideo: useVideo && !this.screenShare, receiveAudio: !this.screenShare });
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    try {
      await this.session.request('verto.invite', {
        sdp: pc.localDescription.sdp,
        dialogParams: this.dialogParams({
          caller_id_name: callerName, caller_id_number: callerNumber,
          remote_caller_id_name: 'Outbound Call', remote_caller_id_number: this.destination,
          useVideo, useStereo: false, recoverCall: true, outgoingBandwidth: 'default', incomingBandwidth: 'default',
        }),
      });
    } catch (error) {
      // The server refused the call (CALL ERROR with a cause): no bye is owed (§3.3).
      this.end(error.error && error.error.cause ? error.error.cause : error.message, false);
      throw error;
    }
    if (this.state === 'requesting') this.setState('trying');
  }

  /** Answers a ringing server call (S->C verto.invite) with our media. */
  async answer(stream) {
    if (this.state !== 'ringing') return;
    this.localStream = stream;
    this.setState('answering');
    const pc = this.newPeerConnection(null, {});
    await pc.setRemoteDescription({ type: 'offer', sdp: this.offerSdp });
    this.hasRemoteAnswer = true;
    await this.sendOnOfferedTransceivers(pc, stream);
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    try {
      await this.session.request('verto.answer', { sdp: pc.localDescription.sdp, dialogParams: this.dialogParams() });
      this.setState('active');
    } catch (error) {
      this.end(error.message, true);
      throw error;
    }
  }

  /** Recovery after a reconnect (§6.6): a fresh peer connection answering the server's new offer. */
  async reattach(offerSdp, stream) {
    if (this.pc) this.pc.close();
    this.localStream = stream;
    this.setState('recovering');
    const pc = this.newPeerConnection(null, {});
    await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    this.hasRemoteAnswer = true;
    await this.sendOnOfferedTransceivers(pc, stream);
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    try {
      await this.session.request('verto.attach', { sdp: pc.localDescription.sdp, dialogParams: this.dialogParams() });
      this.setState('active');
    } catch (error) {
      this.end(error.message, false);
      throw error;
    }
  }

  /** S->C verto.media and verto.answer: the server's answer SDP (only the first one carries it). */
  async onServerAnswer(params, answered) {
    if (this.state === 'hangup') return;
    if (params.sdp && this.pc && !this.hasRemoteAnswer) {
      this.hasRemoteAnswer = true;
      try {
        await this.pc.setRemoteDescription({ type: 'answer', sdp: params.sdp });
      } catch (error) {
        console.error('verto: the server answer was refused by the browser', error);
        this.hangup('INCOMPATIBLE_DESTINATION');
        return;
      }
    }
    this.setState(answered ? 'active' : 'early');
  }

  onServerDisplay(params) {
    this.remoteName = params.display_name || this.remoteName;
    this.remoteNumber = params.display_number || this.remoteNumber;
    this.dispatchEvent(new CustomEvent('display'));
  }

  /** S->C verto.bye: the server ended the call; it already knows, so no bye goes back. */
  onServerBye(params) { this.end(params.cause || 'NORMAL_CLEARING', false); }

  /** Hangs up (sends verto.bye unless the server already ended the call). */
  async hangup(cause) {
    if (this.state === 'hangup' || this.state === 'new') return;
    const params = { dialogParams: this.dialogParams() };
    if (cause) params.cause = cause;
    this.end(cause || 'NORMAL_CLEARING', false);
    try { await this.session.request('verto.bye', params); } catch { /* the call is gone either way */ }
  }

  end(cause, sendBye) {
    if (this.state === 'hangup') return;
    this.cause = cause;
    console.info(`verto: call ${this.callID} ended in state ${this.state}: ${cause}`);
    if (this.pc) { this.pc.close(); }
    if (this.localStream && this.screenShare) this.localStream.getTracks().forEach((t) => t.stop());
    this.setState('hangup');
    this.dispatchEvent(new CustomEvent('hangup', { detail: cause }));
    if (sendBye) this.session.request('verto.bye', { dialogParams: this.dialogParams() }).catch(() => {});
  }

  /** verto.modify toggleHold; the answer's holdState decides (§3.6). */
  async toggleHold() {
    const result = await this.session.request('verto.modify', { action: 'toggleHold', dialogParams: this.dialogParams() });
    if (result.holdState === 'held') this.setState('held');
    else if (result.holdState === 'active') this.setState('active');
    return result.holdState;
  }

  /** Digits as the caller pressed them (§3.7); conferences act on 0, *0 and the rest (§9.6). */
  dtmf(digits) {
    return this.session.request('verto.info', { dtmf: String(digits), dialogParams: this.dialogParams() });
  }

  /** Asks the server for a key frame towards us (a picture that stays broken). */
  refreshVideo() {
    return this.session.request('verto.modify', { action: 'videoRefresh', dialogParams: this.dialogParams() });
  }

  /** Local mute without the server: for calls that are not in a conference. */
  setLocalTrackEnabled(kind, enabled) {
    if (!this.localStream) return;
    for (const track of this.localStream.getTracks()) if (track.kind === kind) track.enabled = enabled;
  }

  /**
   * Puts our tracks on the transceivers a server offer made. Tracks added before the offer
   * would get transceivers of their own that the offer's m-lines never use.
   */
  async sendOnOfferedTransceivers(pc, stream) {
    const tracks = stream ? stream.getTracks() : [];
    for (const transceiver of pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind;
      const track = tracks.find((t) => t.kind === kind);
      if (!track) { transceiver.direction = this.screenShare ? 'inactive' : 'recvonly'; continue; }
      tracks.splice(tracks.indexOf(track), 1);
      await transceiver.sender.replaceTrack(track);
      if (typeof transceiver.sender.setStreams === 'function') transceiver.sender.setStreams(stream);
      transceiver.direction = this.screenShare ? 'sendonly' : 'sendrecv';
    }
  }

  newPeerConnection(stream, { receiveVideo, receiveAudio }) {
    // max-bundle: one transport for the call; the server answers BUNDLE as offered.
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers: [] });
    this.pc = pc;
    this.hasRemoteAnswer = false;
    const kinds = new Set();
    if (stream) {
      for (const track of stream.getTracks()) {
        kinds.add(track.kind);
        pc.addTransceiver(track, { direction: this.screenShare ? 'sendonly' : 'sendrecv', streams: [stream] });
      }
    }
    // Without a microphone or camera the call still receives the room's sound and picture.
    if (receiveAudio && !kinds.has('audio')) pc.addTransceiver('audio', { direction: 'recvonly' });
    if (receiveVideo && !kinds.has('video')) pc.addTransceiver('video', { direction: 'recvonly' });
    this.remoteStream = new MediaStream();
    pc.ontrack = (event) => {
      this.remoteStream.addTrack(event.track);
      this.dispatchEvent(new CustomEvent('remotestream', { detail: this.remoteStream }));
    };
    pc.onconnectionstatechange = () => this.dispatchEvent(new CustomEvent('connection', { detail: pc.connectionState }));
    return pc;
  }
}

/** Waits until ICE gathering is complete, as verto.js does before sending an SDP (§5). */
function gathered(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, GATHER_TIMEOUT_MS);
    function done() {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    }
    function check() { if (pc.iceGatheringState === 'complete') done(); }
    pc.addEventListener('icegatheringstatechange', check);
  });
}

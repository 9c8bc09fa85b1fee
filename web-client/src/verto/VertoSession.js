// A logged-in Verto connection (verto-protocol.md §1, §2, §4, §6.6, §7): login, calls,
// event channels, and reconnection. When the socket drops unexpectedly it reconnects with
// a growing delay and logs in again with the same sessid, so the server re-attaches the
// answered calls (S->C verto.attach, answered here with C->S verto.attach).

import { JsonRpcSocket, RpcError } from './JsonRpcSocket.js';
import { VertoCall } from './VertoCall.js';

const RECONNECT_DELAYS_MS = [1000, 2000, 3000, 5000];

export class VertoSession extends EventTarget {
  /**
   * @param {{ url: string, login: string, passwd: string, sessid: string,
   *           mediaFor: (call: VertoCall) => Promise<MediaStream|null> }} options
   *        mediaFor supplies local media when the server re-attaches a call this page no longer has.
   */
  constructor({ url, login, passwd, sessid, mediaFor }) {
    super();
    this.url = url;
    this.login = login;
    this.passwd = passwd;
    this.sessid = sessid;
    this.mediaFor = mediaFor;
    this.state = 'disconnected';
    this.calls = new Map();
    this.subscriptions = new Map();  // channel -> handler(params), only once the server confirmed it
    this.socket = null;
    this.loginResult = null;
    this.reconnectAttempt = 0;
    this.reconnectTimer = null;
    this.closing = false;
  }

  setState(state, detail) {
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: { state, ...detail } }));
  }

  /** Connects and logs in; rejects with RpcError (wrong password) or Error (no connection). */
  async connect() {
    this.closing = false;
    this.setState('connecting');
    try {
      await this.openAndLogin();
    } catch (error) {
      this.setState('disconnected', { error });
      throw error;
    }
    this.setState('connected');
  }

  async openAndLogin() {
    const socket = new JsonRpcSocket(this.url, {
      onRequest: (method, params) => this.onServerRequest(method, params),
      onClose: () => this.onSocketLost(),
    });
    this.socket = socket;
    await socket.open();
    try {
      // Credentials at once: the empty first login verto.js sends only earns -32000 (§2.1).
      this.loginResult = await this.request('login', { login: this.login, passwd: this.passwd, loginParams: {}, userVariables: {} });
    } catch (error) {
      socket.close();
      throw error;
    }
  }

  /** Logs out: hangs up every call, closes the socket, and does not reconnect. */
  async logout() {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    for (const call of [...this.calls.values()]) await call.hangup();
    if (this.socket) this.socket.close();
    this.subscriptions.clear();
    this.setState('disconnected');
  }

  request(method, params = {}) {
    if (!this.socket) return Promise.reject(new Error('Not connected'));
    return this.socket.request(method, { ...params, sessid: this.sessid });
  }

  /** Subscribes; resolves with the channels the server accepted (the others were refused, §3.9). */
  async subscribe(channels, handler) {
    const list = Array.isArray(channels) ? channels : [channels];
    let answer;
    try {
      answer = await this.request('verto.subscribe', { eventChannel: list });
    } catch (error) {
      // With no new channel the lists come back as an error object (§3.9).
      if (!(error instanceof RpcError)) throw error;
      answer = error.error;
    }
    const accepted = [...(answer.subscribedChannels || []), ...(answer.alreadySubscribedChannels || [])];
    for (const channel of accepted) this.subscriptions.set(channel, handler);
    return accepted;
  }

  async unsubscribe(channels) {
    const list = Array.isArray(channels) ? channels : [channels];
    for (const channel of list) this.subscriptions.delete(channel);
    if (this.socket && this.socket.isOpen) {
      try { await this.request('verto.unsubscribe', { eventChannel: list }); } catch { /* nothing was subscribed */ }
    }
  }

  /** verto.broadcast; failures come back inside the result (§3.11), so they are turned into errors here. */
  async broadcast(eventChannel, data) {
    const result = await this.request('verto.broadcast', { eventChannel, data });
    if (result && result.code !== undefined && result.message) throw new RpcError('verto.broadcast', result);
    return result;
  }

  /** A new outgoing call (placed with call.invite). */
  newCall(destination, { screenShare = false } = {}) {
    const call = new VertoCall(this, { callID: crypto.randomUUID(), direction: 'outbound', destination, screenShare });
    this.track(call);
    return call;
  }

  track(call) {
    this.calls.set(call.callID, call);
    call.addEventListener('hangup', () => this.calls.delete(call.callID), { once: true });
  }

  onServerRequest(method, params) {
    const call = params.callID ? this.calls.get(params.callID) : undefined;
    switch (method) {
      case 'verto.event': this.onEvent(params); break;
      case 'verto.invite': this.onInvite(params); break;
      case 'verto.attach': this.onAttach(params); break;
      case 'verto.media': if (call) call.onServerAnswer(params, false); break;
      case 'verto.answer': if (call) call.onServerAnswer(params, true); break;
      case 'verto.bye': if (call) call.onServerBye(params); break;
      case 'verto.display': if (call) call.onServerDisplay(params); break;
      case 'verto.info':
        if (params.msg) this.dispatchEvent(new CustomEvent('message', { detail: params.msg }));
        break;
      case 'verto.punt':
        // Another tab or page took this session over (§4.10): stop here, never reconnect.
        this.closing = true;
        if (this.socket) this.socket.close();
        for (const c of [...this.calls.values()]) c.end('PICKED_OFF', false);
        this.setState('punted');
        break;
      case 'verto.clientReady':
        this.dispatchEvent(new CustomEvent('ready', { detail: params.reattached_sessions || [] }));
        break;
      default:
        break; // verto.ping and the optional others need nothing (§1.6, §4.11)
    }
  }

  /** Routing of §7.5: a confirmed subscription (exact, then family), then our sessid, then a call of ours. */
  onEvent(params) {
    const channel = typeof params.eventChannel === 'string' ? params.eventChannel : '';
    const handler = this.subscriptions.get(channel) || this.subscriptions.get(channel.split('.')[0]);
    if (handler) { handler(params); return; }
    if (channel === this.sessid) {
      if (params.pvtData) this.dispatchEvent(new CustomEvent('pvtdata', { detail: params.pvtData }));
      return;
    }
    const call = this.calls.get(channel);
    if (call) call.dispatchEvent(new CustomEvent('event', { detail: params }));
  }

  onInvite(params) {
    const call = new VertoCall(this, {
      callID: params.callID, direction: 'inbound',
      remoteName: params.caller_id_name || 'Unknown', remoteNumber: params.caller_id_number || '',
    });
    call.offerSdp = params.sdp;
    this.track(call);
    call.setState('ringing');
    this.dispatchEvent(new CustomEvent('incoming', { detail: call }));
  }

  async onAttach(params) {
    let call = this.calls.get(params.callID);
    const known = call !== undefined;
    if (!call) {
      // After a page reload the call is new to this page; the server still has it.
      call = new VertoCall(this, {
        callID: params.callID, direction: params.display_direction === 'outbound' ? 'inbound' : 'outbound',
        destination: params.callee_id_number || '', remoteName: params.callee_id_name || params.caller_id_name || '',
        remoteNumber: params.callee_id_number || params.caller_id_number || '',
      });
      call.screenShare = /-screen$/.test(call.destination);
      this.track(call);
    }
    try {
      const stream = known && call.localStream && call.localStream.getTracks().some((t) => t.readyState === 'live')
        ? call.localStream : await this.mediaFor(call);
      if (!known) this.dispatchEvent(new CustomEvent('attaching', { detail: call }));
      await call.reattach(params.sdp, stream);
    } catch (error) {
      console.error('verto: re-attaching call', params.callID, error);
      call.end('BEARERCAPABILITY_NOTAVAIL', true);
    }
  }

  /** The socket went away without us closing it: keep the calls and get back in (§6.6). */
  onSocketLost() {
    this.subscriptions.clear();
    if (this.closing) return;
    for (const call of [...this.calls.values()]) {
      // The server ends calls that were not answered yet; answered ones wait to be re-attached.
      if (['requesting', 'trying', 'early', 'ringing', 'answering'].includes(call.state)) call.end('DESTINATION_OUT_OF_ORDER', false);
      else call.setState('recovering');
    }
    this.setState('reconnecting', { attempt: this.reconnectAttempt });
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    const delay = RECONNECT_DELAYS_MS[Math.min(this.reconnectAttempt, RECONNECT_DELAYS_MS.length - 1)];
    this.reconnectAttempt++;
    this.reconnectTimer = setTimeout(async () => {
      if (this.closing) return;
      try {
        await this.openAndLogin();
        this.reconnectAttempt = 0;
        this.setState('connected', { reconnected: true });
      } catch (error) {
        if (error instanceof RpcError) {
          // The credentials stopped working: asking again is the user's call, not a loop's.
          this.closing = true;
          for (const call of [...this.calls.values()]) call.end('NORMAL_CLEARING', false);
          this.setState('disconnected', { error });
          return;
        }
        this.setState('reconnecting', { attempt: this.reconnectAttempt });
        this.scheduleReconnect();
      }
    }, delay);
  }
}

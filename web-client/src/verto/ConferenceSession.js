// This page's membership of one conference, built from the pvtData join event
// (verto-protocol.md §9.1): the member list (a LiveArray), chat, layout info and, for
// moderators, the mod channel with its commands and responses (§9.3).

import { LiveArray } from './LiveArray.js';
import { MemberRow } from './MemberRow.js';

export class ConferenceSession extends EventTarget {
  /** @param {import('./VertoSession.js').VertoSession} session @param {object} pvtData */
  constructor(session, pvtData) {
    super();
    this.session = session;
    this.callID = pvtData.callID;
    this.name = pvtData.laName;
    this.memberId = parseInt(pvtData.conferenceMemberID, 10);
    this.role = pvtData.role;
    this.chatChannel = pvtData.chatChannel;
    this.infoChannel = pvtData.infoChannel;
    this.modChannel = pvtData.modChannel || null;
    this.laChannel = pvtData.laChannel;
    this.layouts = [];          // [{ type: 'layout'|'layoutGroup', name, resIDS?, groupLayouts? }]
    this.canvas = null;         // the last canvasInfo / layout-info of canvas 0
    this.chat = [];             // { from, fromDisplay, message, sentAt, history }
    this.members = new LiveArray(this.laChannel, this.name, {
      bootstrap: () => this.bootstrap(),
      onChange: () => this.dispatchEvent(new CustomEvent('members')),
    });
  }

  get isModerator() { return this.modChannel !== null; }

  /** The member rows in the room's order. */
  memberRows() { return this.members.entries().map(([key, row]) => new MemberRow(key, row)); }

  /** This page's own row (its hashKey is our callID, §8.5). */
  ownRow() {
    const row = this.members.rows.get(this.callID);
    return row ? new MemberRow(this.callID, row) : null;
  }

  /** Subscribes in the order VC does (§6.2 step 5) and asks for the member list and recent chat. */
  async start() {
    const channels = [this.chatChannel, this.infoChannel];
    if (this.modChannel) channels.unshift(this.modChannel);
    await this.session.subscribe(channels, (params) => this.onChannelEvent(params));
    if (this.modChannel) {
      this.command('list-videoLayouts');
      this.command('canvasInfo');
    }
    await this.session.subscribe([this.laChannel], (params) => this.members.apply(params.data));
    await this.bootstrap();
    await this.session.broadcast(this.chatChannel, { action: 'history' }).catch(() => {});
  }

  async stop() {
    const channels = [this.laChannel, this.chatChannel, this.infoChannel];
    if (this.modChannel) channels.push(this.modChannel);
    await this.session.unsubscribe(channels);
  }

  bootstrap() {
    return this.session.broadcast(this.laChannel, { liveArray: { command: 'bootstrap', context: this.laChannel, name: this.name } })
      .catch((error) => console.warn('liveArray bootstrap failed', error));
  }

  onChannelEvent(params) {
    const channel = params.eventChannel;
    if (channel === this.chatChannel) this.onChat(params.data || {});
    else if (channel === this.infoChannel) this.onInfo(params.eventData || {});
    else if (channel === this.modChannel) this.onMod(params.data || {});
  }

  onChat(data) {
    if (data.action === 'history' && Array.isArray(data.messages)) {
      // Lines sent before we joined, oldest first; anything already shown live stays.
      // A line sent while the history was on its way arrives both ways: keep one.
      const older = data.messages.map((m) => ({ ...m, history: true }));
      const seen = new Set(older.map((m) => `${m.from}\n${m.message}`));
      this.chat = [...older, ...this.chat.filter((m) => !m.history && !seen.has(`${m.from}\n${m.message}`))];
      this.dispatchEvent(new CustomEvent('chat', { detail: { reset: true } }));
      return;
    }
    if (typeof data.message !== 'string') return;
    const line = { from: data.from || '', fromDisplay: data.fromDisplay || '', message: data.message, type: data.type || 'message', sentAt: Date.now() };
    this.chat.push(line);
    this.dispatchEvent(new CustomEvent('chat', { detail: { line } }));
  }

  onInfo(eventData) {
    if (eventData.contentType === 'layout-info' && eventData.canvasInfo) {
      this.canvas = eventData.canvasInfo;
      this.dispatchEvent(new CustomEvent('canvas'));
    }
  }

  onMod(data) {
    if (data.action !== 'response') return;
    if (data['conf-command'] === 'list-videoLayouts' && Array.isArray(data.responseData)) {
      // Groups first, then layouts, each by name: the order VC shows them in.
      this.layouts = [...data.responseData].sort((a, b) =>
        (a.type === b.type ? 0 : a.type === 'layoutGroup' ? -1 : 1) || String(a.name).localeCompare(String(b.name), undefined, { numeric: true }));
      this.dispatchEvent(new CustomEvent('layouts'));
      return;
    }
    if (data['conf-command'] === 'canvasInfo' && Array.isArray(data.responseData) && data.responseData[0]) {
      this.canvas = { ...this.canvas, ...data.responseData[0] };
      this.dispatchEvent(new CustomEvent('canvas'));
      return;
    }
    this.dispatchEvent(new CustomEvent('modresponse', {
      detail: { command: data['conf-command'] || '', response: data.response || data.error || '', ok: !data.error && /^\+OK/.test(data.response || '') },
    }));
    if (/vid-layout/.test(data['conf-command'] || '')) this.command('canvasInfo');
  }

  sendChat(message) {
    return this.session.broadcast(this.chatChannel, { action: 'send', message, type: 'message' });
  }

  /** A moderator command on the mod channel (§9.3); the outcome arrives as a 'modresponse' event. */
  command(command, id = null, value = null) {
    if (!this.modChannel) return Promise.reject(new Error('Only moderators can do that'));
    return this.session.broadcast(this.modChannel, { application: 'conf-control', command, id, value });
  }
}

// The communicator: sign-in, devices, dialling, the call screen and, inside a conference,
// members, chat and moderation. It owns one VertoSession and at most one main call (plus
// a screen-share leg); the verto/ modules know nothing about this page.

import { byId, el, show } from './dom.js';
import { Keypad } from './Keypad.js';
import { Tabs } from './Tabs.js';
import { MemberList } from './MemberList.js';
import { ChatPanel } from './ChatPanel.js';
import { ModeratorPanel } from './ModeratorPanel.js';
import { StatsPanel } from './StatsPanel.js';
import { LocalMedia, describeMediaError } from '../media/LocalMedia.js';
import { VertoSession } from '../verto/VertoSession.js';
import { ConferenceSession } from '../verto/ConferenceSession.js';

const STATE_TEXT = {
  new: 'Starting…', requesting: 'Calling…', trying: 'Calling…', early: 'Connecting…', ringing: 'Ringing',
  answering: 'Answering…', active: 'Connected', held: 'On hold', recovering: 'Reconnecting…', hangup: 'Ended',
};
const CONNECTION_TEXT = {
  disconnected: 'Signed out', connecting: 'Connecting…', connected: 'Connected', reconnecting: 'Reconnecting…',
  punted: 'Signed in elsewhere',
};
const STORAGE_USER = 'mediaserver.user';
const STORAGE_URL = 'mediaserver.url';
const STORAGE_SESSID = 'mediaserver.sessid';

export class App {
  constructor() {
    this.media = new LocalMedia();
    this.session = null;
    this.call = null;           // the main call shown on the call screen
    this.screenCall = null;     // our screen-share leg, if any
    this.conference = null;
    this.incoming = null;
    this.timer = null;

    this.members = new MemberList(byId('member-list'), byId('members-empty'));
    this.moderator = new ModeratorPanel();
    this.stats = new StatsPanel(byId('stats-panel'));
    this.chat = new ChatPanel({
      log: byId('chat-log'), form: byId('chat-form'), input: byId('chat-input'), unread: byId('chat-unread'),
      isVisible: () => this.tabs.selected === 'tab-chat',
    });
    this.tabs = new Tabs(document.querySelector('.tabs'), (id) => { if (id === 'tab-chat') this.chat.markRead(); });
    this.chat.setConference(null, '');

    this.initLogin();
    this.initHome();
    this.initCallControls();
  }

  // ---- sign-in -------------------------------------------------------------------------

  initLogin() {
    const user = byId('login-user');
    const url = byId('login-url');
    user.value = localStorage.getItem(STORAGE_USER) || '';
    url.value = localStorage.getItem(STORAGE_URL) || `wss://${location.host}/verto`;
    (user.value ? byId('login-password') : user).focus();
    byId('login-form').addEventListener('submit', (event) => { event.preventDefault(); this.signIn(); });
    byId('logout-button').addEventListener('click', () => this.signOut());
  }

  async signIn() {
    const login = byId('login-user').value.trim();
    const passwd = byId('login-password').value;
    const url = byId('login-url').value.trim();
    const error = byId('login-error');
    if (!login || !passwd) {
      this.showError(error, !login ? 'Enter your user name.' : 'Enter your password.');
      return;
    }
    show(error, false);
    const button = byId('login-button');
    button.disabled = true;
    // Per tab (sessionStorage): a reload keeps the session, so the server gives its calls back.
    const sessid = sessionStorage.getItem(STORAGE_SESSID) || crypto.randomUUID();
    sessionStorage.setItem(STORAGE_SESSID, sessid);
    const session = new VertoSession({ url, login, passwd, sessid, mediaFor: (call) => this.mediaForReattach(call) });
    this.bindSession(session);
    try {
      await session.connect();
    } catch (failure) {
      this.session = null;
      this.showError(error, failure.code !== undefined ? `Sign-in failed: ${failure.message}.` : `${failure.message}. Check the server address.`);
      button.disabled = false;
      return;
    }
    button.disabled = false;
    byId('login-password').value = '';
    localStorage.setItem(STORAGE_USER, login);
    localStorage.setItem(STORAGE_URL, url);
    byId('signed-in-user').textContent = login + (session.loginResult && session.loginResult.moderator ? ' (moderator)' : '');
    show(byId('logout-button'), true);
    this.showView(this.call ? 'call' : 'home');
    if (!this.call) byId('destination').focus();
    this.refreshDevices();
  }

  async signOut() {
    const session = this.session;
    this.session = null;
    if (session) await session.logout();
    this.leaveCallScreen();
    sessionStorage.removeItem(STORAGE_SESSID);
    byId('signed-in-user').textContent = '';
    show(byId('logout-button'), false);
    this.setConnection('disconnected');
    this.showView('login');
  }

  bindSession(session) {
    this.session = session;
    session.addEventListener('state', (event) => {
      if (session !== this.session) return;
      const { state, error } = event.detail;
      this.setConnection(state);
      if (state === 'punted') {
        this.leaveCallScreen();
        this.showView('login');
        this.showError(byId('login-error'), 'This session was opened in another tab or window, so it was closed here.');
      } else if (state === 'disconnected' && error && this.currentView !== 'login') {
        this.leaveCallScreen();
        this.showView('login');
        this.showError(byId('login-error'), `Signed out: ${error.message}.`);
      }
    });
    session.addEventListener('incoming', (event) => this.onIncoming(event.detail));
    session.addEventListener('attaching', (event) => this.showCall(event.detail));
    session.addEventListener('pvtdata', (event) => this.onPvtData(event.detail));
    session.addEventListener('message', (event) => this.toast(`${event.detail.from_msg_name || event.detail.from}: ${event.detail.body}`));
  }

  setConnection(state) {
    const pill = byId('connection-status');
    pill.dataset.state = state;
    pill.textContent = CONNECTION_TEXT[state] || state;
  }

  // ---- devices and dialling --------------------------------------------------------------

  initHome() {
    const destination = byId('destination');
    new Keypad(byId('dialpad'), (key) => { destination.value += key; destination.focus(); });
    byId('dial-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const number = destination.value.trim();
      if (number) this.placeCall(number);
    });
    for (const [id, key] of [['camera-select', 'videoInput'], ['mic-select', 'audioInput'], ['speaker-select', 'audioOutput']]) {
      byId(id).addEventListener('change', (event) => {
        this.media[key] = event.target.value;
        if (key === 'audioOutput') this.media.applySpeaker(byId('remote-video'));
        if (this.previewStream && key !== 'audioOutput') this.startPreview();
      });
    }
    byId('preview-button').addEventListener('click', () => (this.previewStream ? this.stopPreview() : this.startPreview()));
    if (navigator.mediaDevices && navigator.mediaDevices.addEventListener) {
      navigator.mediaDevices.addEventListener('devicechange', () => this.refreshDevices());
    }
  }

  async refreshDevices() {
    let devices;
    try {
      devices = await this.media.devices();
    } catch (error) {
      byId('device-message').textContent = describeMediaError(error);
      return;
    }
    const fill = (id, list, noun, allowNone) => {
      const select = byId(id);
      const chosen = select.value;
      const options = [el('option', { value: '' }, `Default ${noun}`)];
      list.forEach((device, index) => options.push(el('option', { value: device.deviceId }, device.label || `${noun} ${index + 1}`)));
      if (allowNone) options.push(el('option', { value: 'none' }, `No ${noun}`));
      select.replaceChildren(...options);
      if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
    };
    fill('camera-select', devices.videoinput, 'camera', true);
    fill('mic-select', devices.audioinput, 'microphone', true);
    fill('speaker-select', devices.audiooutput, 'speaker', false);
    // Firefox lists no outputs and cannot choose one until asked per element.
    byId('speaker-select').disabled = devices.audiooutput.length === 0;
    const message = [];
    if (!this.media.supported) message.push(describeMediaError({ name: 'TypeError' }));
    else if (devices.videoinput.length === 0 && devices.audioinput.length === 0) message.push('No camera or microphone was found: calls will only receive.');
    else if (devices.videoinput.length === 0) message.push('No camera was found: calls will send sound only.');
    else if (devices.videoinput.every((d) => !d.label)) message.push('Device names appear once the browser has been allowed to use them (Preview asks).');
    byId('device-message').textContent = message.join(' ');
  }

  async startPreview() {
    this.stopPreview();
    const button = byId('preview-button');
    try {
      const stream = await navigator.mediaDevices.getUserMedia(this.media.constraints(true));
      this.previewStream = stream;
      byId('preview-video').srcObject = stream;
      button.setAttribute('aria-pressed', 'true');
      button.textContent = 'Stop preview';
      await this.refreshDevices();
    } catch (error) {
      byId('device-message').textContent = describeMediaError(error);
    }
  }

  stopPreview() {
    if (this.previewStream) this.previewStream.getTracks().forEach((t) => t.stop());
    this.previewStream = null;
    byId('preview-video').srcObject = null;
    const button = byId('preview-button');
    button.setAttribute('aria-pressed', 'false');
    button.textContent = 'Preview';
  }

  async placeCall(destination) {
    if (!this.session || this.call) return;
    const error = byId('call-error');
    show(error, false);
    this.stopPreview();
    const useVideo = !byId('audio-only').checked;
    const { stream, warning } = await this.media.open({ video: useVideo });
    const call = this.session.newCall(destination);
    this.showCall(call);
    this.mediaMessage(warning);
    try {
      // Empty caller ids: the server presents the directory's name and number for this user.
      await call.invite(stream, { useVideo, callerName: '', callerNumber: '' });
    } catch (failure) {
      stream.getTracks().forEach((t) => t.stop());
      this.leaveCallScreen();
      this.showError(error, `The call to ${destination} failed: ${failure.message}${failure.error && failure.error.cause ? ` (${failure.error.cause})` : ''}.`);
    }
  }

  /** Media for a call the server re-attached after a reload: what the devices give now. */
  async mediaForReattach(call) {
    if (call.screenShare) throw new Error('a screen share cannot restart without the user choosing the screen again');
    const { stream, warning } = await this.media.open({ video: true });
    this.mediaMessage(warning);
    return stream;
  }

  onIncoming(call) {
    this.incoming = call;
    const dialog = byId('incoming-dialog');
    byId('incoming-caller').textContent = `${call.remoteName}${call.remoteNumber ? ` (${call.remoteNumber})` : ''} is calling${this.call ? '. Answering ends your current call.' : '.'}`;
    const answer = byId('incoming-answer');
    const decline = byId('incoming-decline');
    const close = () => { if (dialog.open) dialog.close(); this.incoming = null; };
    call.addEventListener('hangup', close, { once: true });
    answer.onclick = async () => {
      close();
      if (this.call) await this.call.hangup();
      const { stream, warning } = await this.media.open({ video: true });
      this.showCall(call);
      this.mediaMessage(warning);
      try { await call.answer(stream); } catch (failure) { this.toast(`Could not answer: ${failure.message}`); }
    };
    decline.onclick = () => { close(); call.hangup('CALL_REJECTED'); };
    dialog.addEventListener('cancel', () => call.hangup('CALL_REJECTED'), { once: true });
    dialog.showModal();
  }

  // ---- the call screen -------------------------------------------------------------------

  initCallControls() {
    byId('hangup-button').addEventListener('click', () => this.call && this.call.hangup());
    byId('hold-button').addEventListener('click', () => this.toggleHold());
    byId('mute-audio').addEventListener('click', () => this.toggleMute('audio'));
    byId('mute-video').addEventListener('click', () => this.toggleMute('video'));
    byId('share-button').addEventListener('click', () => this.toggleScreenShare());
    const keypad = byId('call-keypad');
    new Keypad(keypad, (key) => this.call && this.call.dtmf(key).catch((e) => this.toast(`Tone not sent: ${e.message}`)));
    byId('keypad-button').addEventListener('click', (event) => {
      keypad.hidden = !keypad.hidden;
      event.currentTarget.setAttribute('aria-expanded', String(!keypad.hidden));
    });
  }

  showCall(call) {
    this.call = call;
    const video = byId('remote-video');
    const render = () => this.renderCall();
    call.addEventListener('state', render);
    call.addEventListener('display', render);
    call.addEventListener('remotestream', (event) => {
      if (video.srcObject !== event.detail) video.srcObject = event.detail;
      this.media.applySpeaker(video);
      video.play().catch(() => {});
    });
    call.addEventListener('connection', (event) => { if (event.detail === 'connected' && call === this.call) this.stats.attach(call.pc); });
    call.addEventListener('hangup', () => this.onCallEnded(call), { once: true });
    this.startTimer();
    this.renderCall();
    this.showView('call');
  }

  renderCall() {
    const call = this.call;
    if (!call) return;
    const name = call.remoteName && call.remoteName !== 'Outbound Call' ? call.remoteName : '';
    const number = call.remoteNumber || call.destination;
    byId('call-peer').textContent = name && number && name !== number ? `${name} · ${number}` : name || number;
    const pill = byId('call-state');
    pill.dataset.state = call.state;
    pill.textContent = STATE_TEXT[call.state] || call.state;
    const hold = byId('hold-button');
    hold.setAttribute('aria-pressed', String(call.state === 'held'));
    hold.textContent = call.state === 'held' ? 'Resume' : 'Hold';
    const live = ['active', 'held'].includes(call.state);
    for (const id of ['hold-button', 'mute-audio', 'mute-video', 'keypad-button']) byId(id).disabled = !live;
    byId('share-button').disabled = !live || !this.conference;
    this.renderMuteButtons();
  }

  /** In a conference the buttons follow our own row (the server's word); elsewhere the local tracks. */
  renderMuteButtons() {
    const own = this.conference ? this.conference.ownRow() : null;
    const tracks = (kind) => (this.call && this.call.localStream ? this.call.localStream.getTracks().filter((t) => t.kind === kind) : []);
    const audioMuted = own ? own.audio.muted : tracks('audio').length > 0 && tracks('audio').every((t) => !t.enabled);
    const videoMuted = own ? !!(own.video && own.video.muted) : tracks('video').length > 0 && tracks('video').every((t) => !t.enabled);
    const mic = byId('mute-audio');
    mic.setAttribute('aria-pressed', String(audioMuted));
    mic.textContent = audioMuted ? 'Unmute' : 'Mute';
    const cam = byId('mute-video');
    cam.setAttribute('aria-pressed', String(videoMuted));
    cam.textContent = videoMuted ? 'Start video' : 'Stop video';
    if (own && this.call) {
      // As VC does: what the room says about us decides whether our tracks carry anything.
      this.call.setLocalTrackEnabled('audio', !own.audio.muted);
      this.call.setLocalTrackEnabled('video', !(own.video && own.video.muted));
    }
  }

  async toggleMute(kind) {
    const call = this.call;
    if (!call) return;
    if (this.conference) {
      // Verto's way (§9.6): 0 toggles our audio, *0 our video; the live array confirms it.
      try { await call.dtmf(kind === 'audio' ? '0' : '*0'); } catch (error) { this.toast(`Not changed: ${error.message}`); }
      return;
    }
    const tracks = call.localStream ? call.localStream.getTracks().filter((t) => t.kind === kind) : [];
    const enable = tracks.some((t) => !t.enabled);
    call.setLocalTrackEnabled(kind, enable);
    this.renderMuteButtons();
  }

  async toggleHold() {
    try { await this.call.toggleHold(); } catch (error) { this.toast(`Hold failed: ${error.message}`); }
    this.renderCall();
  }

  async toggleScreenShare() {
    if (this.screenCall) { await this.screenCall.hangup(); return; }
    if (!this.conference) return;
    let stream;
    try {
      stream = await this.media.openScreen();
    } catch (error) {
      if (error.name !== 'NotAllowedError') this.toast(describeMediaError(error, 'screen'));
      return;
    }
    const call = this.session.newCall(`${this.conference.name}-screen`, { screenShare: true });
    this.screenCall = call;
    const button = byId('share-button');
    button.setAttribute('aria-pressed', 'true');
    button.textContent = 'Stop sharing';
    call.addEventListener('hangup', () => {
      stream.getTracks().forEach((t) => t.stop());
      if (this.screenCall === call) this.screenCall = null;
      button.setAttribute('aria-pressed', 'false');
      button.textContent = 'Share screen';
    }, { once: true });
    // The browser's own "stop sharing" ends the leg too.
    stream.getVideoTracks().forEach((t) => t.addEventListener('ended', () => call.hangup(), { once: true }));
    try {
      await call.invite(stream, { useVideo: true, callerName: '', callerNumber: '' });
    } catch (error) {
      this.toast(`Screen share failed: ${error.message}`);
    }
  }

  onCallEnded(call) {
    if (call !== this.call) return;
    if (call.localStream) call.localStream.getTracks().forEach((t) => t.stop());
    if (this.screenCall) this.screenCall.hangup();
    const cause = call.cause && call.cause !== 'NORMAL_CLEARING' ? ` (${call.cause.replace(/_/g, ' ').toLowerCase()})` : '';
    this.leaveCallScreen();
    if (this.session) {
      this.showView('home');
      this.toast(`Call ended${cause}.`);
    }
  }

  leaveCallScreen() {
    if (this.call && this.call.state !== 'hangup') this.call.end('NORMAL_CLEARING', false);
    this.call = null;
    this.setConference(null);
    this.stats.detach();
    clearInterval(this.timer);
    byId('remote-video').srcObject = null;
    byId('call-timer').textContent = '';
    this.mediaMessage(null);
  }

  startTimer() {
    clearInterval(this.timer);
    const started = Date.now();
    const tick = () => {
      const seconds = Math.floor((Date.now() - started) / 1000);
      byId('call-timer').textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    };
    tick();
    this.timer = setInterval(tick, 1000);
  }

  mediaMessage(text) {
    const message = byId('media-message');
    message.textContent = text || '';
    show(message, !!text);
  }

  // ---- conference ------------------------------------------------------------------------

  onPvtData(pvtData) {
    // Screen-share and other secondary legs of this session are not the room we show (§9.1).
    if (pvtData.screenShare || pvtData.videoOnly || !this.call || pvtData.callID !== this.call.callID) return;
    if (pvtData.action === 'conference-liveArray-part') { this.setConference(null); return; }
    if (pvtData.action !== 'conference-liveArray-join') return;
    const conference = new ConferenceSession(this.session, pvtData);
    conference.addEventListener('members', () => { this.members.render(); this.moderator.renderMembers(); this.renderMuteButtons(); });
    conference.addEventListener('chat', (event) => (event.detail.reset ? this.chat.render() : this.chat.add(event.detail.line)));
    conference.addEventListener('layouts', () => this.moderator.renderLayouts());
    conference.addEventListener('canvas', () => this.moderator.renderCanvas());
    conference.addEventListener('modresponse', (event) => this.moderator.onResponse(event.detail));
    this.setConference(conference);
    conference.start().catch((error) => this.toast(`Joining the room's channels failed: ${error.message}`));
  }

  setConference(conference) {
    if (this.conference && this.conference !== conference) this.conference.stop().catch(() => {});
    this.conference = conference;
    this.members.setConference(conference);
    this.chat.setConference(conference, this.session ? this.session.login : '');
    this.moderator.setConference(conference);
    const moderator = !!(conference && conference.isModerator);
    show(byId('tab-moderator'), moderator);
    if (!moderator && this.tabs.selected === 'tab-moderator') this.tabs.select('tab-members');
    this.renderCall();
  }

  // ---- small things ----------------------------------------------------------------------

  showView(name) {
    this.currentView = name;
    show(byId('login-view'), name === 'login');
    show(byId('home-view'), name === 'home');
    show(byId('call-view'), name === 'call');
  }

  showError(element, text) {
    element.textContent = text;
    show(element, true);
  }

  toast(text) {
    const note = el('p', { className: 'toast' }, text);
    byId('toasts').append(note);
    setTimeout(() => note.remove(), 6000);
  }
}

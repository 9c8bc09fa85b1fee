// The moderator's controls (shown only when the pvtData gave a mod channel): the layout
// picker filled from list-videoLayouts, lock/unlock, recording, and per-member banner and
// volume. Every answer from the mod channel is listed, failures marked, so a moderator
// sees what the server did rather than what the button hoped for.

import { el, byId } from './dom.js';

export class ModeratorPanel {
  constructor() {
    this.conference = null;
    this.layoutSelect = byId('layout-select');
    this.memberSelect = byId('moderate-member');
    this.currentLayout = byId('current-layout');
    this.log = byId('mod-log');
    this.bannerText = byId('banner-text');
    this.recordingFile = null;

    byId('layout-form').addEventListener('submit', (event) => {
      event.preventDefault();
      if (this.layoutSelect.value) this.run('vid-layout', null, this.layoutSelect.value);
    });
    byId('lock-button').addEventListener('click', () => this.run('lock'));
    byId('unlock-button').addEventListener('click', () => this.run('unlock'));
    byId('record-start').addEventListener('click', () => {
      this.recordingFile = `${this.conference.name}-${new Date().toISOString().replace(/[:.]/g, '-')}.webm`;
      this.run('recording', null, ['start', this.recordingFile]);
    });
    byId('record-stop').addEventListener('click', () => this.run('recording', null, ['stop', 'all']));
    byId('banner-form').addEventListener('submit', (event) => {
      event.preventDefault();
      // FreeSWITCH URL-decodes banners made with escape() (verto-protocol.md §11.15).
      if (this.bannerText.value.trim()) this.runOnMember('vid-banner', escape(this.bannerText.value.trim()));
    });
    byId('banner-clear').addEventListener('click', () => this.runOnMember('vid-banner', 'clear'));
    byId('volume-in-down').addEventListener('click', () => this.runOnMember('volume_in', 'down'));
    byId('volume-in-up').addEventListener('click', () => this.runOnMember('volume_in', 'up'));
    byId('volume-out-down').addEventListener('click', () => this.runOnMember('volume_out', 'down'));
    byId('volume-out-up').addEventListener('click', () => this.runOnMember('volume_out', 'up'));
  }

  /** @param {import('../verto/ConferenceSession.js').ConferenceSession|null} conference */
  setConference(conference) {
    this.conference = conference;
    this.log.replaceChildren();
    this.renderLayouts();
    this.renderCanvas();
    this.renderMembers();
  }

  renderLayouts() {
    const layouts = this.conference ? this.conference.layouts : [];
    const chosen = this.layoutSelect.value;
    const groups = layouts.filter((l) => l.type === 'layoutGroup');
    const singles = layouts.filter((l) => l.type !== 'layoutGroup');
    const options = [];
    if (groups.length) options.push(el('optgroup', { label: 'Groups (fit the member count)' }, ...groups.map((g) => el('option', { value: g.name }, g.name.replace(/^group:/, '')))));
    if (singles.length) options.push(el('optgroup', { label: 'Layouts' }, ...singles.map((l) => el('option', { value: l.name }, l.name))));
    this.layoutSelect.replaceChildren(...options);
    if (chosen) this.layoutSelect.value = chosen;
  }

  renderCanvas() {
    const canvas = this.conference && this.conference.canvas;
    this.currentLayout.textContent = canvas && canvas.layoutName ? `${canvas.layoutName} (${canvas.layersUsed ?? '?'} of ${canvas.totalLayers ?? '?'} tiles in use)` : '–';
  }

  renderMembers() {
    const rows = this.conference ? this.conference.memberRows() : [];
    const chosen = this.memberSelect.value;
    this.memberSelect.replaceChildren(...rows.map((row) => el('option', { value: String(row.memberId) }, `${row.name} (${row.memberId})`)));
    if (rows.some((row) => String(row.memberId) === chosen)) this.memberSelect.value = chosen;
  }

  /** Selects a member here (the member list's rows hand over to this panel). */
  selectMember(memberId) { this.memberSelect.value = String(memberId); }

  runOnMember(command, value) {
    const id = parseInt(this.memberSelect.value, 10);
    if (Number.isInteger(id)) this.run(command, id, value);
  }

  run(command, id = null, value = null) {
    if (!this.conference) return;
    this.conference.command(command, id, value).catch((error) => this.onResponse({ command, response: error.message, ok: false }));
  }

  onResponse({ command, response, ok }) {
    this.log.prepend(el('li', { className: ok ? null : 'fail' }, `${command ? `${command}: ` : ''}${String(response).trim()}`));
    while (this.log.children.length > 50) this.log.lastElementChild.remove();
  }
}

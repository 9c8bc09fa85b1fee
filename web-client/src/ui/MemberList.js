// The conference's members from its live array: name, number, talking light, mute, deaf,
// camera and floor state, moderator badge; for moderators, per-member buttons that send
// mod-channel commands (verto-protocol.md §9.3). The list is redrawn from the replica on
// every change, so it always shows exactly what the server said last.

import { el } from './dom.js';

export class MemberList {
  /** @param {HTMLUListElement} list @param {HTMLElement} empty */
  constructor(list, empty) {
    this.list = list;
    this.empty = empty;
    this.conference = null;
  }

  /** @param {import('../verto/ConferenceSession.js').ConferenceSession|null} conference */
  setConference(conference) {
    this.conference = conference;
    this.render();
  }

  render() {
    const rows = this.conference ? this.conference.memberRows() : [];
    this.empty.hidden = rows.length > 0;
    this.empty.textContent = this.conference ? 'Waiting for the member list…' : 'Not in a conference.';
    this.list.replaceChildren(...rows.map((row) => this.item(row)));
  }

  item(row) {
    const own = this.conference && row.callId === this.conference.callID;
    const tags = [];
    if (row.moderator) tags.push(el('span', { className: 'tag mod' }, 'moderator'));
    if (own) tags.push(el('span', { className: 'tag' }, 'you'));
    if (row.audio.muted) tags.push(el('span', { className: 'tag off' }, 'muted'));
    if (row.audio.deaf) tags.push(el('span', { className: 'tag off' }, 'deaf'));
    if (row.audio.onHold) tags.push(el('span', { className: 'tag' }, 'on hold'));
    if (!row.video) tags.push(el('span', { className: 'tag' }, 'no video'));
    else if (row.video.muted) tags.push(el('span', { className: 'tag off' }, 'camera off'));
    if (row.video && row.video.screenShare) tags.push(el('span', { className: 'tag' }, 'screen'));
    if (row.audio.floor) tags.push(el('span', { className: 'tag floor' }, 'speaking'));
    if (row.video && row.video.floor) tags.push(el('span', { className: 'tag floor' }, row.video.floorLocked ? 'video floor (locked)' : 'video floor'));
    if (row.video && row.video.reservationId) tags.push(el('span', { className: 'tag' }, row.video.reservationId));

    const item = el('li', {
      className: 'member',
      dataset: {
        memberId: String(row.memberId), callId: row.callId, name: row.name,
        audioMuted: String(row.audio.muted), deaf: String(row.audio.deaf), talking: String(row.audio.talking),
        videoMuted: String(!!(row.video && row.video.muted)), moderator: String(row.moderator),
      },
    },
    el('div', { className: 'member-head' },
      el('span', { className: 'talk', role: 'img', 'aria-label': row.audio.talking ? 'talking' : 'quiet' }),
      el('span', { className: 'member-name' }, row.name),
      row.number && row.number !== row.name ? el('span', { className: 'member-number' }, row.number) : null),
    el('div', { className: 'tags' }, ...tags));

    if (this.conference && this.conference.isModerator) item.append(this.actions(row));
    return item;
  }

  actions(row) {
    const conference = this.conference;
    const send = (command, value = null) => () => conference.command(command, row.memberId, value).catch((e) => console.warn(command, e));
    const button = (label, command, value, pressed) => el('button', {
      type: 'button', 'aria-label': `${label} ${row.name}`, 'aria-pressed': pressed === undefined ? null : String(pressed),
      dataset: { command }, on: { click: send(command, value) },
    }, label);
    return el('div', { className: 'member-actions', role: 'group', 'aria-label': `Moderate ${row.name}` },
      button(row.audio.muted ? 'Unmute' : 'Mute', 'tmute', null),
      button(row.audio.deaf ? 'Undeaf' : 'Deaf', row.audio.deaf ? 'undeaf' : 'deaf', null),
      row.video ? button(row.video.muted ? 'Video on' : 'Video off', 'tvmute', null) : null,
      row.video ? button('Floor', 'vid-floor', 'force', row.video.floorLocked) : null,
      button('Kick', 'kick', null));
  }
}

// The room's chat: lines from the chat channel (our own come back from the server too,
// verto-protocol.md §9.5, so a line shows once the room has it), older lines from the
// history the server sends on joining, and an unread count while another tab is open.

import { el } from './dom.js';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export class ChatPanel {
  constructor({ log, form, input, unread, isVisible }) {
    Object.assign(this, { log, form, input, unread, isVisible });
    this.conference = null;
    this.self = '';
    this.unreadCount = 0;
    form.addEventListener('submit', (event) => { event.preventDefault(); this.send(); });
  }

  /** @param {import('../verto/ConferenceSession.js').ConferenceSession|null} conference @param {string} self our uid */
  setConference(conference, self) {
    this.conference = conference;
    this.self = self;
    this.input.disabled = !conference;
    this.form.querySelector('button').disabled = !conference;
    this.render();
  }

  render() {
    const lines = this.conference ? this.conference.chat : [];
    this.log.replaceChildren(...lines.map((line) => this.item(line)));
    this.log.scrollTop = this.log.scrollHeight;
  }

  add(line) {
    this.log.append(this.item(line));
    this.log.scrollTop = this.log.scrollHeight;
    if (!this.isVisible()) {
      this.unreadCount++;
      this.unread.textContent = String(this.unreadCount);
      this.unread.hidden = false;
    }
  }

  markRead() {
    this.unreadCount = 0;
    this.unread.hidden = true;
  }

  item(line) {
    // The server names senders user@domain; the login may have been the bare user.
    const mine = !!line.from && !!this.self && line.from.split('@')[0] === this.self.split('@')[0];
    return el('li', { className: [line.history ? 'history' : '', mine ? 'mine' : ''].join(' ').trim() || null },
      el('time', { className: 'when', datetime: new Date(line.sentAt).toISOString() }, time.format(new Date(line.sentAt))),
      el('span', { className: 'from' }, line.fromDisplay || line.from || 'Unknown'),
      el('span', { className: 'text' }, line.message));
  }

  async send() {
    const message = this.input.value.trim();
    if (!message || !this.conference) return;
    this.input.value = '';
    try {
      await this.conference.sendChat(message);
    } catch (error) {
      this.input.value = message; // not sent: give it back rather than lose it
      this.add({ from: '', fromDisplay: 'Not sent', message: error.message, sentAt: Date.now() });
    }
  }
}

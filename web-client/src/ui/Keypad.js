// A 12-key telephone keypad. The dial pad types into the destination field; in a call the
// same keys send DTMF. Keys are buttons, so they work from the keyboard too, and typing a
// digit while the keypad has focus presses the matching key.

import { el } from './dom.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

export class Keypad {
  /** @param {HTMLElement} root @param {(digit: string) => void} onKey */
  constructor(root, onKey) {
    this.root = root;
    for (const key of KEYS) {
      root.append(el('button', { type: 'button', dataset: { key }, 'aria-label': `Key ${key}`, on: { click: () => onKey(key) } }, key));
    }
    root.addEventListener('keydown', (event) => {
      if (!KEYS.includes(event.key) || event.target instanceof HTMLInputElement) return;
      event.preventDefault();
      onKey(event.key);
    });
  }
}

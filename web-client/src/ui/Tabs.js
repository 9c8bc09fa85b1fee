// WAI-ARIA tabs: one panel visible, arrow keys move between tabs, Home/End jump.

export class Tabs {
  /** @param {HTMLElement} tablist @param {(id: string) => void} [onSelect] */
  constructor(tablist, onSelect = () => {}) {
    this.tablist = tablist;
    this.onSelect = onSelect;
    tablist.addEventListener('click', (event) => {
      const tab = event.target.closest('[role="tab"]');
      if (tab) this.select(tab.id);
    });
    tablist.addEventListener('keydown', (event) => this.onKey(event));
    this.select(this.tabs().find((t) => t.getAttribute('aria-selected') === 'true').id);
  }

  tabs() { return [...this.tablist.querySelectorAll('[role="tab"]')].filter((t) => !t.hidden); }

  select(id) {
    for (const tab of this.tablist.querySelectorAll('[role="tab"]')) {
      const selected = tab.id === id;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      document.getElementById(tab.getAttribute('aria-controls')).hidden = !selected;
    }
    this.selected = id;
    this.onSelect(id);
  }

  onKey(event) {
    const tabs = this.tabs();
    const index = tabs.findIndex((t) => t.id === this.selected);
    let next = null;
    if (event.key === 'ArrowRight') next = tabs[(index + 1) % tabs.length];
    else if (event.key === 'ArrowLeft') next = tabs[(index - 1 + tabs.length) % tabs.length];
    else if (event.key === 'Home') next = tabs[0];
    else if (event.key === 'End') next = tabs[tabs.length - 1];
    if (!next) return;
    event.preventDefault();
    this.select(next.id);
    next.focus();
  }
}

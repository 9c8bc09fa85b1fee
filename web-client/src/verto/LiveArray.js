// A replica of one server LiveArray (verto-protocol.md §8): an ordered map hashKey -> row
// fed by add/modify/del/clear/bootObj packets. wireSerno must rise by exactly one from
// packet to packet (§8.2). verto.js freezes its replica after a gap; this one starts over
// instead: it empties itself and asks for a fresh bootObj, and the first numbered packet
// after that sets the count again.

export class LiveArray {
  /**
   * @param {string} channel e.g. conference-liveArray.3500@example.com
   * @param {string} name the array's name (packets for other names are not ours)
   * @param {{ bootstrap: () => void, onChange: (array: LiveArray) => void }} hooks
   */
  constructor(channel, name, { bootstrap, onChange }) {
    this.channel = channel;
    this.name = name;
    this.bootstrap = bootstrap;
    this.onChange = onChange;
    this.rows = new Map();
    this.lastSerno = 0;
    this.resyncs = 0;
  }

  get size() { return this.rows.size; }

  /** The rows in array order as [hashKey, row] pairs. */
  entries() { return [...this.rows.entries()]; }

  /** Applies one packet (params.data of a verto.event); returns false when it was refused. */
  apply(packet) {
    if (!packet || typeof packet !== 'object' || packet.name !== this.name) return false;
    // Checked before the serno is taken: a malformed packet must not look like a gap later.
    if ((packet.action === 'modify' || packet.action === 'del') && packet.hashKey === undefined) return false;
    const serno = Number(packet.wireSerno);
    if (Number.isFinite(serno) && serno >= 0) {
      if (this.lastSerno !== 0 && serno !== this.lastSerno + 1) {
        this.resync(`wireSerno ${serno} after ${this.lastSerno}`);
        return false;
      }
      this.lastSerno = serno;
    }
    switch (packet.action) {
      case 'bootObj':
        this.rows.clear();
        for (const pair of Array.isArray(packet.data) ? packet.data : []) {
          if (Array.isArray(pair) && pair.length === 2) this.rows.set(String(pair[0]), pair[1]);
        }
        break;
      case 'add':
        this.insert(String(packet.hashKey), packet.data, packet.arrIndex);
        break;
      case 'modify':
        if (this.rows.has(String(packet.hashKey))) this.rows.set(String(packet.hashKey), packet.data);
        else this.insert(String(packet.hashKey), packet.data, packet.arrIndex);
        break;
      case 'del':
        this.rows.delete(String(packet.hashKey));
        break;
      case 'clear':
        this.rows.clear();
        this.lastSerno = 0;
        break;
      case 'reorder':
        if (Array.isArray(packet.order)) {
          const reordered = new Map();
          for (const key of packet.order) if (this.rows.has(key)) reordered.set(key, this.rows.get(key));
          for (const [key, row] of this.rows) if (!reordered.has(key)) reordered.set(key, row);
          this.rows = reordered;
        }
        break;
      default:
        // Others (FreeSWITCH's hide/show) are for applications; their serno still counts.
        return false;
    }
    this.onChange(this);
    return true;
  }

  insert(key, row, index) {
    if (this.rows.has(key) || !Number.isInteger(index) || index < 0 || index >= this.rows.size) {
      this.rows.set(key, row);
      return;
    }
    const entries = [...this.rows.entries()];
    entries.splice(index, 0, [key, row]);
    this.rows = new Map(entries);
  }

  /** A gap means rows were missed: start over from a bootObj rather than show a wrong list. */
  resync(reason) {
    console.warn(`liveArray ${this.name}: ${reason}; asking for the whole array again`);
    this.resyncs++;
    this.rows.clear();
    this.lastSerno = 0;
    this.onChange(this);
    this.bootstrap();
  }
}

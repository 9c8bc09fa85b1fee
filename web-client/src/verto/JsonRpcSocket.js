// One WebSocket speaking JSON-RPC 2.0 both ways, the framing of verto-protocol.md §1.2:
// our requests carry increasing integer ids and are matched to responses by id alone;
// the server's requests are handed to `onRequest`, and those with params.callID get the
// `{"method": ...}` result verto.js sends (§1.4), so a server that waits for it is served.

/** A JSON-RPC error answer, kept whole: Verto puts useful members beside code and message. */
export class RpcError extends Error {
  constructor(method, error) {
    super(error && error.message ? error.message : `${method} failed`);
    this.name = 'RpcError';
    this.method = method;
    this.code = error ? error.code : undefined;
    this.error = error || {};
  }
}

export class JsonRpcSocket {
  /**
   * @param {string} url wss:// address
   * @param {{ onRequest: (method: string, params: object) => void, onClose: (event: CloseEvent) => void }} handlers
   */
  constructor(url, { onRequest, onClose }) {
    this.url = url;
    this.onRequest = onRequest;
    this.onClose = onClose;
    this.nextId = 1;
    this.pending = new Map();
    this.ws = null;
  }

  get isOpen() { return this.ws !== null && this.ws.readyState === WebSocket.OPEN; }

  /** Opens the socket; rejects when it cannot (the browser does not say why: wrong host, refused, bad certificate). */
  open(timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      let settled = false;
      const timer = setTimeout(() => { if (!settled) { settled = true; ws.close(); reject(new Error(`No answer from ${this.url}`)); } }, timeoutMs);
      ws.onopen = () => { if (!settled) { settled = true; clearTimeout(timer); resolve(); } };
      ws.onmessage = (m) => this.receive(m.data);
      ws.onclose = (event) => {
        clearTimeout(timer);
        this.failPending(new Error('Connection closed'));
        if (!settled) { settled = true; reject(new Error(`Cannot connect to ${this.url}`)); return; }
        if (this.ws === ws) this.onClose(event);
      };
    });
  }

  /** Closes without reporting it through onClose: the caller chose to. */
  close() {
    const ws = this.ws;
    this.ws = null;
    if (ws) { ws.onclose = null; ws.close(1000); }
    this.failPending(new Error('Connection closed'));
  }

  /** Sends a request; resolves with the result object, rejects with RpcError (or Error when the socket fails). */
  request(method, params) {
    if (!this.isOpen) return Promise.reject(new Error('Not connected'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', method, params, id }));
    });
  }

  receive(text) {
    if (typeof text !== 'string' || text.startsWith('#')) return; // speed-test frames (§1.7): not JSON, not asked for by us
    let message;
    try { message = JSON.parse(text); } catch { console.warn('verto: a frame that is not JSON was ignored'); return; }
    if (!message || typeof message !== 'object') return;
    if (typeof message.method === 'string') {
      const params = message.params && typeof message.params === 'object' ? message.params : {};
      if (params.callID && message.id !== undefined && message.id !== null && this.isOpen) {
        this.ws.send(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { method: message.method } }));
      }
      try { this.onRequest(message.method, params); } catch (e) { console.error('verto: handling', message.method, e); }
      return;
    }
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new RpcError(waiter.method, message.error));
    else waiter.resolve(message.result || {});
  }

  failPending(error) {
    const waiters = [...this.pending.values()];
    this.pending.clear();
    for (const waiter of waiters) waiter.reject(error);
  }
}

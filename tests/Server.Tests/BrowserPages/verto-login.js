// Runs inside a real Chromium page served by the server: the Verto login dance over the
// browser's WebSocket API, a subscription, then the first event on that channel.
// Returns a promise of a report object; every step is recorded so a failure says where.
(async ({ url, login, passwd, channel }) => {
  const steps = [];
  const ws = new WebSocket(url);
  let nextId = 1;
  const pending = new Map();
  const events = [];
  let eventWaiter = null;
  const sessid = crypto.randomUUID();

  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.method === 'verto.event') {
      events.push(msg.params);
      if (eventWaiter) { eventWaiter(); eventWaiter = null; }
      return;
    }
    if (msg.method) { steps.push('server request ' + msg.method); return; }
    const resolve = pending.get(msg.id);
    if (resolve) { pending.delete(msg.id); resolve(msg); }
  };
  const call = (method, params) => new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    ws.send(JSON.stringify({ jsonrpc: '2.0', method, params: { ...params, sessid }, id }));
  });
  const timeout = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error('timeout: ' + what)), ms));

  await Promise.race([new Promise((r) => { ws.onopen = r; }), timeout(5000, 'open')]);
  steps.push('open');

  const empty = await call('login', {});
  steps.push('empty login -> ' + (empty.error && empty.error.code));
  const real = await call('login', { login, passwd, loginParams: {}, userVariables: {} });
  steps.push('login -> ' + (real.result ? real.result.message : JSON.stringify(real.error)));
  const sub = await call('verto.subscribe', { eventChannel: channel });
  steps.push('subscribe -> ' + (sub.result ? sub.result.subscribedChannels.join(',') : JSON.stringify(sub.error)));
  window.__vertoReady = true;

  if (events.length === 0) {
    await Promise.race([new Promise((r) => { eventWaiter = r; }), timeout(10000, 'event')]);
  }
  ws.close();
  return { steps, emptyLoginCode: empty.error && empty.error.code, loginMessage: real.result && real.result.message,
           resultSessid: real.result && real.result.sessid, sessid, event: events[0] };
})

#!/usr/bin/env python3
"""Captures a real Firefox offer for the SDP tests; see README.md in this folder.

Serves one page on 127.0.0.1 (a secure context, so getUserMedia works), runs
firefox-esr headless with fake devices against it, and writes each SDP the page
POSTs back. Usage: capture-firefox.py <outdir>
"""
import http.server
import os
import subprocess
import sys
import tempfile
import threading

PAGE = b"""<!doctype html><script>
async function offer(name, config, constraints, transceivers) {
  const pc = new RTCPeerConnection(config);
  if (constraints) {
    const stream = await navigator.mediaDevices.getUserMedia(constraints);
    for (const t of stream.getTracks()) pc.addTrack(t, stream);
  }
  for (const [kind, direction] of transceivers || []) pc.addTransceiver(kind, { direction });
  const done = new Promise(r => { pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r(); setTimeout(r, 5000); });
  await pc.setLocalDescription(await pc.createOffer());
  await done;
  await fetch('/sdp/' + name, { method: 'POST', body: pc.localDescription.sdp });
  pc.close();
}
(async () => {
  try {
    await offer('firefox-audio-video-maxcompat', { bundlePolicy: 'max-compat' }, { audio: true, video: true });
    await offer('firefox-video-recvonly', { bundlePolicy: 'max-compat' }, null, [['video', 'recvonly']]);
  } catch (e) {
    await fetch('/sdp/error', { method: 'POST', body: String(e) });
  }
  await fetch('/done', { method: 'POST', body: '' });
})();
</script>"""

outdir = sys.argv[1]
finished = threading.Event()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-Type', 'text/html')
        self.end_headers()
        self.wfile.write(PAGE)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_response(204)
        self.end_headers()
        if self.path == '/done':
            finished.set()
        elif self.path.startswith('/sdp/'):
            name = os.path.basename(self.path)
            with open(os.path.join(outdir, name + '.sdp'), 'wb') as f:
                f.write(body)
            print('wrote', name, flush=True)


server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
profile = tempfile.mkdtemp()
with open(os.path.join(profile, 'user.js'), 'w') as f:
    f.write('user_pref("media.navigator.streams.fake", true);\n'
            'user_pref("media.navigator.permission.disabled", true);\n')
firefox = subprocess.Popen(['firefox-esr', '--headless', '--no-remote', '--profile', profile,
                            f'http://127.0.0.1:{server.server_port}/'])
try:
    finished.wait(60)
finally:
    firefox.terminate()
    firefox.wait()
    server.shutdown()

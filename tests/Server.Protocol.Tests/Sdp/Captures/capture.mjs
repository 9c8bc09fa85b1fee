// Captures real SDP from Chromium for the SDP tests; see README.md in this folder.
// Run from a directory where playwright-core is installed (npm install playwright-core):
//   node capture.mjs offers <outdir>                       Chromium offers (one file each)
//   node capture.mjs answer <offer.sdp> <out.sdp>          Chromium's answer to an offer we wrote
//   node capture.mjs accept <answer-command> <outdir>      each offer kind -> our answer (command reads
//                                                          the offer on stdin, prints the answer) -> setRemoteDescription
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(path.join(process.cwd(), 'noop.js'));
const { chromium } = require('playwright-core');

// Each scenario runs in the page: builds a peer connection the way verto.js would and
// returns the complete offer once ICE gathering is done (verto.js does not trickle).
const scenarios = {
  'chromium-audio-video-maxcompat': { bundlePolicy: 'max-compat', audio: true, video: true },
  'chromium-audio-video-balanced': { bundlePolicy: 'balanced', audio: true, video: true },
  'chromium-audio-only': { bundlePolicy: 'max-compat', audio: true },
  'chromium-screenshare-sendonly': { bundlePolicy: 'max-compat', transceivers: [['video', 'sendonly']] },
  'chromium-video-recvonly': { bundlePolicy: 'max-compat', transceivers: [['video', 'recvonly']] },
  'chromium-audio-stereo-munged': { bundlePolicy: 'max-compat', audio: true, video: true, stereo: true },
  'chromium-audio-video-datachannel': { bundlePolicy: 'balanced', audio: true, video: true, dataChannel: true },
};

// getUserMedia needs a secure context, which about:blank and data: are not; an https page
// fulfilled by Playwright itself never touches the network.
async function openPage(browser) {
  const page = await browser.newPage();
  await page.route('https://capture.invalid/**', (route) => route.fulfill({ contentType: 'text/html', body: '<html></html>' }));
  await page.goto('https://capture.invalid/');
  return page;
}

async function pageOffer(page, s) {
  return page.evaluate(async (s) => {
    const pc = new RTCPeerConnection({ bundlePolicy: s.bundlePolicy, iceServers: [] });
    window.pc = pc;
    if (s.audio || s.video) {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: !!s.audio, video: !!s.video });
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
    }
    for (const [kind, direction] of s.transceivers || []) {
      if (direction === 'sendonly') {
        const stream = await navigator.mediaDevices.getUserMedia({ video: true });
        pc.addTransceiver(stream.getVideoTracks()[0], { direction, streams: [stream] });
      } else {
        pc.addTransceiver(kind, { direction });
      }
    }
    if (s.dataChannel) pc.createDataChannel('chat');
    const gathered = new Promise((resolve) => {
      pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
      setTimeout(resolve, 5000);
    });
    await pc.setLocalDescription(await pc.createOffer());
    await gathered;
    let sdp = pc.localDescription.sdp;
    if (s.stereo) {
      // verto.js useStereo munges the text it sends (not the local description):
      // it appends to the opus fmtp line.
      const pt = /a=rtpmap:(\d+) opus\/48000/i.exec(sdp)[1];
      sdp = sdp.replace(new RegExp(`a=fmtp:${pt} (.*)\r\n`), (m, p) => `a=fmtp:${pt} ${p}; stereo=1; sprop-stereo=1\r\n`);
    }
    return sdp;
  }, s);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--no-sandbox'],
});
try {
  const [mode, a, b] = process.argv.slice(2);
  if (mode === 'offers') {
    for (const [name, s] of Object.entries(scenarios)) {
      const page = await openPage(browser);
      writeFileSync(path.join(a, `${name}.sdp`), await pageOffer(page, s));
      await page.close();
      console.log('wrote', name);
    }
  } else if (mode === 'answer') {
    const page = await openPage(browser);
    const sdp = await page.evaluate(async (offer) => {
      const pc = new RTCPeerConnection({ bundlePolicy: 'max-compat' });
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
      const gathered = new Promise((resolve) => {
        pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
        setTimeout(resolve, 5000);
      });
      await pc.setLocalDescription(await pc.createAnswer());
      await gathered;
      return pc.localDescription.sdp;
    }, readFileSync(a, 'utf8'));
    writeFileSync(b, sdp);
    console.log('wrote', b);
  } else if (mode === 'accept') {
    for (const [name, s] of Object.entries(scenarios)) {
      const page = await openPage(browser);
      const offer = await pageOffer(page, s);
      let answer;
      try {
        answer = execFileSync('sh', ['-c', a], { input: offer, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
      } catch (e) {
        console.log(name, `no answer: ${e.stderr}`.trim());
        await page.close();
        continue;
      }
      if (b) writeFileSync(path.join(b, `${name}.answer.sdp`), answer);
      const result = await page.evaluate(async (answer) => {
        try {
          await window.pc.setRemoteDescription({ type: 'answer', sdp: answer });
          return `ok signalingState=${window.pc.signalingState} transceivers=` +
            window.pc.getTransceivers().map((t) => `${t.mid}:${t.currentDirection}`).join(',');
        } catch (e) {
          return `FAILED ${e}`;
        }
      }, answer);
      console.log(name, result);
      await page.close();
    }
  }
} finally {
  await browser.close();
}

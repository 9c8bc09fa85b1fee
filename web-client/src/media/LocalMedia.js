// The page's microphone and camera: which devices exist, which are chosen, and a stream
// from them. A call never fails for want of a device: it falls back to audio only, then
// to receiving only, and says why in words a person can act on.

/** A sentence for a getUserMedia / getDisplayMedia failure. */
export function describeMediaError(error, what = 'camera and microphone') {
  switch (error && error.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `Access to the ${what} was denied. Allow it in the browser's site settings (the icon in the address bar) and try again.`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No ${what} was found. Plug one in, or choose another in the device lists.`;
    case 'NotReadableError':
    case 'AbortError':
      return `The ${what} could not be started: another program may be using it.`;
    case 'TypeError':
      return 'This page is not in a secure context (https), so the browser offers no devices.';
    default:
      return `The ${what} could not be used${error && error.message ? `: ${error.message}` : ''}.`;
  }
}

export class LocalMedia {
  constructor() {
    this.audioInput = '';   // deviceId, '' = the browser's default, 'none' = do not send
    this.videoInput = '';
    this.audioOutput = '';
  }

  get supported() { return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia); }

  /** Devices by kind; labels are empty until the page has had permission once. */
  async devices() {
    if (!this.supported) return { audioinput: [], videoinput: [], audiooutput: [] };
    const list = await navigator.mediaDevices.enumerateDevices();
    const byKind = { audioinput: [], videoinput: [], audiooutput: [] };
    for (const device of list) if (byKind[device.kind] && device.deviceId) byKind[device.kind].push(device);
    return byKind;
  }

  constraints(video) {
    const audio = this.audioInput === 'none' ? false
      : { deviceId: this.audioInput ? { exact: this.audioInput } : undefined, echoCancellation: true, noiseSuppression: true, autoGainControl: true };
    const camera = !video || this.videoInput === 'none' ? false
      : { deviceId: this.videoInput ? { exact: this.videoInput } : undefined, width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
    return { audio, video: camera };
  }

  /**
   * A stream for a call. Resolves { stream, warning }: the stream may lack video or be
   * empty (receive only) when devices are missing or refused; warning then says so.
   */
  async open({ video }) {
    if (!this.supported) return { stream: new MediaStream(), warning: describeMediaError({ name: 'TypeError' }) };
    const wanted = this.constraints(video);
    if (!wanted.audio && !wanted.video) return { stream: new MediaStream(), warning: null };
    try {
      return { stream: await navigator.mediaDevices.getUserMedia(wanted), warning: null };
    } catch (first) {
      if (first.name === 'NotAllowedError' || first.name === 'SecurityError') {
        return { stream: new MediaStream(), warning: `${describeMediaError(first)} You are in the call without sending sound or picture.` };
      }
      if (wanted.video && wanted.audio) {
        try {
          const stream = await navigator.mediaDevices.getUserMedia({ audio: wanted.audio, video: false });
          return { stream, warning: `${describeMediaError(first, 'camera')} You are in the call with sound only.` };
        } catch { /* no microphone either: receive only */ }
      }
      return { stream: new MediaStream(), warning: `${describeMediaError(first)} You are in the call without sending sound or picture.` };
    }
  }

  /** The screen, a window or a tab, as the browser lets the user choose. */
  async openScreen() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) throw new Error('This browser cannot share a screen.');
    return navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false });
  }

  /** Plays a media element on the chosen speaker where the browser allows choosing one. */
  async applySpeaker(element) {
    if (!this.audioOutput || typeof element.setSinkId !== 'function') return;
    try { await element.setSinkId(this.audioOutput); } catch (error) { console.warn('speaker not applied', error); }
  }
}

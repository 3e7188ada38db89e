// The camera, microphone and speaker a client uses: the person's choice, kept in the browser's
// storage and asked for at start; switching during a call (the new track replaces the old one in
// every connection: no renegotiation); falling back to another device when the one in use is
// unplugged; and the picker, the page's own <select>s (device names are in any script).

const STORAGE_KEY = 'videochat.devices';

// The devices last chosen: { audioInput, videoInput, audioOutput } (ids; absent: the default).
// Storage can be refused (a sandboxed frame, a privacy mode): then nothing is kept.
export function savedDevices() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || '{}');
    return saved && typeof saved === 'object' ? saved : {};
  } catch {
    return {};
  }
}

function saveDevices(choice) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...savedDevices(), ...choice }));
  } catch {
    // Not kept: the choice lasts as long as the page.
  }
}

// getUserMedia's constraints for `attempt` ('both', 'audio', 'video'), with the saved devices
// (`exact`: browsers may not honour a preferred one; userMedia() asks again without them when
// they are gone).
export function mediaConstraints(attempt, saved = savedDevices()) {
  const wanted = {};
  if (attempt !== 'audio') {
    wanted.video = { width: { ideal: 640 }, height: { ideal: 480 } };
    if (saved.videoInput) wanted.video.deviceId = { exact: saved.videoInput };
  }
  if (attempt !== 'video') {
    wanted.audio = { echoCancellation: true, noiseSuppression: true };
    if (saved.audioInput) wanted.audio.deviceId = { exact: saved.audioInput };
  }
  return wanted;
}

// The camera and/or microphone for `attempt`: the saved ones, or, when they are gone (unplugged
// since), the browser's choice.
export async function userMedia(attempt) {
  const saved = savedDevices();
  try {
    return await navigator.mediaDevices.getUserMedia(mediaConstraints(attempt, saved));
  } catch (error) {
    const gone = error.name === 'OverconstrainedError' || error.name === 'NotFoundError';
    if (!gone || (!saved.videoInput && !saved.audioInput)) throw error;
    return navigator.mediaDevices.getUserMedia(mediaConstraints(attempt, {}));
  }
}

export class DeviceError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// The devices the browser lists, by kind: { audioInput, videoInput, audioOutput }, each
// [{ deviceId, label, groupId }] (labels once the camera permission is given).
export async function listDevices() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const of = (kind) => devices.filter((device) => device.kind === kind && device.deviceId)
                              .map(({ deviceId, label, groupId }) => ({ deviceId, label, groupId }));
  return { audioInput: of('audioinput'), videoInput: of('videoinput'),
           audioOutput: of('audiooutput') };
}

// Switches `client` (a VideoChatClient) to the devices asked for, and keeps the choice.
export async function switchDevices(client, { audioInput, videoInput, audioOutput } = {}) {
  if (audioOutput !== undefined) await client.setAudioOutput(audioOutput);
  const wanted = {};
  if (videoInput) {
    wanted.video = { ...mediaConstraints('video').video, deviceId: { exact: videoInput } };
  }
  if (audioInput) {
    wanted.audio = { ...mediaConstraints('audio').audio, deviceId: { exact: audioInput } };
  }
  if (wanted.audio || wanted.video) {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia(wanted);
    } catch (error) {
      throw new DeviceError('DEVICE_ERROR', `${error.name}: ${error.message}`);
    }
    client.useDevices(stream);
  }
  const chosen = {};
  if (audioInput) chosen.audioInput = audioInput;
  if (videoInput) chosen.videoInput = videoInput;
  if (audioOutput !== undefined) chosen.audioOutput = audioOutput;
  saveDevices(chosen);
  return client.devicesInUse();
}

// When a device in use goes away (a headset unplugged), the client moves to another of its kind
// (the first the browser lists, usually the system's default); the speaker falls back to the
// default. Runs until `signal` aborts. `changed` is called after every device change.
export function followDeviceChanges(client, signal, changed) {
  const devices = navigator.mediaDevices;
  if (!devices || !devices.addEventListener) return;
  devices.addEventListener('devicechange', async () => {
    const listed = await listDevices();
    const inUse = client.devicesInUse();
    const gone = (kind) => inUse[kind] && !listed[kind].some((d) => d.deviceId === inUse[kind]);
    const fallback = {};
    if (gone('videoInput') && listed.videoInput.length) {
      fallback.videoInput = listed.videoInput[0].deviceId;
    }
    if (gone('audioInput') && listed.audioInput.length) {
      fallback.audioInput = listed.audioInput[0].deviceId;
    }
    if (inUse.audioOutput && !listed.audioOutput.some((d) => d.deviceId === inUse.audioOutput)) {
      fallback.audioOutput = '';
    }
    if (Object.keys(fallback).length) {
      try {
        await switchDevices(client, fallback);
      } catch (error) {
        console.warn('[videochat] no device to fall back to:', error.message);
      }
    }
    changed();
  }, { signal });
}

// The picker: a dialog of three labelled <select>s in the client's box. `texts`: { title,
// camera, microphone, speaker, close, speakerUnsupported }. Each change switches at once.
export class DevicePanel {
  constructor(client, box, signal) {
    this.client = client;
    this.box = box;
    this.element = null;
    signal.addEventListener('abort', () => this.element?.remove());
  }

  get open() { return !!this.element && !this.element.hidden; }

  async show(texts) {
    if (!this.element) this.create();
    const { element } = this;
    element.querySelector('h2').textContent = texts.title;
    element.querySelector('.close').textContent = texts.close;
    for (const [kind, label] of [['videoInput', texts.camera], ['audioInput', texts.microphone],
                                 ['audioOutput', texts.speaker]]) {
      element.querySelector(`label[data-kind=${kind}] span`).textContent = label;
    }
    this.texts = texts;
    this.opener = this.box.getRootNode().activeElement;
    element.hidden = false;
    await this.refresh();
    element.querySelector('select').focus();
  }

  hide() {
    if (!this.element || this.element.hidden) return;
    this.element.hidden = true;
    this.opener?.focus?.();
  }

  create() {
    const doc = this.box.ownerDocument;
    const element = doc.createElement('div');
    element.id = 'devices';
    element.setAttribute('role', 'dialog');
    element.setAttribute('aria-labelledby', 'devices-title');
    element.hidden = true;
    const title = doc.createElement('h2');
    title.id = 'devices-title';
    element.appendChild(title);
    for (const kind of ['videoInput', 'audioInput', 'audioOutput']) {
      const label = doc.createElement('label');
      label.dataset.kind = kind;
      const text = doc.createElement('span');
      const select = doc.createElement('select');
      select.name = kind;
      select.addEventListener('change', () => this.choose(kind, select.value));
      label.append(text, select);
      element.appendChild(label);
    }
    const problem = doc.createElement('p');
    problem.className = 'problem';
    problem.setAttribute('role', 'alert');
    const close = doc.createElement('button');
    close.type = 'button';
    close.className = 'close';
    close.addEventListener('click', () => this.hide());
    element.append(problem, close);
    element.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      this.hide();
    });
    this.box.appendChild(element);
    this.element = element;
  }

  // Fills the lists from what the browser has now, with the devices in use selected.
  async refresh() {
    if (!this.element) return;
    const listed = await listDevices();
    const inUse = this.client.devicesInUse();
    const canChooseSpeaker = 'setSinkId' in HTMLMediaElement.prototype;
    for (const kind of ['videoInput', 'audioInput', 'audioOutput']) {
      const select = this.element.querySelector(`select[name=${kind}]`);
      const options = listed[kind].map((device, index) => {
        const option = this.box.ownerDocument.createElement('option');
        option.value = device.deviceId;
        option.textContent = device.label || `${kind} ${index + 1}`;
        return option;
      });
      select.replaceChildren(...options);
      const current = kind === 'audioOutput' ? inUse.audioOutput || 'default' : inUse[kind];
      if (current && listed[kind].some((d) => d.deviceId === current)) select.value = current;
      select.disabled = options.length === 0 || (kind === 'audioOutput' && !canChooseSpeaker);
    }
    this.element.querySelector('.problem').textContent =
        canChooseSpeaker ? '' : this.texts.speakerUnsupported;
  }

  async choose(kind, deviceId) {
    const problem = this.element.querySelector('.problem');
    problem.textContent = '';
    try {
      await switchDevices(this.client, { [kind]: kind === 'audioOutput' && deviceId === 'default'
        ? '' : deviceId });
    } catch (error) {
      problem.textContent = error.message;
    }
    await this.refresh();
  }
}

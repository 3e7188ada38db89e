// Starts one client: the layers it draws in (pictures, canvas, the DOM mirror's elements, live
// regions), its camera and microphone, and one instance of the WebAssembly module, given a host
// object that scopes everything it touches to its own root (wasm/browser/host.hpp). Our page
// starts one in its document (boot.js); each <video-chat> element starts one in its shadow root
// (embed.js). The .wasm is compiled once per page, however many clients it holds.
import { DevicePanel, followDeviceChanges, savedDevices, switchDevices, userMedia }
  from './devices.js';
import createVideoChatModule from './videochat.js';

// Asks for camera and microphone at once, so that the permission prompt and the camera's start
// overlap the module's download and compilation. Its outcome, refusal included, is taken by the
// client (LocalMedia) once it runs; until then a refusal must not be reported as unhandled.
export function requestMediaEarly() {
  const devices = navigator.mediaDevices;
  if (!devices || !devices.getUserMedia) return null;
  const early = userMedia('both');
  early.catch(() => {});
  return early;
}

// The fonts the module draws with (wasm/main.cpp, load_fonts), relative to the client's site.
const FONTS = ['fonts/Inter-Regular.otf', 'fonts/Inter-SemiBold.otf'];

// Starts fetching `urls` now, and returns the module's fetch: the response already on its way for
// a URL (once), or a new fetch. The module asks for config.json and the fonts only once it runs;
// asked for here, they arrive while the .wasm compiles and the camera starts.
function fetchAhead(urls) {
  const ahead = new Map();
  for (const url of urls) {
    const response = fetch(url);
    response.catch(() => {});  // the module's own fetch reports it
    ahead.set(url, response);
  }
  return (url) => {
    const response = ahead.get(url);
    ahead.delete(url);
    return response || fetch(url);
  };
}

const compiled = new Map();  // .wasm URL -> Promise<WebAssembly.Module>
function compileOnce(url) {
  if (!compiled.has(url)) {
    const compiling = WebAssembly.compileStreaming(fetch(url, { credentials: 'same-origin' }));
    compiling.catch(() => compiled.delete(url));  // the next client tries again
    compiled.set(url, compiling);
  }
  return compiled.get(url);
}

// The client's layers, appended to `box`: the pictures under the canvas, the mirror's elements
// above it, the live regions, and "Loading…" until the first frame.
function createLayers(box, loadingText) {
  const document = box.ownerDocument;
  const make = (tag, id, attributes = {}) => {
    const element = document.createElement(tag);
    if (id) element.id = id;
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    box.appendChild(element);
    return element;
  };
  const layers = {
    videos: make('div', 'videos'),
    // The canvas only draws: what it shows is in #ui for screen readers, the keyboard and touch.
    canvas: make('canvas', 'canvas', { 'aria-hidden': 'true' }),
    ui: make('main', 'ui', { 'aria-label': 'Video chat' }),
    status: make('div', 'ui-status', { class: 'announcer', role: 'status' }),
    alerts: make('div', 'ui-alerts', { class: 'announcer', role: 'alert' }),
  };
  layers.canvas.addEventListener('contextmenu', (event) => event.preventDefault());
  if (loadingText && !box.querySelector('#status')) {
    make('div', 'status', { role: 'status' }).textContent = loadingText;
  }
  return layers;
}

// options:
//   root       the document or shadow root the client's elements are looked up in
//   container  the element whose lang and colour properties the client sets, and whose keys and
//              pointer it hears (our page: <html>; a widget: its box)
//   box        where the layers go
//   settings   what the page asks for (wasm/core/host_settings.hpp)
//   baseUrl    where videochat.wasm, config.json and the fonts are
//   pageUrl    our page's address, for the links people share
//   earlyMedia a getUserMedia promise already under way (requestMediaEarly), if any
//   onEvent    (type, detail) for each of the client's events
// Resolves to a VideoChatClient once the module runs.
export async function startClient(options) {
  const layers = createLayers(options.box, options.loadingText);
  const controller = new AbortController();
  let early = options.earlyMedia === undefined ? requestMediaEarly() : options.earlyMedia;
  const asset = (relative) => new URL(relative, options.baseUrl).href;
  // The .wasm first: the largest download, compiled as it arrives.
  const compiling = compileOnce(asset('videochat.wasm'));
  const configUrl = (options.settings && options.settings.configUrl) || 'config.json';
  const host = {
    root: options.root,
    container: options.container,
    ...layers,
    settings: JSON.stringify(options.settings || {}),
    baseUrl: options.baseUrl,
    pageUrl: options.pageUrl,
    signal: controller.signal,
    fetch: fetchAhead([asset(configUrl), ...FONTS.map(asset)]),
    // Heard once the client's call returns: a listener that calls back into the client finds it
    // in the state the event describes.
    emit(type, detail) {
      const parsed = JSON.parse(detail);
      queueMicrotask(() => {
        if (!controller.signal.aborted) options.onEvent(type, parsed);
      });
    },
    // getUserMedia for LocalMedia: the early request the first time both are asked for.
    userMedia(attempt) {
      if (attempt === 'both' && early) {
        const promise = early;
        early = null;
        return promise;
      }
      return userMedia(attempt);
    },
  };
  const module = await createVideoChatModule({
    canvas: layers.canvas,
    vcHost: host,
    printErr: (text) => console.error(text),
    instantiateWasm(imports, receive) {
      compiling
          .then((compiledModule) => WebAssembly.instantiate(compiledModule, imports)
              .then((instance) => receive(instance, compiledModule)))
          .catch((error) => console.error('[videochat] the client did not start:', error));
      return {};
    },
  });
  const client = new VideoChatClient(module, host, controller, layers, options.box);
  // The picker, opened from the client's own buttons (texts in the client's language).
  host.showDevices = (texts) => client.devicePanel.show(JSON.parse(texts));
  // The speaker chosen last time, where the browser can choose one.
  const { audioOutput } = savedDevices();
  if (audioOutput) client.setAudioOutput(audioOutput).catch(() => {});
  return client;
}

// One running client: what its page or element can ask of it.
export class VideoChatClient {
  constructor(module, host, controller, layers, box) {
    this.sinkId = '';
    this.sinkWatch = null;
    this.module = module;
    this.host = host;
    this.controller = controller;
    this.layers = layers;
    this.box = box;
    this.devicePanel = new DevicePanel(this, box, controller.signal);
    followDeviceChanges(this, controller.signal,
                        () => this.devicePanel.open && this.devicePanel.refresh());
  }

  // For tests and diagnostics: the call as the client sees it (docs/using.md).
  state() { return JSON.parse(this.module.vcState()); }
  // What an embedding page sees: the room, own id, participants, devices, signaling.
  apiState() { return JSON.parse(this.module.vcApiState()); }
  // Where each control was drawn, whether it is disabled, and whether it has the focus.
  ui() {
    const controls = JSON.parse(this.module.vcUi());
    const active = this.host.root.activeElement;
    for (const id of Object.keys(controls)) {
      controls[id].focused = !!active && active.id === 'ui-' + id;
    }
    return controls;
  }
  // Why it cannot join, or null.
  // `passcode`: the room's, or the one a new room gets ('' for none).
  join(room, name, passcode) {
    return this.module.vcJoin(String(room), String(name ?? ''), String(passcode ?? '')) || null;
  }
  // Locks the room against new joiners (true) or unlocks it; every member is told.
  lockRoom(locked) { this.module.vcLockRoom(!!locked); }
  leave() { this.module.vcLeave(); }
  renegotiate() { this.module.vcRenegotiate(); }
  setMicrophone(on) { this.module.vcSetMicrophone(!!on); }
  setCamera(on) { this.module.vcSetCamera(!!on); }
  // The name the room hears, before joining or in a call.
  setDisplayName(name) { this.module.vcSetDisplayName(String(name)); }
  prefillRoom(room) { this.module.vcPrefillRoom(String(room)); }
  // Shares a screen (the browser asks which; only in answer to a click or key press), or stops.
  shareScreen(on) { this.module.vcShareScreen(!!on); }
  // Sends a chat message to the room; why it was not sent, or null.
  sendChat(text) { return this.module.vcSendChat(String(text)) || null; }
  // The chat: { open, unread, messages: [{ id, from, name, text, sentAt, own, relayedBy }] }.
  chat() { return JSON.parse(this.module.vcChat()); }
  setChatOpen(open) { this.module.vcSetChatOpen(!!open); }
  // Switches to other devices ({audioInput, videoInput, audioOutput} ids), and keeps the choice
  // for the next start. Resolves with the devices in use; rejects with a DeviceError.
  setDevices(wanted) { return switchDevices(this, wanted); }
  // Sends the tracks of `stream` (other devices) instead of the current ones of their kinds.
  useDevices(stream) { this.module.vcUseDevices(stream); }
  // The devices in use: {audioInput, videoInput, audioOutput} ids ('' for the default output).
  devicesInUse() {
    const preview = this.host.root.getElementById('vc-local-preview');
    const stream = preview && preview.srcObject;
    const id = (tracks) => (tracks && tracks[0] ? tracks[0].getSettings().deviceId || null : null);
    return { audioInput: id(stream && stream.getAudioTracks()),
             videoInput: id(stream && stream.getVideoTracks()), audioOutput: this.sinkId };
  }
  // Plays the others' sound on the speaker `deviceId` (HTMLMediaElement.setSinkId), now and for
  // everyone who joins later.
  async setAudioOutput(deviceId) {
    const videos = this.layers.videos;
    if (!('setSinkId' in HTMLMediaElement.prototype)) {
      throw Object.assign(new Error('this browser cannot choose the speaker'),
                          { code: 'NOT_SUPPORTED' });
    }
    this.sinkId = deviceId;
    if (!this.sinkWatch) {
      this.sinkWatch = new MutationObserver(() => {
        for (const video of videos.querySelectorAll('video:not(#vc-local-preview)')) {
          if (video.sinkId !== this.sinkId) video.setSinkId(this.sinkId).catch(() => {});
        }
      });
      this.sinkWatch.observe(videos, { childList: true });
    }
    await Promise.all([...videos.querySelectorAll('video:not(#vc-local-preview)')]
        .map((video) => video.setSinkId(deviceId)));
  }
  // UI frames drawn since the client started: the UI is drawn only when something changed.
  framesRendered() { return this.module.vcFramesRendered(); }

  // Plays every peer's sound: call it from a click when the browser blocked audio (audio-blocked).
  startAudio() {
    const videos = [...this.layers.videos.querySelectorAll('video')];
    return Promise.all(videos.map((video) => video.play()));
  }

  // Leaves the room, stops the camera and microphone, closes every connection, releases the
  // WebGL context (browsers allow only a few) and removes the client's elements.
  destroy() {
    if (this.controller.signal.aborted) return;
    if (this.sinkWatch) this.sinkWatch.disconnect();
    this.module.vcShutDown();
    this.controller.abort();
    const gl = this.layers.canvas.getContext('webgl2');
    const lose = gl && gl.getExtension('WEBGL_lose_context');
    if (lose) lose.loseContext();
    for (const video of this.layers.videos.querySelectorAll('video')) video.srcObject = null;
    for (const layer of Object.values(this.layers)) layer.remove();
    this.box.querySelector('#status')?.remove();
    this.module = null;
  }
}

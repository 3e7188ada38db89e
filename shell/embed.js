// <video-chat>: the video chat as an element of any page (docs/embedding.md).
//
//   <script type="module" src="https://OUR-HOST/embed.js"></script>
//   <video-chat room="standup" display-name="Ada"></video-chat>
//
// Inline (the default): the client runs in the element's shadow root, one WebAssembly instance per
// element, the module compiled once per page. mode="iframe": our page runs in an iframe the
// element makes, and the element speaks postMessage with it (frame_bridge.js). Either way the
// element has the same methods and fires the same events (CustomEvents that bubble and cross the
// shadow boundary).
import { API_METHODS, VideoChatError } from './api.js';
import { clientStyleSheet } from './client-style.js';
import { BRIDGE_VERSION } from './frame_bridge.js';

const BASE = new URL('.', import.meta.url);

// Attribute -> the client's setting.
const SETTINGS = {
  'room': 'room', 'display-name': 'displayName', 'autojoin': 'autojoin', 'audio': 'audio',
  'video': 'video', 'lang': 'lang', 'theme': 'theme', 'controls': 'controls',
  'signaling-url': 'signalingUrl', 'ice-servers': 'iceServers',
};
// Read when the element starts; changing them later starts the client anew.
const RESTARTING = ['lang', 'theme', 'controls', 'signaling-url', 'ice-servers', 'mode'];

const ELEMENT_STYLES = new CSSStyleSheet();
ELEMENT_STYLES.replaceSync(`
  :host { display: block; position: relative; width: 640px; height: 480px; contain: strict; }
  :host([hidden]) { display: none; }
  iframe { position: absolute; inset: 0; width: 100%; height: 100%; border: 0; }
`);

class VideoChatElement extends HTMLElement {
  static get observedAttributes() {
    return [...Object.keys(SETTINGS), 'mode'];
  }

  #session = null;  // the running client (InlineSession or FrameSession)
  #starting = null;

  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).adoptedStyleSheets = [ELEMENT_STYLES];
  }

  connectedCallback() {
    if (!this.#session && !this.#starting) this.#start();
  }

  disconnectedCallback() {
    // Moved within the page, it is connected again at once: only a removal ends the client.
    queueMicrotask(() => {
      if (!this.isConnected) this.#stop();
    });
  }

  attributeChangedCallback(name, before, after) {
    if (before === after || (!this.#session && !this.#starting)) return;
    if (!this.#session || RESTARTING.includes(name)) {
      // Still starting with the old value, or a value read only at the start.
      this.#stop();
      this.#start();
    } else if (name === 'room') {
      this.#session.call('setRoom', [after || '', this.hasAttribute('autojoin')])
          .catch((error) => this.#fail(error));
    } else if (name === 'display-name') {
      this.#session.call('setDisplayName', [after || '']).catch((error) => this.#fail(error));
    } else if (name === 'audio' || name === 'video') {
      const method = name === 'audio' ? 'setMicrophone' : 'setCamera';
      this.#session.call(method, [after !== 'off']).catch((error) => this.#fail(error));
    }
  }

  #settings() {
    const settings = {};
    for (const [attribute, setting] of Object.entries(SETTINGS)) {
      settings[setting] = this.getAttribute(attribute);
    }
    return settings;
  }

  #start() {
    const Session = this.getAttribute('mode') === 'iframe' ? FrameSession : InlineSession;
    // What the client says while it starts (a bad attribute, an early join) is heard after
    // `ready`, so that a page's listener can already call its methods.
    let early = [];
    const emit = (type, detail) => (early ? early.push([type, detail]) : this.#emit(type, detail));
    const starting = Session.start(this, this.#settings(), emit);
    this.#starting = starting;
    starting.then((session) => {
      if (this.#starting !== starting) return session.destroy();  // stopped meanwhile
      this.#session = session;
      this.#starting = null;
      this.#emit('ready', {});
      for (const [type, detail] of early) this.#emit(type, detail);
      early = null;
    }, (error) => this.#fail(error, true));
  }

  #stop() {
    this.#starting = null;
    if (this.#session) this.#session.destroy();
    this.#session = null;
    this.shadowRoot.replaceChildren();
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #fail(error, fatal = false) {
    this.#emit('error', { code: error.code || 'INTERNAL_ERROR', message: String(error.message),
                          fatal });
  }

  // The API (docs/embedding.md): each method resolves once done, or rejects with a
  // VideoChatError whose code says why.
  #call(method, args) {
    if (!this.#session) {
      return Promise.reject(new VideoChatError('NOT_READY',
                                               `${method}: the element has not started yet`));
    }
    return this.#session.call(method, args);
  }

  static {
    for (const method of API_METHODS) {
      this.prototype[method] = function (...args) {
        return this.#call(method, args);
      };
    }
  }
}

// The client in the element's shadow root.
class InlineSession {
  static async start(element, settings, emit) {
    const [{ startClient }, { VideoChatApi }] =
        await Promise.all([import('./client.js'), import('./api.js')]);
    const root = element.shadowRoot;
    root.adoptedStyleSheets = [ELEMENT_STYLES, clientStyleSheet()];
    const box = document.createElement('div');
    box.className = 'vc-box';
    box.tabIndex = -1;  // a click on the canvas focuses the client: its keys are heard in it
    root.appendChild(box);
    let api = null;
    const client = await startClient({
      root, container: box, box, settings,
      baseUrl: BASE.href,
      pageUrl: new URL('index.html', BASE).href,
      onEvent(type, detail) {
        if (api) api.handleEvent(type, detail);
        emit(type, detail);
      },
    });
    api = new VideoChatApi(client, settings.room);
    return new InlineSession(client, api, box);
  }

  constructor(client, api, box) {
    this.client = client;
    this.api = api;
    this.box = box;
  }

  async call(method, args) {
    return this.api[method](...args);
  }

  // (Also for a session that finished starting after its element moved on: its box goes too.)
  destroy() {
    this.client.destroy();
    this.box.remove();
  }
}

// Our page in an iframe, driven over postMessage.
class FrameSession {
  static start(element, settings, emit) {
    const address = new URL('index.html', BASE);
    address.searchParams.set('embed', 'iframe');
    address.searchParams.set('parentOrigin', location.origin);
    for (const [name, value] of Object.entries(settings)) {
      if (value !== null) address.searchParams.set(name, value);
    }
    const frame = document.createElement('iframe');
    frame.allow = 'camera; microphone; display-capture; autoplay; fullscreen; clipboard-write';
    frame.title = 'Video chat';
    frame.src = address.href;
    const session = new FrameSession(frame, emit);
    element.shadowRoot.appendChild(frame);
    return session.ready;
  }

  constructor(frame, emit) {
    this.frame = frame;
    this.emit = emit;
    this.nextId = 1;
    this.replies = new Map();  // request id -> { resolve, reject }
    this.controller = new AbortController();
    this.ready = new Promise((resolve) => { this.becameReady = () => resolve(this); });
    window.addEventListener('message', (event) => this.receive(event),
                            { signal: this.controller.signal });
  }

  receive(event) {
    if (event.source !== this.frame.contentWindow || event.origin !== BASE.origin) return;
    const message = event.data;
    if (!message || message.videochat !== BRIDGE_VERSION) return;
    if (message.type === 'event') {
      if (message.name === 'ready') this.becameReady();
      else this.emit(message.name, message.detail);
    } else if (message.type === 'reply' && this.replies.has(message.id)) {
      const { resolve, reject } = this.replies.get(message.id);
      this.replies.delete(message.id);
      if (message.error) reject(new VideoChatError(message.error.code, message.error.message));
      else resolve(message.result);
    }
  }

  call(method, args) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, { resolve, reject });
      this.frame.contentWindow.postMessage({ videochat: BRIDGE_VERSION, type: 'call', id, method,
                                             args }, BASE.origin);
    });
  }

  destroy() {
    this.controller.abort();
    for (const { reject } of this.replies.values()) {
      reject(new VideoChatError('LEFT', 'the element was removed'));
    }
    this.frame.remove();  // the page in it goes, and with it its camera and connections
  }
}

if (!customElements.get('video-chat')) customElements.define('video-chat', VideoChatElement);

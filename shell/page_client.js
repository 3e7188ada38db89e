// Our page's client: in the page's own document, its room and language from the page's address
// (?room=, ?lang=), the address following the room joined. Framed by a <video-chat mode="iframe">
// element (?embed=iframe&parentOrigin=…), it takes the element's attributes from the address
// instead and serves the element's API over postMessage.
import { VideoChatApi } from './api.js';
import { startClient } from './client.js';
import { clientStyleSheet } from './client-style.js';
import { FrameBridge } from './frame_bridge.js';

// The attributes an iframe-mode element passes in our address, by the names the client reads.
const FRAMED_SETTINGS = ['room', 'displayName', 'autojoin', 'audio', 'video', 'lang', 'theme',
                         'controls', 'signalingUrl', 'iceServers'];

export async function startPageClient(earlyMedia) {
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, clientStyleSheet()];
  const params = new URLSearchParams(location.search);
  const parentOrigin = params.get('parentOrigin');
  const framed = params.get('embed') === 'iframe' && window.parent !== window && !!parentOrigin;
  const settings = { followAddress: !framed };
  if (framed) {
    for (const name of FRAMED_SETTINGS) settings[name] = params.get(name);
  }
  const bridge = framed ? new FrameBridge(parentOrigin) : null;
  let api = null;
  const client = await startClient({
    root: document,
    container: document.documentElement,
    box: document.body,
    settings,
    baseUrl: document.baseURI,
    pageUrl: location.origin + location.pathname,
    earlyMedia,
    onEvent(type, detail) {
      if (api) api.handleEvent(type, detail);
      if (bridge) bridge.event(type, detail);
    },
  });
  api = new VideoChatApi(client, settings.room);
  if (bridge) {
    bridge.attach(api);
    bridge.event('ready', {});
  }
  return client;
}

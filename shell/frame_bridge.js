// Our page's side of <video-chat mode="iframe"> (embed.js): it runs the API (api.js) for the
// element in the page that framed it, over postMessage. Messages carry a version (videochat: 1)
// and, for calls, a request id the reply repeats. Only the window that framed us, from the origin
// it said it has (parentOrigin in our address), is heard; everything else is ignored, and what we
// send goes to that origin only.
import { API_METHODS, VideoChatError } from './api.js';

export const BRIDGE_VERSION = 1;

export class FrameBridge {
  constructor(parentOrigin) {
    this.parentOrigin = parentOrigin;
    this.api = null;
    this.queued = [];  // calls that came before the client started
    window.addEventListener('message', (event) => this.receive(event));
  }

  post(message) {
    window.parent.postMessage({ videochat: BRIDGE_VERSION, ...message }, this.parentOrigin);
  }

  event(name, detail) {
    this.post({ type: 'event', name, detail });
  }

  attach(api) {
    this.api = api;
    for (const call of this.queued.splice(0)) this.answer(call);
  }

  receive(event) {
    if (event.source !== window.parent || event.origin !== this.parentOrigin) return;
    const call = event.data;
    if (!call || call.videochat !== BRIDGE_VERSION || call.type !== 'call' ||
        typeof call.id !== 'number' || !Array.isArray(call.args)) {
      return;
    }
    if (this.api) this.answer(call); else this.queued.push(call);
  }

  async answer({ id, method, args }) {
    try {
      if (!API_METHODS.includes(method)) {
        throw new VideoChatError('BAD_REQUEST', `no method "${method}"`);
      }
      const result = await this.api[method](...args);
      this.post({ type: 'reply', id, result: result === undefined ? null : result });
    } catch (error) {
      this.post({ type: 'reply', id,
                  error: { code: error.code || 'INTERNAL_ERROR', message: String(error.message) } });
    }
  }
}

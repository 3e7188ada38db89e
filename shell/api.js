// The API a page that embeds the video chat uses (docs/embedding.md): methods that return promises
// where they wait for the server, on top of one running client (client.js) and its events. The
// <video-chat> element offers it directly (inline mode); in iframe mode our page in the iframe
// runs it and frame_bridge.js carries the calls and replies.

import { listDevices } from './devices.js';

// An error a page can switch on: `code` is the protocol's (ROOM_FULL, BAD_REQUEST…) or the API's.
export class VideoChatError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'VideoChatError';
    this.code = code;
  }
}

export class VideoChatApi {
  // `client`: a VideoChatClient; `room`: the room join() joins when it is given none.
  constructor(client, room) {
    this.client = client;
    this.room = room || '';
    this.waiters = new Set();  // ({ type, detail }) => true when it is done waiting
  }

  // Every event of the client passes here (before the page hears it), for the calls waiting on it.
  handleEvent(type, detail) {
    for (const waiter of [...this.waiters]) {
      if (waiter({ type, detail })) this.waiters.delete(waiter);
    }
  }

  // Resolves with the first event `settle` returns a value for, or rejects with the error it throws.
  waitFor(settle) {
    return new Promise((resolve, reject) => {
      this.waiters.add((event) => {
        try {
          const value = settle(event);
          if (value === undefined) return false;
          resolve(value);
        } catch (error) {
          reject(error);
        }
        return true;
      });
    });
  }

  // Joins `room` (or the element's), leaving the room it is in first; resolves with
  // { room, id } once the server has let it in. options: { displayName, passcode } (the room's,
  // or the one a room nobody is in gets).
  async join(room, options = {}) {
    const target = String(room || this.room || '');
    if (!target) throw new VideoChatError('BAD_REQUEST', 'join: no room given');
    const state = this.client.apiState();
    if (state.joined && state.room === target) return { room: target, id: state.id };
    if (this.client.state().screen === 'room') await this.leave();
    if (options.displayName !== undefined) this.client.setDisplayName(options.displayName);
    this.room = target;
    const problem = this.client.join(target, this.client.state().name, options.passcode ?? '');
    if (problem) throw new VideoChatError('BAD_REQUEST', problem);
    // The client's events reach us after this call returns (client.js queues them): waiting from
    // here misses none.
    return this.waitFor(({ type, detail }) => {
      if (type === 'joined') return detail;
      if (type === 'error' && detail.fatal) throw new VideoChatError(detail.code, detail.message);
      return undefined;
    });
  }

  // Leaves the room; resolves with { room, reason } once left (at once when in none).
  async leave() {
    if (this.client.state().screen !== 'room') return { room: null, reason: 'notInRoom' };
    const joined = this.client.apiState().joined;
    const left = joined ? this.waitFor(({ type, detail }) => (type === 'left' ? detail : undefined))
                        : Promise.resolve({ room: null, reason: 'left' });
    this.client.leave();
    return left;
  }

  // The room join() joins and the lobby shows. A client in a call (or with `join`) moves to it,
  // keeping its camera and microphone.
  async setRoom(room, join = false) {
    this.room = String(room);
    if (join || this.client.state().screen === 'room') return this.join(this.room);
    this.client.prefillRoom(this.room);
    return null;
  }

  setMicrophone(on) {
    this.client.setMicrophone(on);
    return this.client.apiState().microphone;
  }

  setCamera(on) {
    this.client.setCamera(on);
    return this.client.apiState().camera;
  }

  // The name the others see: in a call they hear of it at once (participant-updated).
  setDisplayName(name) {
    this.client.setDisplayName(name);
  }

  getParticipants() { return this.client.apiState().participants; }
  getState() { return this.client.apiState(); }

  // The cameras, microphones and speakers the browser lists (labels once permission is given).
  async getDevices() {
    return listDevices();
  }

  // Switches to other devices, by the deviceIds getDevices() lists: a camera or microphone is
  // replaced in every connection without renegotiating; the speaker applies to everyone's sound.
  // The choice is kept for the next start. Resolves with the devices in use.
  async setDevices(wanted = {}) {
    if (this.client.state().media.pending) {
      throw new VideoChatError('NOT_READY', 'setDevices: the camera and microphone are not ready');
    }
    try {
      return await this.client.setDevices(wanted);
    } catch (error) {
      throw new VideoChatError(error.code || 'DEVICE_ERROR', error.message);
    }
  }

  // Shares a screen, window or tab: call it from a click or key press (browsers show their picker
  // only then). Resolves once sharing started; rejects with SCREEN_SHARE_REFUSED (cancelled,
  // blocked, unsupported) and the reason in words.
  async shareScreen() {
    if (!this.client.apiState().joined) {
      throw new VideoChatError('NOT_IN_ROOM', 'shareScreen: join a room first');
    }
    if (this.client.apiState().screenSharing) return;
    const started = this.waitFor(({ type, detail }) => {
      if (type === 'screen-share-changed' && detail.on) return detail;
      if (type === 'error' && detail.code === 'SCREEN_SHARE_REFUSED') {
        throw new VideoChatError(detail.code, detail.message);
      }
      return undefined;
    });
    this.client.shareScreen(true);
    await started;
  }

  stopScreenShare() {
    this.client.shareScreen(false);
  }

  // Sends a chat message to everyone in the room, peer to peer. Throws CHAT_REFUSED with the
  // reason in words (empty, too long, nobody to send to).
  sendChat(text) {
    // The chat panel ignores an empty message; a page calling this is told.
    if (/^[ \t\n\v\f\r]*$/.test(String(text))) {
      throw new VideoChatError('CHAT_REFUSED', 'sendChat: the message is empty');
    }
    const why = this.client.sendChat(text);
    if (why !== null) throw new VideoChatError('CHAT_REFUSED', why);
  }

  // The chat so far: { open, unread, messages: [...] } (the chat-message event's details).
  getChat() { return this.client.chat(); }

  // Opens or closes the chat panel (opening marks every message read).
  setChatOpen(open) { this.client.setChatOpen(open); }

  // From a click, after audio-blocked: plays the peers' sound.
  async startAudio() {
    await this.client.startAudio();
  }
}

// The methods a page may call, by name: the iframe bridge calls nothing else.
export const API_METHODS = ['join', 'leave', 'setRoom', 'setMicrophone', 'setCamera',
                            'setDisplayName', 'getParticipants', 'getState', 'getDevices',
                            'setDevices', 'startAudio', 'shareScreen', 'stopScreenShare',
                            'sendChat', 'getChat', 'setChatOpen'];

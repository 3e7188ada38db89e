// Debian's Chromium driven over the DevTools protocol directly, for what playwright cannot show: a
// page that is really hidden. Playwright keeps every page it drives visible; here a tab opened in
// front of another in the same window hides it, as when a person switches tabs, and Chromium
// applies its real background throttling (none of the flags that turn it off are given).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

import { withDeadline } from '../integration/harness.mjs';

const TIMEOUT_MS = 20000;

// One DevTools connection: commands answered by id, events to whoever waits for them.
class Connection {
  constructor(socket) {
    this.socket = socket;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Set();
    socket.on('message', (data) => {
      const message = JSON.parse(data);
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(`${waiter.method}: ${message.error.message}`));
        else waiter?.resolve(message.result);
      } else {
        for (const listener of this.listeners) listener(message);
      }
    });
  }

  send(method, params = {}, sessionId = undefined) {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params, sessionId }));
    return withDeadline(new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
    }), TIMEOUT_MS, method);
  }
}

// One tab: evaluate() runs a function of one JSON argument in the page and returns its (awaited)
// JSON result.
class Tab {
  constructor(connection, targetId, sessionId, label) {
    Object.assign(this, { connection, targetId, sessionId, label });
    this.consoleLines = [];
  }

  async evaluate(fn, arg) {
    const result = await this.connection.send('Runtime.evaluate', {
      expression: `(${fn})(${JSON.stringify(arg)})`, awaitPromise: true, returnByValue: true,
    }, this.sessionId);
    if (result.exceptionDetails) {
      throw new Error(`${this.label}: ${result.exceptionDetails.exception?.description ??
                                       result.exceptionDetails.text}`);
    }
    return result.result.value;
  }

  // Polls `predicate(state, arg)` (run in the page: it sees only its arguments) until it holds.
  async waitForState(predicate, what, { timeoutMs = TIMEOUT_MS, arg = null } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
      last = await this.evaluate(`(arg) => { const s = window.videochat.state();
                                             return { s, ok: !!(${predicate})(s, arg) }; }`, arg);
      if (last.ok) return last.s;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.label}: timed out waiting for ${what}; last state ` +
                    `${JSON.stringify(last?.s)}\n${this.consoleLines.slice(-20).join('\n')}`);
  }

  state() {
    return this.evaluate(() => window.videochat.state());
  }

  visibility() {
    return this.evaluate(() => document.visibilityState);
  }

  // Brings the tab to the front of its window (the tab that was in front is hidden).
  activate() {
    return this.connection.send('Target.activateTarget', { targetId: this.targetId });
  }

  // The client's module is running, and the camera and microphone have answered.
  async waitForReady() {
    const deadline = Date.now() + TIMEOUT_MS;
    while (Date.now() < deadline) {
      // Until the page has loaded there may be no context to evaluate in: that is "not yet".
      const ready = await this.evaluate(() => !!(window.videochat && window.videochat.ready()))
          .catch(() => false);
      if (ready) return this.waitForState((s) => !s.media.pending, 'camera and microphone');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.label}: the client did not start`);
  }
}

export class RawChromium {
  static async launch(args = []) {
    const profile = mkdtempSync(path.join(tmpdir(), 'videochat-cdp-'));
    const child = spawn(process.env.CHROMIUM || '/usr/bin/chromium', [
      '--headless', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader', '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic', `--user-data-dir=${profile}`,
      '--remote-debugging-port=0', ...args, 'about:blank',
    ], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    const url = await withDeadline(new Promise((resolve, reject) => {
      let seen = '';
      child.stderr.on('data', (chunk) => {
        seen += chunk;
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
        if (match) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`chromium exited (${code}): ${seen}`)));
    }), TIMEOUT_MS, 'chromium to listen for DevTools');
    const socket = new WebSocket(url, { perMessageDeflate: false });
    await withDeadline(new Promise((resolve) => socket.once('open', resolve)), TIMEOUT_MS,
                       'the DevTools connection');
    const browser = new RawChromium(child, new Connection(socket), profile);
    await browser.connection.send('Target.setDiscoverTargets', { discover: true });
    return browser;
  }

  constructor(child, connection, profile) {
    Object.assign(this, { child, connection, profile });
  }

  // Opens `url` in a new tab: in a window of its own, or in front of the last window's tab
  // (which is then hidden). `routes` maps a path to the JSON body served for it instead of the
  // server's (config.json, say). With `client`, waits until the client is ready; with
  // `refuseMedia`, the page is refused camera and microphone.
  async openTab(url, label, { newWindow = true, routes = {}, client = true,
                             refuseMedia = false } = {}) {
    const { targetId } = await this.connection.send('Target.createTarget',
                                                    { url: 'about:blank', newWindow });
    const { sessionId } = await this.connection.send('Target.attachToTarget',
                                                     { targetId, flatten: true });
    const tab = new Tab(this.connection, targetId, sessionId, label);
    this.connection.listeners.add((message) => {
      if (message.sessionId !== sessionId) return;
      if (message.method === 'Runtime.consoleAPICalled') {
        tab.consoleLines.push(`${label}: ${message.params.args.map((a) => a.value).join(' ')}`);
      } else if (message.method === 'Fetch.requestPaused') {
        const body = routes[new URL(message.params.request.url).pathname];
        this.connection.send('Fetch.fulfillRequest', {
          requestId: message.params.requestId, responseCode: 200,
          responseHeaders: [{ name: 'Content-Type', value: 'application/json' }],
          body: Buffer.from(JSON.stringify(body)).toString('base64'),
        }, sessionId);
      }
    });
    await this.connection.send('Runtime.enable', {}, sessionId);
    if (refuseMedia) {
      // As when the person refuses camera and microphone: the page joins receive-only.
      await this.connection.send('Page.addScriptToEvaluateOnNewDocument', {
        source: `navigator.mediaDevices.getUserMedia = () =>
                   Promise.reject(new DOMException('refused', 'NotAllowedError'));`,
      }, sessionId);
    }
    const patterns = Object.keys(routes).map((route) => ({ urlPattern: `*${route}` }));
    if (patterns.length > 0) await this.connection.send('Fetch.enable', { patterns }, sessionId);
    // Without a recorded grant Chromium gathers no ICE candidates.
    await this.connection.send('Browser.grantPermissions', {
      origin: new URL(url).origin, permissions: ['audioCapture', 'videoCapture'],
    });
    await this.connection.send('Page.navigate', { url }, sessionId);
    if (client) await tab.waitForReady();
    return tab;
  }

  // Closes the browser as a person would, so that its renderer, GPU and utility processes exit
  // and stop writing to the profile before it is removed. Chromium runs in a process group of its
  // own (detached), so whatever is left after a kill is found and waited for.
  async close() {
    const exited = new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once('exit', resolve);
    });
    await this.connection.send('Browser.close').catch(() => this.killGroup());
    await withDeadline(exited, TIMEOUT_MS, 'chromium to exit').catch(() => this.killGroup());
    await exited;
    await this.groupGone();
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }

  killGroup() {
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch (error) {
      if (error.code !== 'ESRCH') throw error;  // ESRCH: the whole group has already gone
    }
  }

  // Resolves once no process of Chromium's group is left.
  async groupGone() {
    for (let waited = 0; ; waited += 50) {
      try {
        process.kill(-this.child.pid, 0);
      } catch (error) {
        if (error.code === 'ESRCH') return;
        throw error;
      }
      if (waited >= TIMEOUT_MS) this.killGroup();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

// Test harness for the integration tests: a real videochat-local on a free port, its JSON log
// lines, and real WebSocket clients. Everything that waits does so for an event, with a deadline;
// nothing sleeps and hopes.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_TIMEOUT_MS = 2000;

// Lambda mode (CTest's integration_lambda sets VIDEOCHAT_LAMBDA_ZIP): every server startServer
// starts runs the handlers as the Lambda zip, in function processes behind videochat-local's
// Runtime API, with rooms in a dynalite of its own.
export const LAMBDA_ZIP = process.env.VIDEOCHAT_LAMBDA_ZIP
  ? path.resolve(REPO_ROOT, process.env.VIDEOCHAT_LAMBDA_ZIP) : '';
export const LAMBDA_MODE = LAMBDA_ZIP !== '';

// The files every temporary web root holds, so static-file tests know what to expect.
export const WEB_FILES = {
  'index.html': '<!doctype html><title>videochat</title><h1>videochat test page</h1>\n',
  'app.js': 'console.log("videochat test script");\n',
  'client.wasm': Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
};

function binaryPath() {
  const fromEnv = process.env.VIDEOCHAT_LOCAL;
  if (fromEnv) return path.resolve(REPO_ROOT, fromEnv);
  const built = path.join(REPO_ROOT, 'build/native/local/videochat-local');
  if (existsSync(built)) return built;
  throw new Error(`set VIDEOCHAT_LOCAL to the videochat-local binary (none found at ${built})`);
}

// Resolves with `promise`'s value, or rejects with `what` once `timeoutMs` has passed.
export function withDeadline(promise, timeoutMs, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// Everything started since the last cleanup(), so a failing test never leaves a process behind.
const live = { servers: new Set(), clients: new Set(), children: new Set() };

// Kills every server and child process and closes every client started since the last call.
// Test files call it in afterEach.
export async function cleanup() {
  for (const client of live.clients) client.ws.terminate();
  live.clients.clear();
  for (const child of live.children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.children.clear();
  await Promise.all([...live.servers].map((server) => server.kill()));
  live.servers.clear();
}

// A safety net for a test file that ends without its afterEach running (an uncaught error, say):
// no orphan servers.
process.on('exit', () => {
  for (const server of live.servers) server.child.kill('SIGKILL');
  for (const child of live.children) child.kill('SIGKILL');
});

// Registers a child process (say, wscat) for cleanup().
export function track(child) {
  live.children.add(child);
  return child;
}

let markerCount = 0;
export function uniqueMarker(label = 'marker') {
  markerCount += 1;
  return `${label}-${process.pid}-${markerCount}-${Date.now()}`;
}

class Server {
  constructor(child, webRoot, ownsWebRoot) {
    this.child = child;
    this.webRoot = webRoot;
    this.ownsWebRoot = ownsWebRoot;
    this.logs = [];
    this.stderr = '';
    this.exit = null; // {code, signal} once exited
    this.waiters = new Set();
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': by then stdout has been read to its end, so `logs` is complete.
      child.on('close', (code, signal) => {
        this.exit = { code, signal };
        for (const waiter of this.waiters) waiter.check();
        resolve(this.exit);
      });
    });
    // Connections are opened one at a time, so the n-th $connect log line names the n-th client.
    this.connectQueue = Promise.resolve();
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim() === '') continue;
        let parsed;
        try {
          parsed = JSON.parse(line);
        } catch {
          parsed = { event: 'unparsable_log_line', line };
        }
        this.logs.push(parsed);
        for (const waiter of this.waiters) waiter.check();
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      this.stderr += chunk;
    });
  }

  // Resolves once `ready()` returns something other than undefined, with that value; rejects at
  // the deadline or if the server exits first.
  waitUntil(ready, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const waiter = {
        check: () => {
          const value = ready();
          if (value !== undefined) {
            finish();
            resolve(value);
          } else if (this.exit) {
            finish();
            reject(new Error(`server exited (${JSON.stringify(this.exit)}) while waiting for ` +
                             `${what}; stderr: ${this.stderr}`));
          }
        },
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last log lines:\n` +
                         this.logs.slice(-8).map((l) => JSON.stringify(l)).join('\n')));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
      waiter.check();
    });
  }

  // Resolves with the first log line at index >= `from` that matches, past or future.
  waitForLog(predicate, timeoutMs = DEFAULT_TIMEOUT_MS, { from = 0 } = {}) {
    return this.waitUntil(() => this.logs.slice(from).find(predicate), timeoutMs,
                          `a log line matching ${predicate}`);
  }

  // Resolves with the n-th (1-based) log line that matches.
  waitForNthLog(predicate, n, timeoutMs = DEFAULT_TIMEOUT_MS) {
    return this.waitUntil(() => this.logs.filter(predicate)[n - 1], timeoutMs,
                          `log line number ${n} matching ${predicate}`);
  }

  routeLines(connectionId, route) {
    return this.logs.filter((l) => l.event === 'route' && l.connectionId === connectionId &&
                                   (route === undefined || l.route === route));
  }

  // Resolves with the route log line of `connectionId`'s $disconnect.
  waitForDisconnect(connectionId, timeoutMs = DEFAULT_TIMEOUT_MS) {
    return this.waitForLog(
        (l) => l.event === 'route' && l.route === '$disconnect' && l.connectionId === connectionId,
        timeoutMs);
  }

  get http() {
    return `http://127.0.0.1:${this.port}`;
  }

  connectionUrl(connectionId) {
    return `${this.managementApi}/${encodeURIComponent(connectionId)}`;
  }

  // The management API (@connections), as a Lambda handler or a backend would call it.
  async manage(method, connectionId, body) {
    const response = await withDeadline(
        fetch(this.connectionUrl(connectionId), { method, body }), DEFAULT_TIMEOUT_MS,
        `${method} @connections/${connectionId}`);
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  }
  postToConnection(connectionId, body) {
    return this.manage('POST', connectionId, body);
  }
  getConnection(connectionId) {
    return this.manage('GET', connectionId);
  }
  deleteConnection(connectionId) {
    return this.manage('DELETE', connectionId);
  }

  // Opens a WebSocket to this server's API and learns its connection id from the $connect log
  // line. Calls are serialized, which is what makes the log order name the right client.
  connect(options = {}) {
    const attempt = this.connectQueue.then(async () => {
      const from = this.logs.length;
      const client = await connect(this.signalingUrl, options);
      const line = await this.waitForLog(
          (l) => l.event === 'route' && l.route === '$connect' && l.status === 200,
          DEFAULT_TIMEOUT_MS, { from });
      client.id = line.connectionId;
      client.server = this;
      return client;
    });
    this.connectQueue = attempt.catch(() => {});
    return attempt;
  }

  // Sends `message` from `client` and resolves with the route log line the server wrote once the
  // handler returned. A connection's messages are routed in order, one route line each, so the
  // n-th message sent with client.send() has the n-th route line.
  async request(client, message, timeoutMs = DEFAULT_TIMEOUT_MS) {
    client.send(message);
    return this.routed(client, timeoutMs);
  }

  // Sends joinRoom (`fields` adds protocol v2's peerId, name, resumeToken) and resolves with its
  // route log line. When the join succeeds, the `joined` frame every joiner now gets is taken off
  // the joiner's queue (wherever it is among the frames) and kept as client.joined, so tests
  // that are about other frames read those first.
  async join(client, roomId, fields = {}, timeoutMs = DEFAULT_TIMEOUT_MS) {
    const route = await this.request(client, { action: 'joinRoom', roomId, ...fields }, timeoutMs);
    if (route.status === 200) {
      client.joined = await client.take((frame) => frame.type === 'joined' && frame.roomId === roomId,
                                        timeoutMs, `joined for room ${roomId}`);
    }
    return route;
  }

  // Resolves with the route log line of the last message `client` sent.
  routed(client, timeoutMs = DEFAULT_TIMEOUT_MS) {
    const isMine = (l) => l.event === 'route' && l.connectionId === client.id &&
                          l.route !== '$connect' && l.route !== '$disconnect';
    return this.waitForNthLog(isMine, client.messagesSent, timeoutMs);
  }

  // Asserts that nothing reached `client` before a marker posted now through the management API.
  // Frames to one connection are delivered in the order they were posted, so anything a handler
  // that already returned had posted would arrive first.
  async expectNothingPending(client, timeoutMs = DEFAULT_TIMEOUT_MS) {
    const marker = uniqueMarker('quiet');
    const posted = await this.postToConnection(client.id, marker);
    if (posted.status !== 200) {
      throw new Error(`could not post the marker to ${client.id}: ${posted.status} ${posted.text}`);
    }
    const got = await client.nextText(timeoutMs);
    if (got !== marker) {
      throw new Error(`expected nothing before the marker, but ${client.id} received ${got}`);
    }
  }

  // Sends `signal` and resolves with the exit status {code, signal} (deadline, then SIGKILL).
  async stop(signal = 'SIGTERM', timeoutMs = 5000) {
    if (!this.exit) this.child.kill(signal);
    try {
      return await withDeadline(this.exited, timeoutMs, `videochat-local to exit after ${signal}`);
    } catch (error) {
      this.child.kill('SIGKILL');
      throw error;
    }
  }

  async kill() {
    if (!this.exit) this.child.kill('SIGKILL');
    await this.exited;
    if (this.ownsWebRoot) rmSync(this.webRoot, { recursive: true, force: true });
    // videochat-local --lambda removes its unpacked zip when it exits, but SIGKILL allows no exit.
    const lambda = this.logs.find((l) => l.event === 'lambda');
    if (lambda?.taskRoot) rmSync(lambda.taskRoot, { recursive: true, force: true });
  }
}

// Starts dynalite (an in-memory DynamoDB-API server) on a free loopback port; resolves with the
// environment that points videochat-local's --store dynamodb at it.
export async function startDynalite(table = 'videochat') {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'tests/dynamodb/start_dynalite.cjs')],
                      { stdio: ['pipe', 'pipe', 'inherit'] });
  track(child);
  const port = await withDeadline(new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const line = text.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line) resolve(JSON.parse(line).port);
    });
    child.on('exit', () => reject(new Error('dynalite exited before listening')));
  }), 10000, 'dynalite listening');
  return {
    AWS_REGION: 'us-east-1', VIDEOCHAT_TABLE: table,
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`,
    // dynalite checks that requests are signed, not by whom.
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local', AWS_SESSION_TOKEN: '',
  };
}

// Starts videochat-local in Lambda mode (--lambda `zip`, default the built zip) with a dynalite
// of its own, unless `env` already names a table; resolves once it logs `listening`.
export async function startLambdaServer(args = [], { zip, env = {}, timeoutMs = 15000 } = {}) {
  const zipPath = zip ?? (LAMBDA_ZIP || path.join(REPO_ROOT, 'build/native/lambda/videochat-lambda.zip'));
  const dynamodb = env.VIDEOCHAT_TABLE ? {} : await startDynalite();
  return launch([...args, '--lambda', zipPath], { timeoutMs, env: { ...dynamodb, ...env } });
}

// Starts videochat-local on a free port with `args` and resolves once it logs `listening`.
// Unless `args` names a --web-root, a temporary one holding WEB_FILES is used.
// `env` adds environment variables (the DynamoDB store's, for instance). In Lambda mode
// (LAMBDA_MODE) the server runs the Lambda zip instead of the handlers in process.
export async function startServer(args = [], options = {}) {
  if (LAMBDA_MODE && !args.includes('--lambda')) return startLambdaServer(args, options);
  return launch(args, options);
}

// `descriptorLimit`: the server runs with at most this many open files (prlimit --nofile).
async function launch(args, { timeoutMs = 5000, env: extraEnv = {}, descriptorLimit } = {}) {
  let webRoot;
  let ownsWebRoot = false;
  const rootIndex = args.indexOf('--web-root');
  if (rootIndex >= 0) {
    webRoot = args[rootIndex + 1];
  } else {
    webRoot = mkdtempSync(path.join(tmpdir(), 'videochat-web-'));
    ownsWebRoot = true;
    for (const [name, content] of Object.entries(WEB_FILES)) {
      writeFileSync(path.join(webRoot, name), content);
    }
    args = ['--web-root', webRoot, ...args];
  }
  // The environment's PORT and ICE_SERVERS would override the defaults the tests expect.
  const env = { ...process.env, PORT: '', ICE_SERVERS: '', ...extraEnv };
  const command = [binaryPath(), '--port', '0', ...args];
  if (descriptorLimit) command.unshift('prlimit', `--nofile=${descriptorLimit}:${descriptorLimit}`);
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env });
  const server = new Server(child, webRoot, ownsWebRoot);
  live.servers.add(server);
  const spawnFailed = new Promise((_, reject) => child.on('error', reject));
  const listening = await Promise.race([
    server.waitForLog((l) => l.event === 'listening', timeoutMs),
    spawnFailed,
  ]);
  server.port = listening.port;
  server.url = listening.url;
  server.signalingUrl = listening.signalingUrl;
  server.managementApi = listening.managementApi;
  return server;
}

// A WebSocket client that queues what it receives so tests can read it in order.
export class Client {
  constructor(ws) {
    this.ws = ws;
    this.frames = []; // {text, isBinary}
    this.pings = 0;
    this.messagesSent = 0;
    this.closeEvent = null;
    this.listeners = new Set();
    ws.on('message', (data, isBinary) => {
      this.frames.push({ text: data.toString('utf8'), isBinary });
      this.notify();
    });
    ws.on('ping', () => {
      this.pings += 1;
      this.notify();
    });
    ws.on('close', (code, reason) => {
      this.closeEvent = { code, reason: reason.toString('utf8') };
      this.notify();
    });
    // Errors (a reset after terminate(), say) surface as the close event.
    ws.on('error', () => {});
  }

  notify() {
    for (const listener of this.listeners) listener();
  }

  // Resolves once `ready()` returns something other than undefined, with that value.
  waitFor(ready, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const listener = () => {
        let value;
        try {
          value = ready();
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (value !== undefined) {
          finish();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}` +
                         (this.id ? ` on connection ${this.id}` : '')));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
      listener();
    });
  }

  // The next frame received, as {text, isBinary}.
  nextFrame(timeoutMs = DEFAULT_TIMEOUT_MS) {
    return this.waitFor(() => {
      if (this.frames.length > 0) return this.frames.shift();
      if (this.closeEvent) {
        const closed = JSON.stringify(this.closeEvent);
        throw new Error(`connection closed (${closed}) while waiting for a message`);
      }
      return undefined;
    }, timeoutMs, 'a message');
  }

  // Resolves with the first frame, parsed as JSON, for which `predicate` holds, taken out of the
  // queue; frames before it stay queued in order.
  take(predicate, timeoutMs = DEFAULT_TIMEOUT_MS, what = 'a matching frame') {
    return this.waitFor(() => {
      for (let i = 0; i < this.frames.length; i++) {
        let parsed;
        try {
          parsed = JSON.parse(this.frames[i].text);
        } catch {
          continue;
        }
        if (predicate(parsed)) {
          this.frames.splice(i, 1);
          return parsed;
        }
      }
      if (this.closeEvent) {
        throw new Error(`connection closed (${JSON.stringify(this.closeEvent)}) while waiting for ${what}`);
      }
      return undefined;
    }, timeoutMs, what);
  }

  async nextText(timeoutMs = DEFAULT_TIMEOUT_MS) {
    return (await this.nextFrame(timeoutMs)).text;
  }

  // The next text message, parsed as JSON when it is JSON.
  async next(timeoutMs = DEFAULT_TIMEOUT_MS) {
    const text = await this.nextText(timeoutMs);
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  // Resolves with {code, reason} once the connection has closed.
  waitClose(timeoutMs = DEFAULT_TIMEOUT_MS) {
    return this.waitFor(() => this.closeEvent ?? undefined, timeoutMs, 'the connection to close');
  }

  // Sends an object as JSON, or a string as it is.
  send(message) {
    this.messagesSent += 1;
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  // Sends `text` as one message of `count` text frames: a text frame, then continuations.
  sendFragmented(text, count) {
    this.messagesSent += 1;
    const size = Math.ceil(text.length / count);
    for (let i = 0; i < count; i++) {
      this.ws.send(text.slice(i * size, (i + 1) * size), { fin: i === count - 1 });
    }
  }

  close(code, reason) {
    this.ws.close(code, reason);
  }

  get isOpen() {
    return this.ws.readyState === WebSocket.OPEN;
  }
}

// Opens a WebSocket to `url`; resolves with a Client once open. A refused handshake rejects with
// an error carrying the HTTP `status` and `body`.
export function connect(url, options = {}, timeoutMs = DEFAULT_TIMEOUT_MS) {
  // No permessage-deflate: frame sizes on the wire must be the sizes the tests choose.
  const ws = new WebSocket(url, { perMessageDeflate: false, ...options });
  const client = new Client(ws);
  live.clients.add(client);
  const opened = new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => {
        const error = new Error(`handshake refused with HTTP ${response.statusCode}: ${body}`);
        error.status = response.statusCode;
        error.headers = response.headers;
        error.body = body;
        reject(error);
        ws.terminate();
      });
    });
    ws.once('error', reject);
  });
  return withDeadline(opened, timeoutMs, `a WebSocket handshake with ${url}`);
}

// Sends one raw HTTP/1.1 request with a literal request target (no client-side normalization of
// "..", which fetch would do) and resolves with {status, headers, body}. Header names as given.
export function rawHttp(port, { method = 'GET', target, headers = {} },
                        timeoutMs = DEFAULT_TIMEOUT_MS) {
  // A Host or Connection among `headers` replaces the default one.
  const { Host: host = `127.0.0.1:${port}`, Connection: connection = 'close', ...others } = headers;
  const request = [`${method} ${target} HTTP/1.1`, `Host: ${host}`, `Connection: ${connection}`,
                   ...Object.entries(others).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  const response = new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    const chunks = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const headerEnd = raw.indexOf('\r\n\r\n');
      const [statusLine, ...headerLines] = raw.slice(0, headerEnd).split('\r\n');
      const parsedHeaders = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        parsedHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers: parsedHeaders,
                body: raw.slice(headerEnd + 4) });
    });
  });
  return withDeadline(response, timeoutMs, `${method} ${target}`);
}

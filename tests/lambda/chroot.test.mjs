// The Lambda zip (build/native/lambda/videochat-lambda.zip) proven self-contained: unpacked into an
// otherwise empty root (four device nodes and /tmp, nothing else: no libc, no loader, no /etc, no
// /proc), started by chroot with the environment Lambda's provided.al2023 runtime sets, and driven
// by a fake Lambda Runtime API on loopback. DynamoDB is unreachable on purpose, so the
// store-touching routes must still answer (500) in time. Then over TLS: a DynamoDB stand-in on
// loopback with a certificate made here, trusted through the root's CA bundle (or not), reached
// by name through the root's /etc/hosts. Last, the cold start beside a minimal static runtime
// (MINIMAL_RUNTIME, tests/lambda/minimal_runtime.c), interleaved. Needs root (mknod, chroot);
// CTest and scripts/test.sh run it in a network namespace with only loopback.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { closeServer, listenOnLoopback } from './loopback_server.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// LAMBDA_ARCH=arm64 (CTest lambda_chroot_arm64): the arm64 zip, run by qemu-user through
// binfmt_misc. An empty LAMBDA_ZIP there means the build had no cross toolchain.
const ARCH = process.env.LAMBDA_ARCH ?? 'x86_64';
const ZIP = process.env.LAMBDA_ZIP === ''
  ? ''
  : path.resolve(REPO_ROOT, process.env.LAMBDA_ZIP ?? 'build/native/lambda/videochat-lambda.zip');
const ELF_MACHINE = { x86_64: /X86-64/, arm64: /AArch64/ }[ARCH];
const BINFMT_QEMU = '/proc/sys/fs/binfmt_misc/qemu-aarch64';

// Why this machine cannot run the zip under test, or null: only arm64 can be missing something.
function cannotRun() {
  if (ARCH !== 'arm64') return null;
  if (ZIP === '') {
    return 'no arm64 zip: the build found no aarch64-linux-gnu-g++ (scripts/setup.sh installs ' +
        'g++-aarch64-linux-gnu)';
  }
  if (!existsSync(BINFMT_QEMU)) {
    return `binfmt_misc has no qemu-aarch64 entry (${BINFMT_QEMU}), so this machine cannot run ` +
        'arm64 programs; scripts/setup.sh registers qemu-user-static\'s where the machine allows it';
  }
  const entry = readFileSync(BINFMT_QEMU, 'utf8');
  if (!/^enabled/m.test(entry)) return `${BINFMT_QEMU} is disabled`;
  // F: the kernel opens qemu when it is registered, so it runs programs inside a chroot too.
  if (!/^flags:.*F/m.test(entry)) return `${BINFMT_QEMU} lacks the F flag: qemu is not found in a chroot`;
  return null;
}
const MINIMAL_RUNTIME = process.env.MINIMAL_RUNTIME;
// The zip's budget (issue: "zip ≤ 3 MB per architecture").
const MAX_ZIP_BYTES = 3_000_000;
const RUNTIME_PATH = '/2018-06-01/runtime';
// Requests the stand-ins serve to themselves before a timed run (FakeRuntimeApi.warm,
// FakeDynamoDb.start): enough for Node to have optimised their request paths.
const WARM_UP_ROUNDS = 30;
// What the function's TLS (mbedTLS 2.28, TLS 1.2) agrees with the DynamoDB stand-in (a P-256
// certificate): the stand-in warms this path up, and the test checks the function still takes it.
const FUNCTION_TLS_SUITE = { openssl: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  agreed: 'TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' };
// Processes run per CA layout for the first-invocation figure: one first invocation per process,
// so its median needs several.
const FIRST_INVOCATION_RUNS = 5;
// The function's timeout (template.yaml: Timeout: 10): each invocation's Lambda-Runtime-Deadline-Ms.
const FUNCTION_TIMEOUT_MS = 10_000;
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:videochat-signaling';
// The route handlers' own API, as API Gateway names it in every event.
const API = { apiId: 'abc', domainName: 'abc.execute-api.us-east-1.amazonaws.com', stage: 'production' };

// ---------------------------------------------------------------------------------------------
// The root: the zip unpacked at /var/task, /dev with four nodes, /tmp. Nothing from the host.

const DEVICES = [['null', 1, 3], ['zero', 1, 5], ['random', 1, 8], ['urandom', 1, 9]];

function commandPath(name) {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (found.status !== 0) throw new Error(`${name} is not installed`);
  return found.stdout.trim();
}

// The root, or why this machine cannot make one (not root: mknod and chroot need it). `files`:
// more files to put in it, path (relative to the root) to contents.
function makeRoot(files = {}) {
  if (process.getuid() !== 0) return { skip: 'needs root (mknod, chroot): run as root, as CI does' };
  const reason = cannotRun();
  if (reason) return { skip: reason };
  if (!existsSync(ZIP)) {
    throw new Error(`${ZIP} is missing: build it (cmake --build --preset native --target lambda-zip)`);
  }
  const root = mkdtempSync(path.join(tmpdir(), 'lambda-chroot-'));
  mkdirSync(path.join(root, 'var/task'), { recursive: true });
  mkdirSync(path.join(root, 'dev'));
  mkdirSync(path.join(root, 'tmp'), { mode: 0o1777 });
  execFileSync('unzip', ['-q', ZIP, '-d', path.join(root, 'var/task')]);
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), contents, { mode: 0o755 });
  }
  for (const [name, major, minor] of DEVICES) {
    const made = spawnSync('mknod', ['-m', '666', path.join(root, 'dev', name), 'c', `${major}`, `${minor}`],
        { encoding: 'utf8' });
    if (made.status !== 0) {
      rmSync(root, { recursive: true, force: true });
      // A user namespace's "root" (scripts/test.sh without root) may not make device nodes.
      if (/Operation not permitted/.test(made.stderr)) return { skip: `mknod refused: ${made.stderr.trim()}` };
      throw new Error(`mknod ${name} failed: ${made.stderr}`);
    }
  }
  return { root };
}

// What Lambda's provided.al2023 environment sets, plus the function's own configuration.
function lambdaEnvironment(runtimeApi, functionEnv) {
  return {
    LAMBDA_TASK_ROOT: '/var/task',
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    _HANDLER: 'bootstrap',
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: 'videochat-signaling',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/videochat-signaling',
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef',
    AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE00',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN',
    // Lambda's own LD_LIBRARY_PATH names the host's folders; the function must not depend on it.
    LD_LIBRARY_PATH: '/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: '/usr/local/bin:/usr/bin/:/bin',
    VIDEOCHAT_TABLE: 'videochat',
    // The resume tokens' key, as template.yaml passes its ResumeSecret parameter.
    RESUME_SECRET: randomBytes(32).toString('hex'),
    // The client's site, as template.yaml passes its (required) AllowedOrigins parameter: the
    // page is not on the API's own domain.
    VIDEOCHAT_ALLOWED_ORIGINS: 'https://videochat.example',
    // Nothing listens there: every DynamoDB call fails, and the handlers must still answer.
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
    ...functionEnv,
  };
}

// ---------------------------------------------------------------------------------------------
// The fake Runtime API: hands out a scripted list of invocations, records every request.

class FakeRuntimeApi extends EventEmitter {
  constructor(payloads) {
    super();
    this.queue = payloads.map((payload) => ({ requestId: randomUUID(), payload }));
    this.invocations = new Map();  // requestId -> { payload, handedAt, deadlineMs, answers: [] }
    this.nextRequests = [];        // performance.now() of each GET /next
    this.nextClocks = [];          // the same moments on CLOCK_MONOTONIC (ns), as exec-clock reads it
    this.initErrors = [];
    this.unexpected = [];          // anything else: unknown paths, answers for unknown ids
    this.parked = [];              // /next requests waiting for an invocation that never comes
    this.server = http.createServer((request, response) => this.#serve(request, response));
  }

  start() {
    return listenOnLoopback(this.server);
  }

  // Invocations of its own (WARM_UP_ROUNDS), asked for and answered by this process before the
  // function starts, then forgotten: the function's first invocation then does not meet request
  // paths Node has not yet compiled and optimised, which would count as the function's time.
  // (FakeDynamoDb.start does the same for the same reason.)
  async warm(address) {
    const [host, port] = address.split(':');
    const call = (method, url, body) => new Promise((resolve, reject) => {
      http.request({ host, port, method, path: url, agent: false }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject).end(body);
    });
    for (let round = 0; round < WARM_UP_ROUNDS; round += 1) {
      this.queue.unshift({ requestId: randomUUID(), payload: '{}' });
      const next = await call('GET', `${RUNTIME_PATH}/invocation/next`);
      const id = next.headers['lambda-runtime-aws-request-id'];
      await call('POST', `${RUNTIME_PATH}/invocation/${id}/response`, '{}');
      this.invocations.delete(id);
    }
    this.nextRequests = [];
    this.nextClocks = [];
  }

  stop() {
    return closeServer(this.server, this.parked);
  }

  // Resolves once `predicate()` holds (checked on every request), or rejects after `timeoutMs`.
  waitFor(predicate, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.off('change', check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.off('change', check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.on('change', check);
      check();
    });
  }

  #serve(request, response) {
    const at = performance.now();
    const clock = process.hrtime.bigint();
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      this.#route(request, body, at, clock, response);
      this.emit('change');
    });
  }

  #route(request, body, at, clock, response) {
    const url = request.url;
    if (request.method === 'GET' && url === `${RUNTIME_PATH}/invocation/next`) {
      this.nextRequests.push(at);
      this.nextClocks.push(clock);
      const invocation = this.queue.shift();
      if (!invocation) {
        this.parked.push(response);  // as Lambda does: /next blocks until there is an event
        return;
      }
      const deadlineMs = Date.now() + FUNCTION_TIMEOUT_MS;
      this.invocations.set(invocation.requestId,
          { payload: invocation.payload, handedAt: performance.now(), deadlineMs, answers: [] });
      response.writeHead(200, {
        'Content-Type': 'application/json',
        'Lambda-Runtime-Aws-Request-Id': invocation.requestId,
        'Lambda-Runtime-Deadline-Ms': `${deadlineMs}`,
        'Lambda-Runtime-Invoked-Function-Arn': FUNCTION_ARN,
        'Lambda-Runtime-Trace-Id':
            `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};` +
            `Parent=${randomBytes(8).toString('hex')};Sampled=0;Lineage=1:0123abcd:0`,
      });
      response.end(invocation.payload);
      return;
    }
    if (request.method === 'POST' && url === `${RUNTIME_PATH}/init/error`) {
      this.initErrors.push({ body, errorType: request.headers['lambda-runtime-function-error-type'] });
      response.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"OK"}');
      return;
    }
    const answer = url.match(/^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/);
    const invocation = answer && this.invocations.get(decodeURIComponent(answer[1]));
    if (request.method === 'POST' && invocation) {
      invocation.answers.push({
        kind: answer[2],
        body,
        errorType: request.headers['lambda-runtime-function-error-type'],
        at: performance.now(),
        epochMs: Date.now(),
      });
      response.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"OK"}');
      return;
    }
    this.unexpected.push({ method: request.method, url, body });
    response.writeHead(404, { 'Content-Type': 'application/json' })
        .end('{"errorMessage":"unknown request","errorType":"InvalidRequestID"}');
  }
}

// ---------------------------------------------------------------------------------------------
// API Gateway WebSocket events, shaped as API Gateway delivers them to Lambda.

function connectionId() {
  return randomBytes(11).toString('base64');  // 16 characters, "=" last, like "L0SM9cOFvHcCIhw="
}

function requestTime(ms) {
  const d = new Date(ms);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
      `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

function requestContext(routeKey, eventType, connection, extra = {}) {
  const now = Date.now();
  const requestId = randomBytes(10).toString('base64').slice(0, 14) + '=';
  return {
    routeKey,
    eventType,
    extendedRequestId: requestId,
    requestTime: requestTime(now),
    messageDirection: 'IN',
    stage: API.stage,
    connectedAt: now - 5000,
    requestTimeEpoch: now,
    identity: { sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' },
    requestId,
    domainName: API.domainName,
    connectionId: connection,
    apiId: API.apiId,
    ...extra,
  };
}

function connectEvent(connection) {
  const headers = {
    Host: API.domainName,
    Origin: 'https://videochat.example',
    'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    'X-Amzn-Trace-Id': `Root=1-${randomBytes(4).toString('hex')}-${randomBytes(12).toString('hex')}`,
    'X-Forwarded-For': '203.0.113.7',
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
  };
  return {
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    requestContext: requestContext('$connect', 'CONNECT', connection),
    isBase64Encoded: false,
  };
}

function messageEvent(routeKey, connection, body) {
  return {
    requestContext: requestContext(routeKey, 'MESSAGE', connection,
        { messageId: randomBytes(11).toString('base64') }),
    body,
    isBase64Encoded: false,
  };
}

function disconnectEvent(connection) {
  const headers = { Host: API.domainName, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' };
  return {
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    requestContext: requestContext('$disconnect', 'DISCONNECT', connection,
        { disconnectStatusCode: 1001, disconnectReason: 'Going away' }),
    isBase64Encoded: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Running the function: chroot ROOT /var/task/bootstrap, its JSON log lines, its exit.

// `onLine` is called after each log line, so waits can include what the function logged.
// `program`: what to start inside the root (the minimal runtime, for the cold-start comparison).
function startFunction(root, env, onLine = () => {}, program = '/var/task/bootstrap') {
  const startedAt = performance.now();
  const child = spawn(commandPath('chroot'), [root, program],
      { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const fn = { child, startedAt, logs: [], stdout: '', stderr: '', exit: null };
  fn.exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      fn.exit = { code, signal };
      resolve(fn.exit);
    });
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text) => {
    fn.stdout += text;
    const lines = fn.stdout.split('\n');
    fn.stdout = lines.pop();
    for (const line of lines) {
      try {
        fn.logs.push(JSON.parse(line));
      } catch {
        fn.logs.push({ notJson: line });
      }
      onLine();
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text) => { fn.stderr += text; });
  return fn;
}

async function stopFunction(fn) {
  if (fn.exit === null) fn.child.kill('SIGKILL');
  await fn.exited;
}

const ms = (value) => `${value.toFixed(1)} ms`;

// ---------------------------------------------------------------------------------------------

// Every route, the events a misconfigured trigger might send, in an order that mixes them, so
// the process must survive each kind before the next. `answer` is what each must get back.
function scriptedInvocations() {
  const alice = connectionId();
  const room = 'lambda-chroot';
  return [
    { name: '$connect', event: connectEvent(alice), touchesStore: true,
      answer: { kind: 'response', statusCode: 500 } },
    { name: '$default with a body that is not JSON', event: messageEvent('$default', alice, '{"action":'),
      answer: { kind: 'response', statusCode: 400 } },
    { name: 'joinRoom', touchesStore: true,
      event: messageEvent('joinRoom', alice, JSON.stringify({ action: 'joinRoom', roomId: room })),
      answer: { kind: 'response', statusCode: 500 } },
    { name: 'malformed JSON text', payload: '{"requestContext": {"routeKey": "$connect"',
      answer: { kind: 'error', errorType: 'InvalidEvent' } },
    { name: 'sendMsgToRoom', touchesStore: true,
      event: messageEvent('sendMsgToRoom', alice,
          JSON.stringify({ action: 'sendMsgToRoom', roomId: room, message: 'hello world!' })),
      answer: { kind: 'response', statusCode: 500 } },
    { name: 'a JSON string', payload: JSON.stringify('{"requestContext":{}}'),
      answer: { kind: 'error', errorType: 'InvalidEvent' } },
    { name: '$default with an unknown action',
      event: messageEvent('$default', alice, JSON.stringify({ action: 'dance' })),
      answer: { kind: 'response', statusCode: 400 } },
    { name: 'an object that is not a WebSocket event (an S3 notification)',
      event: { Records: [{ eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1',
        eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'videochat' }, object: { key: 'a' } } }] },
      answer: { kind: 'error', errorType: 'InvalidEvent' } },
    { name: 'joinRoom with an invalid room id',
      event: messageEvent('joinRoom', alice, JSON.stringify({ action: 'joinRoom', roomId: 'no spaces' })),
      answer: { kind: 'response', statusCode: 400 } },
    { name: 'leaveRoom', touchesStore: true,
      event: messageEvent('leaveRoom', alice, JSON.stringify({ action: 'leaveRoom' })),
      answer: { kind: 'response', statusCode: 500 } },
    { name: '$disconnect', event: disconnectEvent(alice), touchesStore: true,
      answer: { kind: 'response', statusCode: 500 } },
  ].map((script) => ({ ...script, payload: script.payload ?? JSON.stringify(script.event) }));
}

describe('the Lambda zip in an empty chroot, driven through the Runtime API', () => {
  const script = scriptedInvocations();
  let made;
  let api;
  let fn;
  let runError;
  const byName = new Map();  // script name -> the recorded invocation

  before(async () => {
    made = makeRoot();
    if (made.skip) return;
    api = new FakeRuntimeApi(script.map((s) => s.payload));
    const ids = api.queue.map((q) => q.requestId);
    script.forEach((s, i) => { s.requestId = ids[i]; });
    fn = startFunction(made.root, lambdaEnvironment(await api.start(), {}), () => api.emit('change'));
    try {
      // Done when every invocation is answered and logged, and the function asks for the next one
      // again (the log comes through another pipe than the answers: either may arrive first).
      await Promise.race([
        api.waitFor(() => api.queue.length === 0 &&
            [...api.invocations.values()].every((i) => i.answers.length > 0) &&
            fn.logs.filter((l) => l.event === 'invocation').length >= script.length &&
            api.parked.length > 0, 60_000, 'every invocation answered and logged, /next asked again'),
        fn.exited.then((exit) => { throw new Error(`the function exited: ${JSON.stringify(exit)}`); }),
      ]);
    } catch (error) {
      runError = new Error(`${error.message}\nstderr: ${fn.stderr}\nlog: ${JSON.stringify(fn.logs)}`);
    }
    for (const s of script) byName.set(s.name, api.invocations.get(s.requestId));
  });

  after(async () => {
    if (fn) await stopFunction(fn);
    if (api) await api.stop();
    if (made?.root) rmSync(made.root, { recursive: true, force: true });
  });

  const skipOrFail = (t) => {
    if (made.skip) {
      t.skip(made.skip);
      return true;
    }
    if (runError) throw runError;
    return false;
  };

  test('every invocation gets exactly one answer, for its own request id, and nothing else is posted', (t) => {
    if (skipOrFail(t)) return;
    for (const s of script) {
      assert.equal(byName.get(s.name)?.answers.length, 1, `${s.name}: one answer`);
    }
    assert.deepEqual(api.unexpected, [], 'no request for unknown ids or paths');
    assert.deepEqual(api.initErrors, [], 'no init error');
  });

  test('events that are not API Gateway WebSocket events are answered with an InvalidEvent error', (t) => {
    if (skipOrFail(t)) return;
    for (const s of script.filter((x) => x.answer.kind === 'error')) {
      const [answer] = byName.get(s.name).answers;
      assert.equal(answer.kind, 'error', `${s.name}: posted to /error`);
      const body = JSON.parse(answer.body);
      assert.equal(body.errorType, 'InvalidEvent', `${s.name}: ${answer.body}`);
      assert.equal(typeof body.errorMessage, 'string');
      assert.ok(body.errorMessage.length > 0);
      assert.equal(answer.errorType, 'InvalidEvent', 'Lambda-Runtime-Function-Error-Type header');
    }
  });

  test('every route answers with its status code, 500 when DynamoDB is unreachable, before the deadline', (t) => {
    if (skipOrFail(t)) return;
    for (const s of script.filter((x) => x.answer.kind === 'response')) {
      const invocation = byName.get(s.name);
      const [answer] = invocation.answers;
      assert.equal(answer.kind, 'response', `${s.name}: posted to /response, got ${answer.body}`);
      assert.equal(JSON.parse(answer.body).statusCode, s.answer.statusCode, `${s.name}: ${answer.body}`);
      assert.ok(answer.epochMs <= invocation.deadlineMs,
          `${s.name}: answered ${answer.epochMs - invocation.deadlineMs} ms after its deadline`);
    }
  });

  test('one process serves every invocation: it initialises once and never exits', (t) => {
    if (skipOrFail(t)) return;
    assert.equal(fn.exit, null, `still running (stderr: ${fn.stderr})`);
    assert.equal(fn.logs.filter((l) => l.event === 'init').length, 1, 'one init');
    assert.equal(api.nextRequests.length, script.length + 1, 'one /next per invocation, plus a waiting one');
    const logged = fn.logs.filter((l) => l.event === 'invocation');
    assert.deepEqual(logged.map((l) => l.requestId), script.map((s) => s.requestId));
    assert.ok(logged.every((l) => l.answered === true), 'the Runtime API accepted every answer');
    assert.equal(fn.stderr, '', 'nothing on stderr');
  });

  test('cold start and per-invocation times', (t) => {
    if (skipOrFail(t)) return;
    const coldStart = api.nextRequests[0] - fn.startedAt;
    const took = (s) => byName.get(s.name).answers[0].at - byName.get(s.name).handedAt;
    t.diagnostic(`cold start (spawn of chroot to the first GET /next): ${ms(coldStart)}`);
    for (const s of script) {
      t.diagnostic(`${s.touchesStore ? 'DynamoDB unreachable' : 'no store'}: ${s.name}: ${ms(took(s))}`);
    }
    // The first invocation also pays for the first use of everything; warm means after it.
    const warm = script.slice(1).filter((s) => !s.touchesStore).map(took).sort((a, b) => a - b);
    t.diagnostic(`warm, no store: median ${ms(warm[Math.floor(warm.length / 2)])}, ` +
        `max ${ms(warm[warm.length - 1])} over ${warm.length}`);
    // Peak resident memory, against the smallest Lambda size (128 MB).
    const peak = readFileSync(`/proc/${fn.child.pid}/status`, 'utf8').match(/VmHWM:\s*(\d+) kB/);
    if (peak) t.diagnostic(`peak resident memory: ${(Number(peak[1]) / 1024).toFixed(1)} MB`);
    // The rejections ($default, bad room id) tell the client through the @connections API, which
    // cannot be reached from here: that attempt is part of the warm time above.
    const management = fn.logs.filter((l) => l.event === 'management_api');
    assert.ok(management.length > 0, 'the @connections API was called');
    t.diagnostic(`@connections calls: ${management.length}, e.g. status ${management[0].status}: ` +
        `${management[0].detail}`);
    // Generous bounds: a regression by an order of magnitude (a DNS timeout, a retry loop) fails.
    assert.ok(coldStart < 2000, `cold start ${ms(coldStart)}`);
    assert.ok(warm[warm.length - 1] < 500, `warm invocations up to ${ms(warm[warm.length - 1])}`);
  });
});

describe('the Lambda zip in an empty chroot, misconfigured', () => {
  const initFailures = [
    ['VIDEOCHAT_TABLE unset', { VIDEOCHAT_TABLE: '' }, /VIDEOCHAT_TABLE/],
    ['RESUME_SECRET unset', { RESUME_SECRET: '' }, /RESUME_SECRET is not set/],
    ['RESUME_SECRET shorter than 32 bytes', { RESUME_SECRET: 'short' }, /RESUME_SECRET is 5 bytes/],
  ];
  for (const [what, functionEnv, says] of initFailures) {
    test(`an init failure (${what}) is posted to /init/error and the process exits`, async (t) => {
      const made = makeRoot();
      if (made.skip) {
        t.skip(made.skip);
        return;
      }
      const api = new FakeRuntimeApi([JSON.stringify(connectEvent(connectionId()))]);
      const fn = startFunction(made.root, lambdaEnvironment(await api.start(), functionEnv));
      try {
        let timer;
        const exit = await Promise.race([
          fn.exited,
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('the function did not exit')), 10_000);
          }),
        ]).finally(() => clearTimeout(timer));
        assert.equal(api.initErrors.length, 1, `one init error (stderr: ${fn.stderr})`);
        const body = JSON.parse(api.initErrors[0].body);
        assert.equal(body.errorType, 'InitError');
        assert.match(body.errorMessage, says);
        assert.equal(api.initErrors[0].errorType, 'InitError', 'Lambda-Runtime-Function-Error-Type header');
        assert.equal(api.nextRequests.length, 0, 'never asked for an invocation');
        assert.deepEqual(api.unexpected, []);
        assert.notEqual(exit.code, 0, 'exits with a failure status');
      } finally {
        await stopFunction(fn);
        await api.stop();
        rmSync(made.root, { recursive: true, force: true });
      }
    });
  }

  test(`the zip is one static ${ARCH} program, bootstrap, within the size budget`, (t) => {
    if (ZIP === '') {
      t.skip(cannotRun());
      return;
    }
    if (!existsSync(ZIP)) assert.fail(`${ZIP} is missing`);
    const listing = execFileSync('unzip', ['-Z1', ZIP], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(listing, ['bootstrap']);
    const folder = mkdtempSync(path.join(tmpdir(), 'lambda-zip-'));
    try {
      execFileSync('unzip', ['-q', ZIP, '-d', folder]);
      const bootstrap = path.join(folder, 'bootstrap');
      assert.ok(statSync(bootstrap).mode & 0o111, 'bootstrap is executable');
      const headers = execFileSync('readelf', ['-lhdW', bootstrap], { encoding: 'utf8' });
      assert.doesNotMatch(headers, /Requesting program interpreter/, 'no loader named');
      assert.doesNotMatch(headers, /\(NEEDED\)/, 'no shared library needed');
      assert.match(headers.match(/Machine:\s*(.*)/)[1], ELF_MACHINE, `built for ${ARCH}`);
      t.diagnostic(`bootstrap: ${statSync(bootstrap).size} B unpacked`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    const bytes = statSync(ZIP).size;
    t.diagnostic(`zip: ${bytes} B (budget ${MAX_ZIP_BYTES} B)`);
    assert.ok(bytes <= MAX_ZIP_BYTES, `the zip is ${bytes} B, over its budget of ${MAX_ZIP_BYTES} B`);
  });
});

// ---------------------------------------------------------------------------------------------
// TLS: a DynamoDB stand-in over HTTPS on loopback. The root holds what Amazon Linux 2023 provides
// at run time: /etc/hosts naming the stand-in, nsswitch.conf, and the CAs, in one of two layouts:
// a bundle file (this machine's, plus the stand-in's certificate), which the function parses whole
// at init, or a hashed directory holding the stand-in's certificate, read on demand.

const HOST_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

// A self-signed certificate (and its key) for `name`, made with the openssl command.
// `altNames`: the certificate's subject alternative names (DNS:…, IP:…), by default its name.
function makeCertificate(folder, name, altNames = `DNS:${name}`) {
  const key = path.join(folder, `${name}-key.pem`);
  const cert = path.join(folder, `${name}.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
    '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-addext', `subjectAltName=${altNames}`,
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const hash = execFileSync('openssl', ['x509', '-hash', '-noout', '-in', cert], { encoding: 'utf8' });
  return { key: readFileSync(key), cert: readFileSync(cert), hash: hash.trim() };
}

// `layout`: 'bundle' or 'directory' (the function prefers a hashed directory when there is one).
function tlsRootFiles(trusted, layout = 'bundle') {
  const hostBundle = existsSync(HOST_BUNDLE) ? readFileSync(HOST_BUNDLE, 'utf8') : '';
  const trust = layout === 'bundle'
    ? { 'etc/pki/tls/certs/ca-bundle.crt': hostBundle + trusted.cert }
    : { [`etc/ssl/certs/${trusted.hash}.0`]: trusted.cert };
  return {
    ...trust,
    'etc/hosts': '127.0.0.1 localhost dynamodb.test impostor.test\n',
    'etc/nsswitch.conf': 'hosts: files dns myhostname\n',  // Amazon Linux 2023's
  };
}

// Answers every DynamoDB call with an empty success; counts TCP connections and keeps each
// request's operation and signature.
class FakeDynamoDb {
  constructor(certificate) {
    this.connections = 0;
    this.requests = [];
    this.ciphers = [];
    this.server = https.createServer(certificate, (request, response) => {
      request.resume();
      request.on('end', () => {
        this.requests.push({ target: request.headers['x-amz-target'],
          authorization: request.headers.authorization ?? '' });
        response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' }).end('{}');
      });
    });
    this.server.on('connection', () => { this.connections += 1; });
    this.server.on('secureConnection', (socket) => {
      const { version, standardName } = socket.getCipher();
      this.ciphers.push(`${version} ${standardName}`);
    });
  }

  // Listens, then serves requests of its own (WARM_UP_ROUNDS, two on each of fresh connections,
  // made the way the function makes them: TLS 1.2 with FUNCTION_TLS_SUITE), so the function's
  // first call does not meet a server whose request path is still cold: Node compiles it on first
  // use and optimises it only after several runs, and OpenSSL sets a cipher up on its first use,
  // which would count as the function's first-invocation time. Those requests and their
  // connections are not counted.
  async start() {
    const port = (await listenOnLoopback(this.server)).split(':')[1];
    for (let round = 0; round < WARM_UP_ROUNDS / 2; round += 1) {
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
      for (let call = 0; call < 2; call += 1) {
        await new Promise((resolve, reject) => {
          https.request({ host: '127.0.0.1', port, method: 'POST', rejectUnauthorized: false, agent,
            maxVersion: 'TLSv1.2', ciphers: FUNCTION_TLS_SUITE.openssl },
          (response) => response.resume().on('end', resolve)).on('error', reject).end('{}');
        });
      }
      agent.destroy();
    }
    this.connections = 0;
    this.requests = [];
    this.ciphers = [];
    return port;
  }

  stop() {
    return closeServer(this.server);
  }
}

// Runs the function in `root` against DynamoDB at `endpoint` for `count` $connect events; the
// recorded run once every one is answered and /next is asked again.
async function runConnects(root, endpoint, count) {
  const payloads = Array.from({ length: count }, () => JSON.stringify(connectEvent(connectionId())));
  const api = new FakeRuntimeApi(payloads);
  const ids = api.queue.map((q) => q.requestId);
  const address = await api.start();
  await api.warm(address);
  const fn = startFunction(root, lambdaEnvironment(address, { AWS_ENDPOINT_URL_DYNAMODB: endpoint }),
      () => api.emit('change'));
  try {
    await Promise.race([
      api.waitFor(() => api.queue.length === 0 && api.parked.length > 0 &&
          ids.every((id) => api.invocations.get(id)?.answers.length > 0), 60_000,
          `${count} $connect answered`),
      fn.exited.then((exit) => { throw new Error(`the function exited: ${JSON.stringify(exit)}`); }),
    ]);
  } catch (error) {
    throw new Error(`${error.message}\nstderr: ${fn.stderr}\nlog: ${JSON.stringify(fn.logs)}`);
  } finally {
    await stopFunction(fn);
    await api.stop();
  }
  const invocations = ids.map((id) => api.invocations.get(id));
  return {
    init: fn.logs.find((l) => l.event === 'init'),
    statuses: invocations.map((i) => JSON.parse(i.answers[0].body).statusCode),
    storeMs: fn.logs.filter((l) => l.event === 'route').map((l) => l.StoreLatency),
    // The function's own measure of each invocation: its handler, without the Runtime API calls.
    handlerMs: fn.logs.filter((l) => l.event === 'invocation').map((l) => l.durationUs / 1000),
    durations: invocations.map((i) => i.answers[0].at - i.handedAt),
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('the Lambda zip calling DynamoDB over TLS', () => {
  let folder;
  let trusted;
  let untrusted;
  let byAddress;
  before(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'lambda-tls-'));
    trusted = makeCertificate(folder, 'dynamodb.test');
    untrusted = makeCertificate(folder, 'dynamodb.test');  // the same name, not in the bundle
    byAddress = makeCertificate(folder, 'address.test', 'IP:127.0.0.1');
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  // The function against a stand-in with `certificate`, reached at `host`; the stand-in's record.
  async function against(t, certificate, host, count, layout = 'bundle', trust = trusted) {
    const made = makeRoot(tlsRootFiles(trust, layout));
    if (made.skip) {
      t.skip(made.skip);
      return null;
    }
    const dynamodb = new FakeDynamoDb(certificate);
    try {
      const port = await dynamodb.start();
      const run = await runConnects(made.root, `https://${host}:${port}`, count);
      return { ...run, dynamodb };
    } finally {
      await dynamodb.stop();
      rmSync(made.root, { recursive: true, force: true });
    }
  }

  for (const layout of ['bundle', 'directory']) {
    test(`one connection, opened at init and kept across invocations; every call signed (CAs in a ${layout})`, async (t) => {
      const count = 21;
      const runs = [];
      for (let round = 0; round < FIRST_INVOCATION_RUNS; round += 1) {
        const run = await against(t, trusted, 'dynamodb.test', count, layout);
        if (!run) return;
        assert.equal(run.init.storeConnectError, undefined, 'init connected to DynamoDB');
        assert.deepEqual(run.statuses, Array(count).fill(200), 'every $connect stored');
        assert.equal(run.dynamodb.requests.length, count, 'one call per invocation');
        for (const request of run.dynamodb.requests) {
          assert.equal(request.target, 'DynamoDB_20120810.UpdateItem');
          assert.match(request.authorization,
              /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEEXAMPLE00\/\d{8}\/us-east-1\/dynamodb\/aws4_request, /);
        }
        assert.equal(run.dynamodb.connections, 1, 'one TCP connection for init and every invocation');
        assert.deepEqual(run.dynamodb.ciphers, [FUNCTION_TLS_SUITE.agreed],
            'the function agreed the suite the stand-in was warmed up with (FUNCTION_TLS_SUITE)');
        runs.push(run);
      }
      // Figures for docs/aws.md; no timing is asserted (a busy machine would make it flaky). A
      // process has one first invocation: its figure is the median over the runs, against the
      // median of all their warm invocations.
      const firstAndWarm = (series) => ({
        first: median(runs.map((run) => run[series][0])),
        warm: median(runs.flatMap((run) => run[series].slice(1))),
        ratios: runs.map((run) => run[series][0] / median(run[series].slice(1))),
      });
      const range = (values) => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
      t.diagnostic(`init (median of ${runs.length}): ${median(runs.map((r) => r.init.initMs))} ms, ` +
          `of which ${median(runs.map((r) => r.init.storeConnectMs))} ms opening the TLS ` +
          'connection to DynamoDB');
      const whole = firstAndWarm('durations');
      t.diagnostic(`first invocation ${ms(whole.first)} (median of ${runs.length} processes), warm ` +
          `median ${ms(whole.warm)}: first/warm ${(whole.first / whole.warm).toFixed(2)} (target ≤ ` +
          `1.2); each process's first over its own warm median: ${range(whole.ratios)}`);
      const handler = firstAndWarm('handlerMs');
      t.diagnostic(`of which the handler (the function's own measure): first ${ms(handler.first)}, ` +
          `warm ${ms(handler.warm)}`);
      const store = firstAndWarm('storeMs');
      t.diagnostic(`of which the signed DynamoDB call: first ${ms(store.first)}, warm ` +
          `${ms(store.warm)}`);
    });
  }

  test('a certificate that does not verify: nothing is sent, init and the routes say why', async (t) => {
    const run = await against(t, untrusted, 'dynamodb.test', 1);
    if (!run) return;
    assert.match(run.init.storeConnectError,
        /TLS handshake with dynamodb\.test:\d+ failed: certificate not trusted: self[- ]signed certificate/);
    assert.deepEqual(run.statuses, [500]);
    assert.equal(run.dynamodb.requests.length, 0, 'no request went over the unverified connection');
  });

  test('a trusted certificate for another name: refused likewise', async (t) => {
    const run = await against(t, trusted, 'impostor.test', 1);
    if (!run) return;
    assert.match(run.init.storeConnectError,
        /TLS handshake with impostor\.test:\d+ failed: certificate not trusted: hostname mismatch/);
    assert.deepEqual(run.statuses, [500]);
    assert.equal(run.dynamodb.requests.length, 0);
  });

  test('an endpoint given by IP address: checked against the certificate\'s IP addresses', async (t) => {
    const run = await against(t, byAddress, '127.0.0.1', 2, 'bundle', byAddress);
    if (!run) return;
    assert.equal(run.init.storeConnectError, undefined, 'init connected to 127.0.0.1');
    assert.deepEqual(run.statuses, [200, 200]);
    assert.equal(run.dynamodb.connections, 1);
    // A trusted certificate that names no address at all: refused.
    const refused = await against(t, trusted, '127.0.0.1', 1);
    assert.match(refused.init.storeConnectError,
        /TLS handshake with 127\.0\.0\.1:\d+ failed: certificate not trusted: IP address mismatch/);
    assert.deepEqual(refused.statuses, [500]);
    assert.equal(refused.dynamodb.requests.length, 0);
  });
});

// ---------------------------------------------------------------------------------------------
// Cold start: exec → first GET /next, the function beside the minimal runtime, interleaved in
// the same root, 20 each, both started through exec-clock (tests/lambda/exec_clock.c), which
// notes the time of the exec itself. Printed, not asserted: a ratio, for docs/aws.md.

const EXEC_CLOCK = process.env.EXEC_CLOCK;
// Optional: an earlier build's zip, timed in the same rounds (a before/after for docs/aws.md).
const BASELINE_ZIP = process.env.LAMBDA_BASELINE_ZIP;

// From `program`'s exec in `root` to its first GET /next, and from node's spawn of chroot (how
// the figures before exec-clock were taken), in milliseconds.
async function coldStart(root, program, functionEnv = {}) {
  const api = new FakeRuntimeApi([]);
  const env = lambdaEnvironment(await api.start(), functionEnv);
  const spawnedAt = performance.now();
  const child = spawn(commandPath('chroot'), [root, '/exec-clock', program],
      { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let execAt = '';
  let stderr = '';
  child.stdio[3].setEncoding('utf8').on('data', (text) => { execAt += text; });
  child.stderr.setEncoding('utf8').on('data', (text) => { stderr += text; });
  try {
    await Promise.race([
      api.waitFor(() => api.nextRequests.length > 0, 30_000, `${program}'s first /next`),
      exited.then((exit) => { throw new Error(`${program} exited: ${JSON.stringify(exit)} ${stderr}`); }),
    ]);
    return { exec: Number(api.nextClocks[0] - BigInt(execAt.trim())) / 1e6,
      spawn: api.nextRequests[0] - spawnedAt };
  } finally {
    child.kill('SIGKILL');
    await exited;
    await api.stop();
  }
}

describe('the cold start beside a minimal static runtime', () => {
  test('20 interleaved cold starts of each, from exec to the first /next', async (t) => {
    if (ARCH !== 'x86_64') {
      t.skip(`the cold start is compared on x86_64 only: under qemu it would time the emulator`);
      return;
    }
    if (!MINIMAL_RUNTIME || !EXEC_CLOCK) {
      t.skip('MINIMAL_RUNTIME and EXEC_CLOCK are not set (CTest sets them to the built programs)');
      return;
    }
    const made = makeRoot({ 'minimal/bootstrap': readFileSync(MINIMAL_RUNTIME),
      'exec-clock': readFileSync(EXEC_CLOCK) });
    if (made.skip) {
      t.skip(made.skip);
      return;
    }
    const runs = {
      function: ['/var/task/bootstrap', {}],
      minimal: ['/minimal/bootstrap', {}],
    };
    if (BASELINE_ZIP) {
      execFileSync('unzip', ['-q', BASELINE_ZIP, '-d', path.join(made.root, 'baseline')]);
      runs.baseline = ['/baseline/bootstrap', { LAMBDA_TASK_ROOT: '/baseline' }];
    }
    const names = Object.keys(runs);
    const times = Object.fromEntries(names.map((name) => [name, []]));
    try {
      for (let round = 0; round < 20; round += 1) {
        // Each program first, middle and last in turn.
        const order = names.map((_, i) => names[(i + round) % names.length]);
        for (const which of order) times[which].push(await coldStart(made.root, ...runs[which]));
      }
    } finally {
      rmSync(made.root, { recursive: true, force: true });
    }
    const medians = Object.fromEntries(names.map((name) => [name, {
      exec: median(times[name].map((time) => time.exec)),
      spawn: median(times[name].map((time) => time.spawn)),
    }]));
    for (const name of names) {
      t.diagnostic(`${name}: median of 20 from exec ${ms(medians[name].exec)}, from spawn of chroot ` +
          `${ms(medians[name].spawn)}`);
    }
    const ratio = (name, from) => (medians[name][from] / medians.minimal[from]).toFixed(2);
    t.diagnostic(`function/minimal from exec ${ratio('function', 'exec')} (target ≤ 1.25), ` +
        `from spawn ${ratio('function', 'spawn')}`);
    if (BASELINE_ZIP) {
      t.diagnostic(`baseline/minimal from exec ${ratio('baseline', 'exec')}, from spawn ` +
          `${ratio('baseline', 'spawn')}`);
    }
    assert.equal(times.function.length, 20);
    assert.ok(times.function.every((time) => time.exec > 0), 'every exec preceded its /next');
  });
});

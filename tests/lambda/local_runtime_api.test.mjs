// videochat-local --lambda: the Lambda zip run in function processes behind videochat-local's own
// Runtime API, with rooms in dynalite. What Lambda does that the in-process mode cannot show: a
// process that dies mid-invocation, one that overruns its timeout, scaling out when every process
// is busy, init errors without a crash loop, and shutdown that runs every $disconnect through the
// processes before ending them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';

import { DEFAULT_TIMEOUT_MS, cleanup, connect, startLambdaServer } from '../integration/harness.mjs';

afterEach(cleanup);

const join = (roomId) => ({ action: 'joinRoom', roomId });
const say = (roomId, message) => ({ action: 'sendMsgToRoom', roomId, message });

const started = (server) => server.logs.filter((l) => l.event === 'function_started');

// The warm process, once it has started.
async function warmProcess(server) {
  const line = await server.waitForLog((l) => l.event === 'function_started', 5000);
  return { pid: line.pid, port: Number(line.runtimeApi.split(':')[1]) };
}

// Resolves once bytes the Runtime API at `port` sent sit unread in a client socket's receive
// queue: a stopped process has been handed an invocation (it cannot read it). From
// /proc/net/tcp: "sl local rem st tx_queue:rx_queue ...", addresses as HEXIP:HEXPORT.
async function invocationWaitingIn(port, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = readFileSync('/proc/net/tcp', 'utf8').trim().split('\n').slice(1);
    const waiting = rows.map((row) => row.trim().split(/\s+/)).some((fields) =>
      parseInt(fields[2].split(':')[1], 16) === port && parseInt(fields[4].split(':')[1], 16) > 0);
    if (waiting) return;
    assert.ok(Date.now() < deadline, `no invocation reached the process on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// The next frame `client` receives, past any reply to its own join (protocol v2 answers every
// joinRoom with {"type":"joined",...}; these tests are about where the handlers run, not that).
async function next(client, timeoutMs = DEFAULT_TIMEOUT_MS) {
  for (;;) {
    const frame = await client.next(timeoutMs);
    if (frame?.type !== 'joined') return frame;
  }
}

// Two clients in one room, the first told of the second.
async function pair(server, room) {
  const a = await server.connect();
  const b = await server.connect();
  await server.request(a, join(room), 5000);
  await server.request(b, join(room), 5000);
  assert.deepEqual(await next(a, 5000), { type: 'newParticipant', participantConnectionId: b.id });
  return { a, b };
}

describe('videochat-local --lambda', () => {
  test('each route runs in a function process, logged with its pid, request ids and outcome',
       async (t) => {
    const server = await startLambdaServer();
    const { pid } = await warmProcess(server);
    const { a, b } = await pair(server, 'logged');

    const route = await server.request(b, say('logged', 'hi'));
    assert.equal(await next(a), 'hi');
    assert.equal(route.status, 200);
    assert.equal(route.outcome, 'ok');
    assert.equal(route.pid, pid);
    assert.match(route.lambdaRequestId,
                 /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(typeof route.requestId, 'string');
    assert.ok(route.durationUs > 0);
    // The function's own log comes through, nested, so its "route" lines are not mistaken for ours.
    const own = await server.waitForLog((l) => l.event === 'function_log' && l.pid === pid &&
                                               l.line.event === 'invocation' &&
                                               l.line.requestId === route.lambdaRequestId);
    assert.equal(own.stream, 'stdout');
    // Figures for the report: a warm invocation through a process, end to end.
    const relays = [];
    for (let i = 0; i < 20; i++) {
      relays.push((await server.request(b, say('logged', `m${i}`))).durationUs);
      assert.equal(await next(a), `m${i}`);
    }
    relays.sort((x, y) => x - y);
    t.diagnostic(`sendMsgToRoom through a function process (dynalite), 20 in a row: median ` +
                 `${(relays[10] / 1000).toFixed(2)} ms, max ${(relays[19] / 1000).toFixed(2)} ms`);
  });

  test('a process killed mid-invocation: the sender gets API Gateway\'s error frame, and a ' +
       'replacement serves the next message', async () => {
    const server = await startLambdaServer(['--lambda-max-processes', '1']);
    const { a, b } = await pair(server, 'crash');
    const { pid, port } = await warmProcess(server);

    process.kill(pid, 'SIGSTOP');  // it cannot answer: the invocation stays in flight
    b.send(say('crash', 'lost'));
    await invocationWaitingIn(port);
    process.kill(pid, 'SIGKILL');

    const frame = await next(b, 5000);
    const route = await server.routed(b, 5000);
    assert.deepEqual(frame, { message: 'Internal server error', connectionId: b.id,
                              requestId: route.requestId });
    assert.equal(route.outcome, 'crashed');
    assert.equal(route.status, 500);
    assert.equal(route.pid, pid);
    const exited = await server.waitForLog((l) => l.event === 'function_exited' && l.pid === pid);
    assert.match(exited.how, /^signal 9/);

    const replacement = await server.request(b, say('crash', 'again'), 5000);
    assert.equal(replacement.status, 200);
    assert.notEqual(replacement.pid, pid);
    assert.equal(await next(a), 'again', 'the lost message was never relayed');
  });

  test('an invocation past --lambda-timeout-ms is answered with an error and its process killed',
       async () => {
    // The function stops retrying DynamoDB 1.5 s before its deadline: 2 s leaves it room.
    const server = await startLambdaServer(['--lambda-timeout-ms', '2000']);
    const { a, b } = await pair(server, 'slow');
    const { pid } = await warmProcess(server);

    process.kill(pid, 'SIGSTOP');
    b.send(say('slow', 'too late'));
    assert.equal((await next(b, 5000)).message, 'Internal server error');
    const route = await server.routed(b);
    assert.equal(route.outcome, 'timed_out');
    assert.match(route.error, /Task timed out after 2\.00 seconds/);
    assert.ok(route.durationUs >= 2_000_000, `answered after ${route.durationUs} µs`);
    await server.waitForLog((l) => l.event === 'function_exited' && l.pid === pid);

    assert.equal((await server.request(b, say('slow', 'in time'), 5000)).status, 200);
    assert.equal(await next(a), 'in time');
  });

  test('a $connect whose invocation fails refuses the handshake with 500', async () => {
    const server = await startLambdaServer(['--lambda-timeout-ms', '300']);
    const { pid } = await warmProcess(server);
    await server.waitForLog((l) => l.event === 'function_log' && l.pid === pid &&
                                   l.line.event === 'init');
    process.kill(pid, 'SIGSTOP');
    await assert.rejects(connect(server.signalingUrl, {}, 5000), (error) => {
      assert.equal(error.status, 500);
      assert.deepEqual(JSON.parse(error.body), { message: 'Internal server error' });
      return true;
    });
  });

  test('with every process busy, another starts, up to --lambda-max-processes; one invocation ' +
       'each', async () => {
    const server = await startLambdaServer(['--lambda-max-processes', '2']);
    const { a, b } = await pair(server, 'busy');
    const c = await server.connect();
    const first = await warmProcess(server);
    assert.equal(started(server).length, 1, 'one warm process while traffic is sequential');

    process.kill(first.pid, 'SIGSTOP');
    b.send(say('busy', 'held'));
    await invocationWaitingIn(first.port);
    // c's ping cannot go to the busy process: a second one starts and answers it.
    const pong = await server.request(c, { action: 'ping' }, 5000);
    assert.deepEqual(await next(c), { type: 'pong' });
    assert.equal(started(server).length, 2);
    assert.notEqual(pong.pid, first.pid);

    process.kill(first.pid, 'SIGCONT');
    assert.equal(await next(a, 5000), 'held');
    assert.equal((await server.routed(b)).pid, first.pid);
  });

  test('a process that fails init is logged once per attempt, restarts back off, and a ' +
       '$connect is refused rather than left waiting', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'videochat-init-error-'));
    try {
      const bootstrap = path.join(dir, 'bootstrap');
      writeFileSync(bootstrap, `#!/bin/sh
curl -s -X POST -H 'Lambda-Runtime-Function-Error-Type: Runtime.ConfigError' \\
  -d '{"errorType":"ConfigError","errorMessage":"no table configured"}' \\
  "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/init/error" >/dev/null
exit 1
`);
      chmodSync(bootstrap, 0o755);
      const zip = path.join(dir, 'broken.zip');
      execFileSync('zip', ['-q', '-X', zip, 'bootstrap'], { cwd: dir });

      const server = await startLambdaServer([], { zip });
      const initError = await server.waitForLog((l) => l.event === 'function_init_error', 5000);
      assert.equal(initError.error, 'ConfigError: no table configured');
      await assert.rejects(connect(server.signalingUrl, {}, 5000), (error) => error.status === 500);
      const refused = await server.waitForLog((l) => l.route === '$connect');
      assert.equal(refused.outcome, 'not_started');

      // Starts at 0, 100, 300, 700, 1500 ms...: within 1.2 s at most 4, not hundreds.
      const firstAt = Date.parse(started(server)[0].ts);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const within = started(server).filter((l) => Date.parse(l.ts) - firstAt < 1200).length;
      assert.ok(within >= 2 && within <= 4, `${within} starts in 1.2 s`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a zip with an entry outside its folder is refused at start, naming the entry', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'videochat-evil-zip-'));
    try {
      const zip = path.join(dir, 'evil.zip');
      execFileSync('python3', ['-c', `import zipfile
with zipfile.ZipFile(${JSON.stringify(zip)}, 'w') as z:
    z.writestr('bootstrap', '#!/bin/sh\\n')
    z.writestr('../escaped', 'x')
`]);
      await assert.rejects(startLambdaServer([], { zip, timeoutMs: 5000 }),
                           /refusing entry '\.\.\/escaped': '\.\.' in the path/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('SIGTERM runs every $disconnect through the processes, then ends them and removes the ' +
       'unpacked zip', async () => {
    const server = await startLambdaServer();
    const { a, b } = await pair(server, 'bye');
    const taskRoot = (await server.waitForLog((l) => l.event === 'lambda')).taskRoot;
    assert.ok(existsSync(path.join(taskRoot, 'bootstrap')));

    const exit = await server.stop('SIGTERM', 10000);
    assert.equal(exit.code, 0);
    for (const client of [a, b]) {
      const line = server.logs.find((l) => l.event === 'route' && l.route === '$disconnect' &&
                                           l.connectionId === client.id);
      assert.ok(line, `$disconnect for ${client.id}`);
      assert.equal(line.status, 200);
      assert.equal(line.outcome, 'ok');
    }
    const stoppedAt = server.logs.findIndex((l) => l.event === 'function_stopped');
    const lastDisconnect = server.logs.findLastIndex((l) => l.route === '$disconnect');
    assert.ok(stoppedAt > lastDisconnect, 'processes ended after the last $disconnect');
    assert.equal(existsSync(taskRoot), false, `${taskRoot} removed`);
  });

  test('the unpacked zip\'s folder is logged before listening, so a supervisor that kills the ' +
       'server outright can still remove it', async () => {
    const server = await startLambdaServer();
    // startLambdaServer resolves on `listening`: the lines before it are all there is yet.
    const lambda = server.logs.find((l) => l.event === 'lambda');
    assert.ok(lambda, 'a lambda line before listening');
    assert.ok(existsSync(path.join(lambda.taskRoot, 'bootstrap')));
    assert.ok(server.logs.findIndex((l) => l.event === 'lambda') <
              server.logs.findIndex((l) => l.event === 'listening'));

    await server.kill();
    assert.equal(existsSync(lambda.taskRoot), false, `${lambda.taskRoot} removed after SIGKILL`);
  });
});

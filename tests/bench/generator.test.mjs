// The load generator (videochat-bench) as a measuring instrument: it must count exactly the losses
// and duplicates a relay introduces on purpose, see none from a correct server, and refuse to load
// anything but a loopback address. And the floor relay (videochat-floor-relay), the cheapest relay
// of the protocol, which the benchmark measures beside the real servers: it must relay exactly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';

import {
  cleanup, connect, REPO_ROOT, startServer, track, withDeadline,
} from '../integration/harness.mjs';

afterEach(cleanup);

function benchPath() {
  const fromEnv = process.env.VIDEOCHAT_BENCH;
  if (fromEnv) return path.resolve(REPO_ROOT, fromEnv);
  const built = path.join(REPO_ROOT, 'build/native/bench/videochat-bench');
  if (existsSync(built)) return built;
  throw new Error(`set VIDEOCHAT_BENCH to the videochat-bench binary (none found at ${built})`);
}

function floorRelayPath() {
  const fromEnv = process.env.VIDEOCHAT_FLOOR_RELAY;
  if (fromEnv) return path.resolve(REPO_ROOT, fromEnv);
  const built = path.join(REPO_ROOT, 'build/native/bench/videochat-floor-relay');
  if (existsSync(built)) return built;
  throw new Error('set VIDEOCHAT_FLOOR_RELAY to the videochat-floor-relay binary ' +
                  `(none found at ${built})`);
}

// Runs videochat-bench with `args`; resolves with its exit code, output and, when it printed one,
// the JSON report (its last line).
async function runBench(args, timeoutMs = 20000, command = [benchPath()]) {
  const child = track(spawn(command[0], [...command.slice(1), ...args],
                            { stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  const closed = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const { code, signal } =
      await withDeadline(closed, timeoutMs, `${command.at(-1)} ${args.join(' ')} to exit`);
  const lastLine = stdout.trimEnd().split('\n').at(-1) ?? '';
  let report;
  if (lastLine.startsWith('{')) report = JSON.parse(lastLine);
  return { code, signal, stdout, stderr, report };
}

// The second generator, bench/node_load_generator.mjs, with `args`: same options, same report.
function runNodeGenerator(args, timeoutMs = 20000) {
  return runBench(args, timeoutMs,
                  [process.execPath, path.join(REPO_ROOT, 'bench/node_load_generator.mjs')]);
}

// Starts a relay that prints {"event":"listening","port":P,...} once it listens, as
// bench/node_relay.mjs and videochat-floor-relay both do; resolves with its port and pid.
async function startListening(name, command, args) {
  const child = track(spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  const listening = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`${name} exited (${code}): ${stderr}`)));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      for (const line of stdout.split('\n')) {
        if (line.includes('"listening"')) resolve(JSON.parse(line));
      }
    });
  });
  const { port } = await withDeadline(listening, 5000, `${name} to listen`);
  return { port, pid: child.pid };
}

// bench/node_relay.mjs on a free port, with `args`.
function startRelay(args = []) {
  return startListening('node_relay', process.execPath,
                        [path.join(REPO_ROOT, 'bench/node_relay.mjs'), '--port', '0', ...args]);
}

// videochat-floor-relay on a free port, with `args`.
function startFloorRelay(args = []) {
  return startListening('videochat-floor-relay', floorRelayPath(), ['--port', '0', ...args]);
}

// 12 clients in 4 rooms of 3: every message is expected by the 2 other members.
const CLIENTS = 12;
const ROOMS = 4;
const RATE = 20;
const DURATION_S = 1;

async function benchAgainstRelay(relayArgs, drainSeconds, start = startRelay, generator = runBench) {
  const relay = await start(relayArgs);
  const run = await generator(['--url', `ws://127.0.0.1:${relay.port}/bench`, '--clients',
                              String(CLIENTS), '--rooms', String(ROOMS), '--rate', String(RATE),
                              '--duration', String(DURATION_S), '--drain', String(drainSeconds)]);
  assert.equal(run.code, 0, `the generator failed: ${run.stderr}`);
  assert.ok(run.report, `no JSON report in:\n${run.stdout}`);
  const { report } = run;
  // The run really sent something of the size asked for, and counted each message's recipients.
  const nominal = CLIENTS * RATE * DURATION_S;
  assert.ok(report.sent >= nominal / 2 && report.sent <= nominal + CLIENTS,
            `sent ${report.sent}, asked for about ${nominal}`);
  assert.equal(report.expected, report.sent * (CLIENTS / ROOMS - 1));
  return report;
}

describe('counting against a relay that misbehaves on purpose', () => {
  test('a faithful relay yields every delivery exactly once', async () => {
    const report = await benchAgainstRelay([], 2);

    assert.equal(report.lost, 0);
    assert.equal(report.duplicated, 0);
    assert.equal(report.unexpected, 0);
    assert.equal(report.delivered, report.expected);
  });

  test('every 50th delivery dropped by the relay is counted as lost', async () => {
    // The relay numbers its deliveries 1, 2, ... across all rooms and drops each multiple of 50.
    // Every expected delivery passes through it once, so exactly floor(expected / 50) are lost.
    // Nothing ever makes up for them, so the generator waits out its whole drain: 2 s is for
    // in-flight deliveries that take ~1 ms.
    const report = await benchAgainstRelay(['--drop-every', '50'], 2);

    assert.ok(report.expected >= 100, `only ${report.expected} deliveries expected`);
    assert.equal(report.lost, Math.floor(report.expected / 50));
    assert.equal(report.delivered, report.expected - report.lost);
    assert.equal(report.duplicated, 0);
    assert.equal(report.unexpected, 0);
  });

  test('every 40th delivery sent twice by the relay is counted as duplicated', async () => {
    // The second copy follows the first on the same connection, before any later delivery.
    const report = await benchAgainstRelay(['--duplicate-every', '40'], 2);

    assert.ok(report.expected >= 80, `only ${report.expected} deliveries expected`);
    assert.equal(report.duplicated, Math.floor(report.expected / 40));
    assert.equal(report.delivered, report.expected);
    assert.equal(report.lost, 0);
    assert.equal(report.unexpected, 0);
  });
});

describe('the Node.js load generator counts as exactly, with code of its own', () => {
  test('a faithful relay yields every delivery exactly once', async () => {
    const report = await benchAgainstRelay([], 2, startRelay, runNodeGenerator);

    assert.equal(report.generator, 'node');
    assert.equal(report.lost, 0);
    assert.equal(report.duplicated, 0);
    assert.equal(report.unexpected, 0);
    assert.equal(report.delivered, report.expected);
    assert.ok(report.p50Ms > 0 && report.p50Ms <= report.p99Ms && report.p99Ms <= report.maxMs);
  });

  test('every 50th delivery dropped by the relay is counted as lost', async () => {
    const report = await benchAgainstRelay(['--drop-every', '50'], 2, startRelay, runNodeGenerator);

    assert.ok(report.expected >= 100, `only ${report.expected} deliveries expected`);
    assert.equal(report.lost, Math.floor(report.expected / 50));
    assert.equal(report.delivered, report.expected - report.lost);
    assert.equal(report.duplicated, 0);
  });

  test('every 40th delivery sent twice by the relay is counted as duplicated', async () => {
    const report =
        await benchAgainstRelay(['--duplicate-every', '40'], 2, startRelay, runNodeGenerator);

    assert.ok(report.expected >= 80, `only ${report.expected} deliveries expected`);
    assert.equal(report.duplicated, Math.floor(report.expected / 40));
    assert.equal(report.delivered, report.expected);
    assert.equal(report.lost, 0);
  });
});

describe('measuring videochat-local', () => {
  test('with the allocation counter preloaded, a relayed message costs under two heap ' +
       'allocations', async () => {
    const library = process.env.VIDEOCHAT_ALLOCATION_COUNTER_LIB ??
        path.join(REPO_ROOT, 'build/native/bench/videochat-allocation-counter.so');
    const counter = path.join(mkdtempSync(path.join(tmpdir(), 'allocations-')), 'count');
    const server = await startServer([], {
      env: { LD_PRELOAD: library, VIDEOCHAT_ALLOCATION_COUNTER: counter },
    });
    const run = await runBench(['--url', `ws://127.0.0.1:${server.port}/production`, '--clients',
                                '20', '--rooms', '10', '--rate', '50', '--duration', '2',
                                '--drain', '2', '--allocation-counter', counter]);

    assert.equal(run.code, 0, `videochat-bench failed: ${run.stderr}`);
    const { report } = run;
    assert.equal(report.lost, 0);
    // The counter counts (joins, before the window, allocate plenty), and the relay path is lean.
    assert.ok(readFileSync(counter).readBigUInt64LE(0) > 100n, 'the counter saw the server allocate');
    assert.ok(report.serverAllocationsPerMessage < 2,
              `${report.serverAllocationsPerMessage} heap allocations per relayed message`);
  });

  test('a short run against the real server loses and duplicates nothing', async () => {
    const server = await startServer();
    const run = await runBench(['--url', `ws://127.0.0.1:${server.port}/production`, '--clients',
                                '20', '--rooms', '10', '--rate', '20', '--duration', '3',
                                '--drain', '2', '--server-pid', String(server.child.pid),
                                '--label', 'smoke']);

    assert.equal(run.code, 0, `videochat-bench failed: ${run.stderr}`);
    const { report } = run;
    assert.ok(report, `no JSON report in:\n${run.stdout}`);
    assert.equal(report.label, 'smoke');
    assert.ok(report.sent >= 20 * 20 * 3 / 2, `sent only ${report.sent}`);
    // Rooms of two: each message has exactly one recipient.
    assert.equal(report.expected, report.sent);
    assert.equal(report.delivered, report.expected);
    assert.equal(report.lost, 0);
    assert.equal(report.duplicated, 0);
    assert.equal(report.unexpected, 0);
    assert.ok(report.p50Ms > 0 && report.p50Ms <= report.p99Ms && report.p99Ms <= report.maxMs,
              `latencies p50 ${report.p50Ms}, p99 ${report.p99Ms}, max ${report.maxMs}`);
    assert.ok(report.serverCpuUsPerMessage > 0,
              `server CPU per message ${report.serverCpuUsPerMessage}`);
  });
});

describe('the floor relay', () => {
  // 20 ms makes nearly every wake-up of this light load a coalesced one (sleep, then harvest).
  for (const coalesceUs of [0, 500, 20000]) {
    test(`with --coalesce-us ${coalesceUs}, a short run yields every delivery exactly once`,
         async () => {
           const report =
               await benchAgainstRelay(['--coalesce-us', String(coalesceUs)], 2, startFloorRelay);

           assert.equal(report.lost, 0);
           assert.equal(report.duplicated, 0);
           assert.equal(report.unexpected, 0);
           assert.equal(report.delivered, report.expected);
         });
  }

  // The relay handles one connection's frames in order and answers a ping in its turn, so once
  // the pong is back, everything the client sent before it has been handled, and anything the
  // relay sent this client meanwhile has arrived before the pong.
  function pingPong(client, timeoutMs = 2000) {
    const pong = new Promise((resolve) => client.ws.once('pong', resolve));
    client.ws.ping();
    return withDeadline(pong, timeoutMs, 'a pong');
  }

  async function member(relay, room) {
    const client = await connect(`ws://127.0.0.1:${relay.port}/any/path`);
    if (room) {
      client.send({ action: 'joinRoom', roomId: room });
      await pingPong(client);
    }
    return client;
  }

  test('a close frame is echoed with its code before the relay hangs up', async () => {
    const relay = await startFloorRelay();
    const client = await member(relay);

    client.close(4001, 'bye');

    assert.deepEqual(await client.waitClose(), { code: 4001, reason: 'bye' });
  });

  test('a message reaches the other members of the room unescaped, not its sender', async () => {
    const relay = await startFloorRelay();
    const alice = await member(relay, 'room-1');
    const bob = await member(relay, 'room-1');
    const carol = await member(relay, 'room-2');
    const text = 'say "hi" \\ back\n\ttab';

    bob.send({ action: 'sendMsgToRoom', roomId: 'room-1', message: text });
    // JSON.stringify never writes \/ but other JSON writers do; \u is refused, so that message
    // is dropped.
    bob.send(String.raw`{"action":"sendMsgToRoom","roomId":"room-1","message":"\u0041"}`);
    bob.send(String.raw`{"action":"sendMsgToRoom","roomId":"room-1","message":"a\/b"}`);
    await pingPong(bob);
    await pingPong(carol);

    assert.equal((await alice.next()).type, 'newParticipant');
    assert.equal(await alice.nextText(), text);
    assert.equal(await alice.nextText(), 'a/b');
    assert.deepEqual(bob.frames, []);
    assert.deepEqual(carol.frames, []);
  });

  test('a message to a room its sender is not in is not relayed', async () => {
    const relay = await startFloorRelay();
    const alice = await member(relay, 'room-1');
    const outsider = await member(relay);
    const elsewhere = await member(relay, 'room-2');

    outsider.send({ action: 'sendMsgToRoom', roomId: 'room-1', message: 'from outside' });
    elsewhere.send({ action: 'sendMsgToRoom', roomId: 'room-1', message: 'from room-2' });
    await pingPong(outsider);
    await pingPong(elsewhere);
    await pingPong(alice);

    assert.deepEqual(alice.frames, []);
  });

  test('what a reader cannot take yet is queued, and arrives whole and in order', async () => {
    // The kernel holds at most the sender's send buffer (tcp_wmem's largest) and the reader's
    // receive buffer, which stays at tcp_rmem's default while nothing is read: four times that
    // makes the relay's sends to a reader that has stopped reading come up short, so the rest
    // must wait in user space for EPOLLOUT. 100 kB messages also take 64-bit frame lengths.
    const sysctl = (name) => readFileSync(`/proc/sys/net/ipv4/${name}`, 'utf8').trim().split(/\s+/);
    const held = Number(sysctl('tcp_wmem')[2]) + Number(sysctl('tcp_rmem')[1]);
    const size = 100000;
    const count = Math.ceil((4 * held) / size);
    const text = (i) => `${i}:${'x'.repeat(size)}`;
    const relay = await startFloorRelay();
    const alice = await member(relay, 'room-1');
    const bob = await member(relay, 'room-1');
    assert.equal((await alice.next()).type, 'newParticipant');

    alice.ws._socket.pause();
    for (let i = 0; i < count; i++) {
      bob.send({ action: 'sendMsgToRoom', roomId: 'room-1', message: text(i) });
    }
    await pingPong(bob, 20000);  // the relay has read them all and sent what it could
    alice.ws._socket.resume();

    for (let i = 0; i < count; i++) {
      const received = await alice.nextText(20000);
      assert.ok(received === text(i), `message ${i} of ${count} differs: ` +
                `${received.length} characters, starting ${received.slice(0, 12)}`);
    }
  });

  test('the others are told of a member who joins, leaves, and disconnects', async () => {
    const relay = await startFloorRelay();
    const alice = await member(relay, 'room-1');
    const bob = await member(relay, 'room-1');
    const joined = await alice.next();
    assert.equal(joined.type, 'newParticipant');
    const bobId = joined.participantConnectionId;

    bob.send({ action: 'leaveRoom', roomId: 'room-1' });
    assert.deepEqual(await alice.next(),
                     { type: 'participantLeft', participantConnectionId: bobId, reason: 'left' });
    bob.send({ action: 'joinRoom', roomId: 'room-1' });
    assert.deepEqual(await alice.next(),
                     { type: 'newParticipant', participantConnectionId: bobId });
    bob.ws.terminate();
    assert.deepEqual(
        await alice.next(),
        { type: 'participantLeft', participantConnectionId: bobId, reason: 'disconnected' });
  });
});

describe('loopback only', () => {
  for (const url of ['ws://10.0.0.1:80/x', 'ws://127.0.0.1.example.com:80/x',
                     'ws://localhost.example.com:80/x']) {
    test(`${url} is refused before connecting, with exit status 2`, async () => {
      // 10.0.0.1 does not answer here, so a generator that tried to connect would not exit at
      // once with status 2; the names are refused without being looked up.
      const run = await runBench(['--url', url, '--clients', '2', '--rooms', '1'], 5000);

      assert.equal(run.code, 2);
      assert.match(run.stderr, /refusing .*only 127\.0\.0\.0\/8/);
      assert.equal(run.stdout, '');
    });
  }
});

// The load generator (videochat-bench) as a measuring instrument: it must count exactly the losses
// and duplicates a relay introduces on purpose, see none from a correct server, and refuse to load
// anything but a loopback address.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';

import { cleanup, REPO_ROOT, startServer, track, withDeadline } from '../integration/harness.mjs';

afterEach(cleanup);

function benchPath() {
  const fromEnv = process.env.VIDEOCHAT_BENCH;
  if (fromEnv) return path.resolve(REPO_ROOT, fromEnv);
  const built = path.join(REPO_ROOT, 'build/native/bench/videochat-bench');
  if (existsSync(built)) return built;
  throw new Error(`set VIDEOCHAT_BENCH to the videochat-bench binary (none found at ${built})`);
}

// Runs videochat-bench with `args`; resolves with its exit code, output and, when it printed one,
// the JSON report (its last line).
async function runBench(args, timeoutMs = 20000) {
  const child = track(spawn(benchPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  const closed = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const { code, signal } =
      await withDeadline(closed, timeoutMs, `videochat-bench ${args.join(' ')} to exit`);
  const lastLine = stdout.trimEnd().split('\n').at(-1) ?? '';
  let report;
  if (lastLine.startsWith('{')) report = JSON.parse(lastLine);
  return { code, signal, stdout, stderr, report };
}

// Starts bench/node_relay.mjs on a free port with `args`; resolves with its port once it listens.
async function startRelay(args = []) {
  const child = track(spawn(process.execPath,
                            [path.join(REPO_ROOT, 'bench/node_relay.mjs'), '--port', '0', ...args],
                            { stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  const listening = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`node_relay exited (${code}): ${stderr}`)));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      for (const line of stdout.split('\n')) {
        if (line.includes('"listening"')) resolve(JSON.parse(line));
      }
    });
  });
  const { port } = await withDeadline(listening, 5000, 'node_relay to listen');
  return { port, pid: child.pid };
}

// 12 clients in 4 rooms of 3: every message is expected by the 2 other members.
const CLIENTS = 12;
const ROOMS = 4;
const RATE = 20;
const DURATION_S = 1;

async function benchAgainstRelay(relayArgs, drainSeconds) {
  const relay = await startRelay(relayArgs);
  const run = await runBench(['--url', `ws://127.0.0.1:${relay.port}/bench`, '--clients',
                              String(CLIENTS), '--rooms', String(ROOMS), '--rate', String(RATE),
                              '--duration', String(DURATION_S), '--drain', String(drainSeconds)]);
  assert.equal(run.code, 0, `videochat-bench failed: ${run.stderr}`);
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

describe('measuring videochat-local', () => {
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

// How many connections the server holds, and what happens past that: one address cannot take
// every place, the total stays under the descriptor limit, and when descriptors run out anyway the
// server answers what waits with a 503, writes a few log lines instead of millions, and recovers.
import assert from 'node:assert/strict';
import net from 'node:net';
import { afterEach, describe, test } from 'node:test';

import { LAMBDA_MODE, cleanup, rawHttp, startServer, withDeadline } from './harness.mjs';

afterEach(cleanup);

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A TCP connection that sends nothing: it holds a place until closed. Resolves once connected.
function idleConnection(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

// Resolves with everything the server sent on `socket` once it closes it (a refusal's 503).
function answerOf(socket) {
  const chunks = [];
  socket.on('data', (chunk) => chunks.push(chunk));
  return new Promise((resolve) => socket.on('close', () => resolve(Buffer.concat(chunks)
    .toString('utf8'))));
}

// Retries `attempt` until it resolves with something `done` accepts: a place freed is taken once
// the server has let go of the connection that held it.
async function eventually(attempt, done, what, timeoutMs = 5000) {
  return withDeadline((async () => {
    for (;;) {
      const result = await attempt().catch((error) => error);
      if (done(result)) return result;
      await pause(20);
    }
  })(), timeoutMs, what);
}

describe('connection limits', () => {
  test('one address gets --max-connections-per-address places; the next is told why, and gets ' +
       'in once a place is free', async () => {
    const server = await startServer(['--max-connections-per-address', '3']);
    const clients = [await server.connect(), await server.connect(), await server.connect()];
    const refused = await server.connect().then(() => null, (error) => error);
    assert.ok(refused, 'a fourth WebSocket from the same address is refused');
    assert.equal(refused.status, 503);
    assert.match(refused.body, /Too many connections from your address/);
    assert.equal(refused.headers['retry-after'], '5');
    const line = await server.waitForLog((l) => l.event === 'connection_refused');
    assert.equal(line.reason, 'max_connections_per_address');
    assert.equal(line.sourceIp, '127.0.0.1');

    // The three admitted still work, and closing one frees its place.
    assert.equal((await server.join(clients[0], 'r')).status, 200);
    clients[1].close();
    const later = await eventually(() => server.connect(), (result) => !(result instanceof Error),
                                   'a WebSocket in the freed place');
    assert.equal((await server.join(later, 'r')).status, 200);
  });

  test('past --max-connections nobody gets in, and a flood of refusals writes a few log lines',
       async () => {
    const server = await startServer(['--max-connections', '4']);
    const held = await Promise.all([0, 1, 2, 3].map(() => idleConnection(server.port)));
    const answers = await Promise.all(Array.from({ length: 200 }, async () =>
      answerOf(await idleConnection(server.port))));
    for (const answer of answers) {
      assert.match(answer, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
      assert.match(answer, /holds as many connections as it may/);
    }
    // The answer can reach us before its log line does: wait for the line, not for time.
    const first = await server.waitForLog((l) => l.event === 'connection_refused');
    assert.equal(first.reason, 'max_connections');

    held[0].destroy();
    const page = await eventually(() => rawHttp(server.port, { target: '/index.html' }),
                                  (response) => response.status === 200, 'the page, once a place is free');
    assert.match(page.body, /videochat test page/);
    const refusals = server.logs.filter((l) => l.event === 'connection_refused');
    assert.ok(refusals.length <= 10, `${refusals.length} log lines for 200 refusals`);
    for (const socket of held) socket.destroy();
  });

  test('out of file descriptors: what waits gets a 503, the log stays short, and the server ' +
       'recovers once connections close', {
    skip: LAMBDA_MODE && 'the function processes need descriptors of their own; the accept loop ' +
          'is the same in both modes',
  }, async () => {
    // The total limit is set far above the descriptor limit, so that accept() itself runs out.
    const server = await startServer(['--max-connections', '100000'], { descriptorLimit: 64 });
    const held = [];
    let refused = 0;
    let firstRefusal;
    const refusal = new Promise((resolve) => { firstRefusal = resolve; });
    for (let i = 0; i < 200; i++) {
      const socket = await idleConnection(server.port);
      held.push(socket);
      answerOf(socket).then((text) => {
        if (!text.startsWith('HTTP/1.1 503 Service Unavailable')) return;
        assert.match(text, /run out of file descriptors/);
        refused += 1;
        firstRefusal();
      });
    }
    const paused = await server.waitForLog((l) => l.event === 'accept_paused', 10000);
    assert.match(paused.error, /too many open files/i);
    await withDeadline(refusal, 10000, 'a connection past the descriptor limit to get a 503');
    assert.ok(refused > 0);
    const lines = server.logs.filter((l) => l.event === 'accept_paused' || l.event === 'accept_failed');
    assert.ok(lines.length <= 20, `${lines.length} log lines about accepting`);

    for (const socket of held) socket.destroy();
    const page = await eventually(() => rawHttp(server.port, { target: '/index.html' }),
                                  (response) => response.status === 200,
                                  'the page, once descriptors are free', 10000);
    assert.match(page.body, /videochat test page/);
  });
});

// A client that sends faster than --max-messages-per-second: its extra messages are dropped and it
// is told (RATE_LIMITED); a flood is closed (1008); a member of its room loses nothing the server
// relayed and is never evicted.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';

import { cleanup, startServer } from './harness.mjs';

afterEach(cleanup);

describe('message rate limits', () => {
  test('a flooding member is told, then closed; the other member gets every relayed message ' +
       'and stays', async () => {
    const server = await startServer(['--max-messages-per-second', '20']);
    const bystander = await server.connect();
    const flooder = await server.connect();
    await server.join(bystander, 'r');
    await server.join(flooder, 'r');
    assert.equal((await bystander.next()).type, 'newParticipant');

    for (let i = 0; i < 3000; i++) {
      flooder.send({ action: 'sendMsgToRoom', roomId: 'r', message: `m${i}` });
    }
    const told = await flooder.take((frame) => frame.type === 'error' && frame.code === 'RATE_LIMITED',
                                    5000, 'a RATE_LIMITED error');
    assert.match(told.message, /too many messages.*20 messages/);
    const closed = await flooder.waitClose(5000);
    assert.equal(closed.code, 1008);
    assert.equal(closed.reason, 'Rate limit exceeded');

    // Exactly what the server relayed reaches the bystander, in order, once.
    await server.waitForDisconnect(flooder.id, 5000);
    const relayed = server.routeLines(flooder.id, 'sendMsgToRoom')
      .filter((line) => line.status === 200).length;
    assert.ok(relayed >= 80 && relayed < 3000, `${relayed} relayed (the burst is 80)`);
    const received = [];
    for (let i = 0; i < relayed; i++) received.push(await bystander.nextText());
    const indices = received.map((text) => Number(text.slice(1)));
    assert.deepEqual(indices, [...indices].sort((a, b) => a - b));
    assert.equal(new Set(indices).size, indices.length);
    // The leave notice follows, and nothing else.
    assert.equal((await bystander.next()).type, 'participantLeft');

    bystander.send({ action: 'ping' });
    assert.deepEqual(await bystander.next(), { type: 'pong' });
    const lines = server.logs.filter((l) => l.event === 'rate_limited');
    assert.ok(lines.length >= 1 && lines.length <= 5, `${lines.length} rate_limited log lines`);
    assert.equal(server.logs.filter((l) => l.event === 'rate_limit_exceeded').length, 1);
  });

  test('a member that keeps to the limit is never refused', async () => {
    const server = await startServer(['--max-messages-per-second', '20']);
    const a = await server.connect();
    const b = await server.connect();
    await server.join(a, 'r');
    await server.join(b, 'r');
    await a.next();
    // The burst at once, then the rate: 80 + 40 over two seconds, all relayed.
    for (let i = 0; i < 80; i++) b.send({ action: 'sendMsgToRoom', roomId: 'r', message: `m${i}` });
    for (let i = 80; i < 120; i++) {
      await new Promise((resolve) => setTimeout(resolve, 60));
      b.send({ action: 'sendMsgToRoom', roomId: 'r', message: `m${i}` });
    }
    for (let i = 0; i < 120; i++) assert.equal(await a.nextText(), `m${i}`);
    assert.equal(server.logs.filter((l) => l.event === 'rate_limited').length, 0);
  });
});

// Interrupt moderation (--coalesce-us): a busy event loop handles its connections in batches, at
// most once per window. Whatever the window, every message must still arrive, once, in order.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';

import { cleanup, startServer } from './harness.mjs';

afterEach(cleanup);

async function pairIn(server, roomId) {
  const a = await server.connect();
  const b = await server.connect();
  assert.equal((await server.join(a, roomId)).status, 200);
  assert.equal((await server.join(b, roomId)).status, 200);
  assert.equal((await a.next()).type, 'newParticipant');
  return [a, b];
}

for (const window of ['0', '100000']) {
  test(`with --coalesce-us ${window}, bursts both ways arrive complete and in order`, async () => {
    // Bursts far past a real client's rate: the per-connection limit is not what this tests.
    const server = await startServer(['--coalesce-us', window, '--threads', '1',
                                      '--max-messages-per-second', '0']);
    const listening = await server.waitForLog((line) => line.event === 'listening');
    assert.equal(listening.coalesceUs, Number(window));
    const [a, b] = await pairIn(server, 'burst');

    // Sent without waiting, so the server finds many messages ready at each batch.
    const count = 300;
    for (let i = 0; i < count; i++) {
      a.ws.send(JSON.stringify({ action: 'sendMsgToRoom', roomId: 'burst', message: `a${i}` }));
      b.ws.send(JSON.stringify({ action: 'sendMsgToRoom', roomId: 'burst', message: `b${i}` }));
    }
    for (let i = 0; i < count; i++) {
      assert.equal(await b.nextText(), `a${i}`);
      assert.equal(await a.nextText(), `b${i}`);
    }
    await server.expectNothingPending(a);
    await server.expectNothingPending(b);
  });
}

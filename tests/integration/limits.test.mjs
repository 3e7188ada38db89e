// API Gateway's WebSocket limits as the local server enforces them: frame and message size, text
// only, idle timeout, maximum lifetime, and peers that vanish without a close.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';

import { cleanup, startServer } from './harness.mjs';

afterEach(cleanup);

// A sendMsgToRoom message whose JSON text is exactly `bytes` long (ASCII).
function roomMessageOfSize(roomId, bytes) {
  const empty = JSON.stringify({ action: 'sendMsgToRoom', roomId, message: '' });
  const message = 'm'.repeat(bytes - empty.length);
  const text = JSON.stringify({ action: 'sendMsgToRoom', roomId, message });
  assert.equal(text.length, bytes);
  return text;
}

// Two clients in room "r"; returns [listener, talker].
async function pairInRoom(server) {
  const listener = await server.connect();
  const talker = await server.connect();
  await server.join(listener, 'r');
  await server.join(talker, 'r');
  assert.equal((await listener.next()).type, 'newParticipant');
  return [listener, talker];
}

async function closedConnectionLog(server, connectionId) {
  return server.waitForLog(
      (l) => l.event === 'connection_closed' && l.connectionId === connectionId);
}

describe('message size', () => {
  test('a frame of exactly --max-frame-bytes is routed', async () => {
    const server = await startServer(['--max-frame-bytes', '1000']);
    const [listener, talker] = await pairInRoom(server);
    const text = roomMessageOfSize('r', 1000);

    assert.equal((await server.request(talker, text)).status, 200);

    assert.equal(await listener.nextText(), JSON.parse(text).message);
  });

  test('a frame over --max-frame-bytes closes the connection with 1009', async () => {
    const server = await startServer(['--max-frame-bytes', '1000']);
    const [listener, talker] = await pairInRoom(server);

    talker.send(roomMessageOfSize('r', 1001));

    assert.equal((await talker.waitClose()).code, 1009);
    assert.equal((await closedConnectionLog(server, talker.id)).code, 1009);
    // The oversized message was not relayed: the next thing the room-mate hears is the departure.
    assert.deepEqual(await listener.next(), {
      type: 'participantLeft', participantConnectionId: talker.id, reason: 'disconnected',
    });
  });

  test('a fragmented message of exactly --max-message-bytes is reassembled and routed',
       async () => {
    const server = await startServer(['--max-frame-bytes', '1000', '--max-message-bytes', '3000']);
    const [listener, talker] = await pairInRoom(server);
    const text = roomMessageOfSize('r', 3000);

    talker.sendFragmented(text, 3);

    assert.equal((await server.routed(talker)).status, 200);
    assert.equal(await listener.nextText(), JSON.parse(text).message);
  });

  test('a fragmented message over --max-message-bytes closes the connection with 1009',
       async () => {
    const server = await startServer(['--max-frame-bytes', '1000', '--max-message-bytes', '3000']);
    const [listener, talker] = await pairInRoom(server);

    // Four frames each within the frame limit, 4000 bytes in all.
    talker.sendFragmented(roomMessageOfSize('r', 4000), 4);

    assert.equal((await talker.waitClose()).code, 1009);
    assert.equal((await closedConnectionLog(server, talker.id)).code, 1009);
    assert.deepEqual(await listener.next(), {
      type: 'participantLeft', participantConnectionId: talker.id, reason: 'disconnected',
    });
  });

  test('by default a frame over 32768 bytes closes the connection with 1009', async () => {
    const server = await startServer();
    const [listener, talker] = await pairInRoom(server);

    const atLimit = roomMessageOfSize('r', 32768);
    assert.equal((await server.request(talker, atLimit)).status, 200);
    assert.equal(await listener.nextText(), JSON.parse(atLimit).message);
    talker.send(roomMessageOfSize('r', 32769));

    assert.equal((await talker.waitClose()).code, 1009);
  });

  test('by default a message over 131072 bytes closes the connection with 1009', async () => {
    const server = await startServer();
    const [listener, talker] = await pairInRoom(server);

    // Frames within the default frame limit: 4 x 32768 bytes is accepted, 5 x 32768 is not.
    talker.sendFragmented('x'.repeat(4 * 32768), 4);
    assert.equal((await talker.next()).code, 'BAD_JSON', 'the 131072-byte message was routed');
    talker.sendFragmented('x'.repeat(5 * 32768), 5);

    assert.equal((await talker.waitClose()).code, 1009);
    assert.equal((await listener.next()).type, 'participantLeft');
  });

  test('a binary frame closes the connection with 1003', async () => {
    const server = await startServer();
    const client = await server.connect();

    client.ws.send(Buffer.from(JSON.stringify({ action: 'joinRoom', roomId: 'r' })));

    assert.equal((await client.waitClose()).code, 1003);
    assert.equal((await closedConnectionLog(server, client.id)).code, 1003);
    assert.deepEqual(server.routeLines(client.id, 'joinRoom'), [], 'binary data is never routed');
  });

  test('a text frame that is not valid UTF-8 closes the connection with 1007', async () => {
    const server = await startServer();
    const client = await server.connect();

    client.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });

    assert.equal((await client.waitClose()).code, 1007);
    assert.equal((await server.waitForDisconnect(client.id)).status, 200);
    const closed = await server.waitForLog(
        (l) => l.event === 'connection_closed' && l.connectionId === client.id);
    assert.equal(closed.code, 1007, '$disconnect reports the code the client saw');
  });
});

describe('time limits', () => {
  test('a connection that sends no messages is closed with 1001 after --idle-timeout, ' +
       'even while it answers the server\'s pings', async () => {
    const server = await startServer(['--idle-timeout', '2', '--ping-interval', '1']);
    const client = await server.connect();
    const opened = Date.now();

    const closed = await client.waitClose(5000);

    assert.deepEqual(closed, { code: 1001, reason: 'Going away' });
    assert.ok(client.pings >= 1, 'the server pinged, and ws answered with a pong');
    assert.ok(Date.now() - opened >= 1500, 'not closed long before the idle timeout');
  });

  test('pings sent by the client do not count as activity', async () => {
    const server = await startServer(['--idle-timeout', '1', '--ping-interval', '1']);
    const client = await server.connect();
    const pinger = setInterval(() => client.ws.ping(), 100);

    try {
      assert.deepEqual(await client.waitClose(4000), { code: 1001, reason: 'Going away' });
    } finally {
      clearInterval(pinger);
    }
  });

  test('a connection that keeps sending messages stays open past --idle-timeout', async () => {
    const server = await startServer(['--idle-timeout', '1', '--ping-interval', '1']);
    const client = await server.connect();
    const opened = Date.now();

    // Messages every 250 ms for 2.5 s: two and a half idle timeouts.
    const bogus = { action: 'keepalive' };
    while (Date.now() - opened < 2500) {
      await server.request(client, bogus);
      assert.equal((await client.next()).code, 'UNKNOWN_ACTION');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(client.isOpen, 'still open after 2.5 idle timeouts');
    assert.equal((await server.getConnection(client.id)).status, 200);

    // Once it falls silent, the timeout applies again.
    assert.equal((await client.waitClose(3000)).code, 1001);
  });

  test('a connection is closed with 1001 after --max-lifetime however active it is', async () => {
    const server = await startServer(['--max-lifetime', '2', '--idle-timeout', '60']);
    const client = await server.connect();
    const opened = Date.now();
    const chatter = setInterval(() => {
      if (client.isOpen) client.send({ action: 'keepalive' });
    }, 200);

    try {
      assert.deepEqual(await client.waitClose(4000), { code: 1001, reason: 'Going away' });
    } finally {
      clearInterval(chatter);
    }
    assert.ok(Date.now() - opened >= 1500, 'closed by the lifetime, not before it');
    assert.equal((await closedConnectionLog(server, client.id)).code, 1001);
  });
});

describe('vanished peers', () => {
  test('a client that answers no ping is dropped after two ping intervals, and its room told',
       async () => {
    const server = await startServer(['--ping-interval', '1']);
    const listener = await server.connect();
    await server.join(listener, 'r');
    // A page whose network died: the socket stays open, but nothing comes back, not even a pong.
    const silent = await server.connect({ autoPong: false });
    await server.join(silent, 'r');
    assert.equal((await listener.next()).type, 'newParticipant');
    const quietSince = Date.now();

    const closed = await closedConnectionLog(server, silent.id);

    assert.equal(closed.code, 1006);
    assert.match(closed.reason, /no answer to a ping for 2 s/);
    assert.ok(Date.now() - quietSince >= 1500, 'not dropped before two intervals of silence');
    assert.ok(silent.pings >= 1, 'the server pinged before giving up');
    assert.deepEqual(await listener.next(), {
      type: 'participantLeft', participantConnectionId: silent.id, reason: 'disconnected',
    });
    // The listener answered its pings all along, so it stays.
    assert.equal(listener.ws.readyState, 1);
  });

  test('a quiet client that answers pings stays connected past two ping intervals', async () => {
    const server = await startServer(['--ping-interval', '1', '--idle-timeout', '60']);
    const quiet = await server.connect();
    const outcome = await new Promise((resolve) => {
      quiet.ws.on('ping', () => {
        if (quiet.pings >= 3) resolve('three pings');
      });
      quiet.ws.on('close', (code) => resolve(`closed with ${code}`));
    });
    assert.equal(outcome, 'three pings', 'three seconds of silence, pings answered');
    assert.equal((await server.getConnection(quiet.id)).status, 200);
  });

  test('a client that drops without a close frame still runs $disconnect', async () => {
    const server = await startServer();
    const [listener, dropper] = await pairInRoom(server);

    dropper.ws.terminate();

    const disconnect = await server.waitForDisconnect(dropper.id);
    assert.equal(disconnect.status, 200);
    assert.equal((await closedConnectionLog(server, dropper.id)).code, 1006);
    assert.deepEqual(await listener.next(), {
      type: 'participantLeft', participantConnectionId: dropper.id, reason: 'disconnected',
    });
  });
});

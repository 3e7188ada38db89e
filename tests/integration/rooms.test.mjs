// Room membership and the errors a sender can provoke, through a real server and real clients.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';

import { LAMBDA_MODE, cleanup, startServer } from './harness.mjs';

afterEach(cleanup);

const join = (roomId) => ({ action: 'joinRoom', roomId });
const say = (roomId, message) => ({ action: 'sendMsgToRoom', roomId, message });

// Connects `count` clients and joins them to `roomId` in order, reading every newParticipant
// announcement so each client's queue starts empty.
async function roomOf(server, count, roomId = 'r1') {
  const members = [];
  for (let i = 0; i < count; i++) {
    const client = await server.connect();
    assert.equal((await server.join(client, roomId)).status, 200);
    for (const earlier of members) {
      assert.deepEqual(await earlier.next(),
                       { type: 'newParticipant', participantConnectionId: client.id });
    }
    members.push(client);
  }
  return members;
}

async function expectError(client, code) {
  const error = await client.next();
  assert.equal(error.type, 'error');
  assert.equal(error.code, code);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0, 'an error message a person can act on');
  return error;
}

describe('membership', () => {
  test('rooms in any script: people join 会議室 and café, which stay two rooms of their own',
       async () => {
    const server = await startServer();
    const [a, b] = await roomOf(server, 2, '会議室');
    await server.request(a, say('会議室', 'こんにちは'));
    assert.equal(await b.nextText(), 'こんにちは');
    const [c] = await roomOf(server, 1, 'café');
    await server.expectNothingPending(a);
    await server.expectNothingPending(c);
  });

  test('a newcomer is announced to every member already in the room', async () => {
    const server = await startServer();
    // roomOf asserts each announcement as it is made.
    const [a, b, c] = await roomOf(server, 3);

    await server.expectNothingPending(a);
    await server.expectNothingPending(b);
    await server.expectNothingPending(c);
  });

  test('a room message reaches every other member of the room', async () => {
    const server = await startServer();
    const [a, b, c] = await roomOf(server, 3);

    await server.request(b, say('r1', 'to all'));

    assert.equal(await a.nextText(), 'to all');
    assert.equal(await c.nextText(), 'to all');
    await server.expectNothingPending(b);
  });

  test('a room message does not reach members of another room', async () => {
    const server = await startServer();
    const [a, b] = await roomOf(server, 2, 'r1');
    const [other] = await roomOf(server, 1, 'r2');

    await server.request(a, say('r1', 'only r1'));

    assert.equal(await b.nextText(), 'only r1');
    await server.expectNothingPending(other);
  });

  test('leaveRoom without a roomId tells the others the member left', async () => {
    const server = await startServer();
    const [a, b] = await roomOf(server, 2);

    assert.equal((await server.request(b, { action: 'leaveRoom' })).status, 200);

    assert.deepEqual(await a.next(),
                     { type: 'participantLeft', participantConnectionId: b.id, reason: 'left' });
    await server.expectNothingPending(b);
  });

  test('leaveRoom naming the member\'s room tells the others the member left', async () => {
    const server = await startServer();
    const [a, b] = await roomOf(server, 2);

    assert.equal((await server.request(b, { action: 'leaveRoom', roomId: 'r1' })).status, 200);

    assert.deepEqual(await a.next(),
                     { type: 'participantLeft', participantConnectionId: b.id, reason: 'left' });
  });

  test('leaveRoom naming another room is NOT_IN_ROOM and keeps the member in its room',
       async () => {
    const server = await startServer();
    const [a, b] = await roomOf(server, 2);

    assert.equal((await server.request(b, { action: 'leaveRoom', roomId: 'elsewhere' })).status,
                 400);

    await expectError(b, 'NOT_IN_ROOM');
    await server.expectNothingPending(a);
    await server.request(b, say('r1', 'still here'));
    assert.equal(await a.nextText(), 'still here');
  });

  test('leaveRoom outside any room is NOT_IN_ROOM', async () => {
    const server = await startServer();
    const loner = await server.connect();

    await server.request(loner, { action: 'leaveRoom' });

    await expectError(loner, 'NOT_IN_ROOM');
  });

  test('a member who left can no longer send to the room', async () => {
    const server = await startServer();
    const [a, b] = await roomOf(server, 2);
    await server.request(b, { action: 'leaveRoom' });
    assert.equal((await a.next()).type, 'participantLeft');

    await server.request(b, say('r1', 'too late'));

    await expectError(b, 'NOT_IN_ROOM');
    await server.expectNothingPending(a);
  });

  test('joining another room moves the member: the old room is told it left', async () => {
    const server = await startServer();
    const [a, b] = await roomOf(server, 2, 'old');
    const [c] = await roomOf(server, 1, 'new');

    assert.equal((await server.join(b, 'new')).status, 200);

    assert.deepEqual(await a.next(),
                     { type: 'participantLeft', participantConnectionId: b.id, reason: 'left' });
    assert.deepEqual(await c.next(),
                     { type: 'newParticipant', participantConnectionId: b.id });
  });

  test('after moving, the member talks to the new room and not the old one', async () => {
    const server = await startServer();
    const [a, b] = await roomOf(server, 2, 'old');
    const [c] = await roomOf(server, 1, 'new');
    await server.join(b, 'new');
    assert.equal((await a.next()).type, 'participantLeft');
    assert.equal((await c.next()).type, 'newParticipant');

    await server.request(b, say('old', 'to old'));
    await expectError(b, 'NOT_IN_ROOM');
    await server.request(b, say('new', 'to new'));

    assert.equal(await c.nextText(), 'to new');
    await server.expectNothingPending(a);
  });

  test('joining the room one is already in announces nothing', async () => {
    const server = await startServer();
    const [a, b] = await roomOf(server, 2);

    assert.equal((await server.join(b, 'r1')).status, 200);

    await server.expectNothingPending(a);
    await server.expectNothingPending(b);
  });
});

describe('errors go to the sender only and leave the connection usable', () => {
  // Puts a sender and a bystander in room r1, lets the sender send `bad`, and checks the error
  // code reaches the sender alone, then that the sender can still talk to the room.
  async function provoke(bad, code, serverArgs = []) {
    const server = await startServer(serverArgs);
    const [bystander, sender] = await roomOf(server, 2);

    const route = await server.request(sender, bad);

    assert.equal(route.status, 400);
    const error = await expectError(sender, code);
    await server.expectNothingPending(bystander);
    await server.request(sender, say('r1', 'still usable'));
    assert.equal(await bystander.nextText(), 'still usable');
    return error;
  }

  test('a message that is not JSON is BAD_JSON', async () => {
    await provoke('{"action": "joinRoom", ', 'BAD_JSON');
  });

  test('a JSON message that is not an object is BAD_REQUEST', async () => {
    await provoke('["joinRoom"]', 'BAD_REQUEST');
  });

  test('a room id with ASCII other than A-Z a-z 0-9 _ - is BAD_REQUEST', async () => {
    await provoke(join('bad room!'), 'BAD_REQUEST');
  });

  test('a room id longer than 128 bytes is BAD_REQUEST', async () => {
    await provoke(join('x'.repeat(129)), 'BAD_REQUEST');
    await provoke(join('会'.repeat(43)), 'BAD_REQUEST');  // 129 bytes of UTF-8
  });

  test('a room id in another script must have one spelling (NFC) and nothing invisible',
       async () => {
    const decomposed = await provoke(join('cafe\u0301'), 'BAD_REQUEST');
    assert.equal(decomposed.message, 'roomId must be in Unicode normalization form C (NFC)');
    const hidden = await provoke(join('team\u200bstandup'), 'BAD_REQUEST');
    assert.match(hidden.message, /U\+200B/);
    await provoke(join('a\u00a0b'), 'BAD_REQUEST');  // a no-break space
  });

  test('a room id that is not a string is BAD_REQUEST', async () => {
    await provoke({ action: 'joinRoom', roomId: 123 }, 'BAD_REQUEST');
  });

  test('joinRoom without a room id is BAD_REQUEST', async () => {
    await provoke({ action: 'joinRoom' }, 'BAD_REQUEST');
  });

  test('sendMsgToRoom without a message is BAD_REQUEST', async () => {
    await provoke({ action: 'sendMsgToRoom', roomId: 'r1' }, 'BAD_REQUEST');
  });

  test('an action the API does not have is UNKNOWN_ACTION, naming it', async () => {
    const error = await provoke({ action: 'launchRocket' }, 'UNKNOWN_ACTION');
    assert.match(error.message, /launchRocket/);
  });

  test('a message without an action is BAD_REQUEST', async () => {
    await provoke({ roomId: 'r1' }, 'BAD_REQUEST');
  });

  test('sending to a room one is not in is NOT_IN_ROOM', async () => {
    await provoke(say('r2', 'hello?'), 'NOT_IN_ROOM');
  });

  // The function has no such setting (its limit is 64 KiB): videochat-local --lambda refuses it.
  const relayLimit = {};

  test('a room message longer than --max-relay-bytes is MESSAGE_TOO_LARGE', relayLimit,
       async () => {
    await provoke(say('r1', 'x'.repeat(17)), 'MESSAGE_TOO_LARGE', ['--max-relay-bytes', '16']);
  });

  test('a room message of exactly --max-relay-bytes is relayed', relayLimit, async () => {
    const server = await startServer(['--max-relay-bytes', '16']);
    const [a, b] = await roomOf(server, 2);

    assert.equal((await server.request(b, say('r1', 'x'.repeat(16)))).status, 200);

    assert.equal(await a.nextText(), 'x'.repeat(16));
  });
});

describe('room capacity', () => {
  test('a room at --room-capacity refuses the next joiner with ROOM_FULL, to it alone', async () => {
    const server = await startServer(['--room-capacity', '2']);
    const [a, b, c] = [await server.connect(), await server.connect(), await server.connect()];
    await server.join(a, 'pair');
    await server.join(b, 'pair');
    assert.equal((await a.next()).type, 'newParticipant');

    assert.equal((await server.join(c, 'pair')).status, 409);
    assert.equal((await c.next()).code, 'ROOM_FULL');
    await server.expectNothingPending(a);
    await server.expectNothingPending(b);
  });
});

describe('ping', () => {
  test('a ping is answered with a pong and keeps a quiet connection past the idle timeout',
       async () => {
    const server = await startServer(['--idle-timeout', '2', '--ping-interval', '1']);
    const client = await server.connect();
    const started = Date.now();
    // Pings every half second for longer than the idle timeout: each is a message, so it counts.
    while (Date.now() - started < 3000) {
      client.send({ action: 'ping' });
      assert.deepEqual(await client.next(), { type: 'pong' });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(client.ws.readyState, 1, 'still open after 3 s with a 2 s idle timeout');
  });
});

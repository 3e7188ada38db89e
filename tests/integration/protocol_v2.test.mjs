// Protocol v2 end to end over real WebSockets: joined, peerIds and names, resume with the token a
// first connection was given (the server closes that connection), `to` addressing, from splicing,
// the new errors, and where the resume secret comes from.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';

import { REPO_ROOT, cleanup, startDynalite, startServer } from './harness.mjs';

afterEach(cleanup);

const PEER_A = 'a'.repeat(32);
const PEER_B = 'b'.repeat(32);
const say = (roomId, message, to) => ({ action: 'sendMsgToRoom', roomId, message, ...(to ? { to } : {}) });

// What the spec says a token is, computed independently of the server:
// "2.<expires>.<nonce>.<HMAC-SHA256 of the domain, room, peerId, expires and nonce>".
const TOKEN = /^2\.(\d+)\.([0-9a-f]{32})\.([0-9a-f]{64})$/;
const tokenMac = (secret, roomId, peerId, expires, nonce) =>
  createHmac('sha256', secret)
    .update(`videochat-resume-v2\n${roomId}\n${peerId}\n${expires}\n${nonce}`).digest('hex');
const makeToken = (secret, roomId, peerId, expires, nonce) =>
  `2.${expires}.${nonce}.${tokenMac(secret, roomId, peerId, expires, nonce)}`;
// Whether `token` was made with `secret` for this room and peerId, and when it expires.
function checkToken(token, secret, roomId, peerId) {
  const [, expires, nonce, mac] = TOKEN.exec(token) ?? assert.fail(`not a token: ${token}`);
  assert.equal(mac, tokenMac(secret, roomId, peerId, expires, nonce), 'made with the secret');
  return { expiresMs: Number(expires) * 1000, nonce };
}

async function expectError(client, code) {
  const error = await client.next();
  assert.equal(error.type, 'error');
  assert.equal(error.code, code, JSON.stringify(error));
  assert.ok(error.message.length > 0);
  return error;
}

describe('joined and profiles', () => {
  test('a v2 joiner is told its own id, profile, token and the others with theirs', async () => {
    const server = await startServer();
    const [alice, bob] = [await server.connect(), await server.connect()];
    await server.join(alice, 'r1', { peerId: PEER_A, name: 'Alice' });

    assert.equal((await server.join(bob, 'r1', { peerId: PEER_B, name: 'Bob' })).status, 200);

    assert.deepEqual(bob.joined, {
      type: 'joined', roomId: 'r1', connectionId: bob.id, capacity: 6, peerId: PEER_B, name: 'Bob',
      resumeToken: bob.joined.resumeToken,
      participants: [{ participantConnectionId: alice.id, peerId: PEER_A, name: 'Alice' }],
    });
    assert.match(bob.joined.resumeToken, TOKEN);
    assert.deepEqual(await alice.next(), {
      type: 'newParticipant', participantConnectionId: bob.id, peerId: PEER_B, name: 'Bob',
    });
  });

  test('a tutorial-format join gets joined without token or profile, and the tutorial\'s frames',
       async () => {
    const server = await startServer();
    const [first, second] = [await server.connect(), await server.connect()];
    await server.join(first, '123');
    await server.join(second, '123');
    assert.deepEqual(second.joined, {
      type: 'joined', roomId: '123', connectionId: second.id, capacity: 6,
      participants: [{ participantConnectionId: first.id }],
    });
    // Byte for byte the tutorial's announcement (JSON.stringify's order: type first).
    assert.equal(await first.nextText(),
                 `{"type":"newParticipant","participantConnectionId":"${second.id}"}`);
  });

  test('capacity in joined is the server\'s --room-capacity', async () => {
    const server = await startServer(['--room-capacity', '3']);
    const client = await server.connect();
    await server.join(client, 'r1');
    assert.equal(client.joined.capacity, 3);
  });
});

describe('resume', () => {
  // Alice joins with a peerId, Carol is in the room too; a second connection of Alice's page
  // resumes with the token the first one was given.
  async function aliceReconnects(server) {
    const alice = await server.connect();
    const carol = await server.connect();
    await server.join(alice, 'r1', { peerId: PEER_A, name: 'Alice' });
    await server.join(carol, 'r1');
    assert.equal((await alice.next()).type, 'newParticipant');
    const again = await server.connect();
    const route = await server.join(again, 'r1',
                                    { peerId: PEER_A, name: 'Alice', resumeToken: alice.joined.resumeToken });
    return { alice, carol, again, route };
  }

  test('a second connection with the token takes the first one\'s place, and the first is closed',
       async () => {
    const server = await startServer();
    const { alice, carol, again, route } = await aliceReconnects(server);

    assert.equal(route.status, 200);
    assert.equal((await alice.waitClose()).code, 1000, 'closed by the server (DeleteConnection)');
    assert.deepEqual(await carol.next(), {
      type: 'participantResumed', previousConnectionId: alice.id, participantConnectionId: again.id,
      peerId: PEER_A, name: 'Alice',
    });
    assert.deepEqual(again.joined.participants, [{ participantConnectionId: carol.id }]);
    // Rotated: a new token for the new connection.
    assert.match(again.joined.resumeToken, TOKEN);
    assert.notEqual(again.joined.resumeToken, alice.joined.resumeToken);
  });

  test('the replaced connection\'s $disconnect announces nothing; the resumer talks to the room',
       async () => {
    const server = await startServer();
    const { alice, carol, again } = await aliceReconnects(server);
    assert.equal((await carol.next()).type, 'participantResumed');
    await server.waitForDisconnect(alice.id);

    await server.expectNothingPending(carol);
    await server.request(again, say('r1', 'back'));
    assert.equal(await carol.nextText(), 'back');
    await server.request(carol, say('r1', 'welcome'));
    assert.equal(await again.nextText(), 'welcome');
  });

  test('a resume is admitted to a full room: the count does not change', async () => {
    const server = await startServer(['--room-capacity', '2']);
    const { alice, again, route } = await aliceReconnects(server);
    assert.equal(route.status, 200);
    assert.equal((await alice.waitClose()).code, 1000);
    const late = await server.connect();
    assert.equal((await server.join(late, 'r1')).status, 409);
    await expectError(late, 'ROOM_FULL');
  });

  test('without a token, or with a wrong one, the peerId is PEER_ID_IN_USE and nothing changes',
       async () => {
    const server = await startServer();
    const alice = await server.connect();
    await server.join(alice, 'r1', { peerId: PEER_A });
    for (const fields of [{ peerId: PEER_A }, { peerId: PEER_A, resumeToken: '0'.repeat(64) },
                          { peerId: PEER_A,
                            resumeToken: makeToken('guess', 'r1', PEER_A, 4000000000, 'ab'.repeat(16)) }]) {
      const intruder = await server.connect();
      assert.equal((await server.join(intruder, 'r1', fields)).status, 409);
      await expectError(intruder, 'PEER_ID_IN_USE');
    }
    assert.ok(alice.isOpen, 'the holder keeps its connection');
    await server.expectNothingPending(alice);
    assert.equal(server.logs.filter((l) => l.event === 'peer_id_in_use').length, 3);
  });
});

describe('to and from', () => {
  async function trio(server) {
    const [a, b, c] = [await server.connect(), await server.connect(), await server.connect()];
    await server.join(a, 'r1', { peerId: PEER_A });
    await server.join(b, 'r1');
    await server.join(c, 'r1');
    assert.equal((await a.next()).type, 'newParticipant');
    assert.equal((await a.next()).type, 'newParticipant');
    assert.equal((await b.next()).type, 'newParticipant');
    return [a, b, c];
  }

  test('with `to`, a message reaches that member only, with from and fromPeer', async () => {
    const server = await startServer();
    const [a, b, c] = await trio(server);
    assert.equal((await server.request(a, say('r1', '{"type":"offer","sdp":"v=0"}', c.id))).status, 200);
    assert.deepEqual(await c.next(), { type: 'offer', sdp: 'v=0', from: a.id, fromPeer: PEER_A });
    await server.expectNothingPending(b);
  });

  test('a `to` not in the room is UNKNOWN_RECIPIENT and nobody receives anything', async () => {
    const server = await startServer();
    const [a, b, c] = await trio(server);
    const route = await server.request(a, say('r1', 'psst', 'nobodyHere=='));
    assert.equal(route.status, 404);
    const error = await expectError(a, 'UNKNOWN_RECIPIENT');
    assert.equal(error.message, "'nobodyHere==' is not in room 'r1'");
    await server.expectNothingPending(b);
    await server.expectNothingPending(c);
  });

  test('forged from and fromPeer are overwritten; a sender without a peerId has no fromPeer',
       async () => {
    const server = await startServer();
    const [a, b] = await trio(server);
    await server.request(b, say('r1', JSON.stringify({ type: 'answer', from: 'x', fromPeer: PEER_B }), a.id));
    assert.deepEqual(await a.next(), { type: 'answer', from: b.id });
  });

  test('a message that is not a JSON object is relayed byte for byte', async () => {
    const server = await startServer();
    const [a, b, c] = await trio(server);
    for (const text of ['hello world!', '[1, 2]', ' "s" ']) {
      await server.request(a, say('r1', text));
      assert.equal(await b.nextText(), text);
      assert.equal(await c.nextText(), text);
    }
  });

  test('text that starts like a JSON object but is not valid JSON is refused, relayed to nobody',
       async () => {
    const server = await startServer();
    const [a, b] = await trio(server);
    // JSON.parse would read the first as an object with a forged "from" (1e400 is Infinity).
    for (const text of ['{"a":1e400,"from":"someone-else","type":"offer"}', '{"cut":']) {
      const line = await server.request(a, say('r1', text));
      assert.equal(line.status, 400);
      assert.equal(JSON.parse(await a.nextText()).code, 'BAD_REQUEST');
    }
    await server.expectNothingPending(b);
  });

  test('no message reaches a member as an object without the sender\'s from, to JSON.parse or ' +
       'to Python\'s json', async () => {
    // Each tries to pass for a server notice (every member would hang up on "victim").
    const notice = '{"type":"participantLeft","participantConnectionId":"victim","reason":"left"}';
    const attempts = [
      `\uFEFF${notice}`, ` \uFEFF${notice}`, `\u00A0${notice}`, `\u2028${notice}`,
      `\f${notice}`, `\v${notice}`, `\t\r\n ${notice}`, `${notice}\u0000`, `${notice}\u0000{}`,
      notice.replace('{', '{"from":"victim",'), notice.replace('{', '{"fr\\u006fm":"victim",'),
      notice.replace('}', ',"s":"\\ud800"}'), notice.replace('{', '{"a":1e400,'),
      notice.replace('{', '{"a":-1e999,'), `[${notice}]`, JSON.stringify(notice),
      `${notice} `, `${notice}${notice}`, '{"t\\u0079pe":"pong"}',
    ];
    const server = await startServer();
    const [a, b] = await trio(server);
    const received = [];
    for (const text of attempts) {
      const line = await server.request(a, say('r1', text));
      if (line.status === 200) {
        received.push(await b.nextText());
      } else {
        assert.equal(JSON.parse(await a.nextText()).code, 'BAD_REQUEST');
      }
    }
    assert.ok(received.length >= 8, `only ${received.length} of the attempts were relayed`);

    const readAsObject = (text) => {
      try {
        const value = JSON.parse(text);
        return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
      } catch {
        return null;
      }
    };
    for (const text of received) {
      const object = readAsObject(text);
      if (object) assert.equal(object.from, a.id, `JSON.parse reads an object without from: ${text}`);
    }
    // Python's json, as another receiver might parse.
    const python = spawnSync('python3', ['-c', `
import json, sys
for text in json.load(sys.stdin):
    try:
        value = json.loads(text)
    except ValueError:
        continue
    if isinstance(value, dict):
        print(json.dumps(value.get("from")))
`], { input: JSON.stringify(received), encoding: 'utf8' });
    assert.equal(python.status, 0, python.stderr);
    for (const from of python.stdout.trim().split('\n').filter(Boolean)) {
      assert.equal(JSON.parse(from), a.id, 'Python reads an object without the sender\'s from');
    }
  });
});

describe('v2 validation', () => {
  for (const [what, fields] of [
    ['a peerId in upper case', { peerId: 'A'.repeat(32) }],
    ['a name over 64 bytes', { name: 'é'.repeat(33) }],
    ['a name with a control character', { name: 'a\u0007b' }],
    ['a resumeToken without a peerId', { resumeToken: 'f'.repeat(64) }],
  ]) {
    test(`${what} is BAD_REQUEST`, async () => {
      const server = await startServer();
      const client = await server.connect();
      assert.equal((await server.join(client, 'r1', fields)).status, 400);
      await expectError(client, 'BAD_REQUEST');
    });
  }
});

describe('whose token it is', () => {
  test('a second claimant of a free peerId gets its own token: neither can evict the other',
       async () => {
    const server = await startServer();
    const alice = await server.connect();
    await server.join(alice, 'r1', { peerId: PEER_A, name: 'Alice' });
    alice.close();
    await server.waitForDisconnect(alice.id);
    // Alice's peerId, which her room saw, is free: someone else takes it.
    const mallory = await server.connect();
    await server.join(mallory, 'r1', { peerId: PEER_A, name: 'Mallory' });
    assert.notEqual(mallory.joined.resumeToken, alice.joined.resumeToken);

    const aliceAgain = await server.connect();
    assert.equal((await server.join(aliceAgain, 'r1', { peerId: PEER_A, name: 'Alice',
                                                        resumeToken: alice.joined.resumeToken }))
                   .status, 409);
    await expectError(aliceAgain, 'PEER_ID_IN_USE');
    assert.ok(mallory.isOpen, 'an old token evicts nobody');

    // Mallory goes, Alice takes her peerId back; Mallory's token cannot evict her either.
    mallory.close();
    await server.waitForDisconnect(mallory.id);
    assert.equal((await server.join(aliceAgain, 'r1', { peerId: PEER_A, name: 'Alice' })).status,
                 200);
    const malloryAgain = await server.connect();
    assert.equal((await server.join(malloryAgain, 'r1', { peerId: PEER_A,
                                                          resumeToken: mallory.joined.resumeToken }))
                   .status, 409);
    assert.ok(aliceAgain.isOpen);
  });

  test('each resume rotates the token; the one it used still works until the new one is used',
       async () => {
    const server = await startServer();
    const resume = async (token) => {
      const client = await server.connect();
      const route = await server.join(client, 'r1', { peerId: PEER_A, resumeToken: token });
      return { client, status: route.status };
    };
    const first = await server.connect();
    await server.join(first, 'r1', { peerId: PEER_A });
    const second = await resume(first.joined.resumeToken);
    assert.equal(second.status, 200);
    // second's `joined` (its new token) was lost on the way: the first token still resumes.
    const third = await resume(first.joined.resumeToken);
    assert.equal(third.status, 200);
    const fourth = await resume(third.client.joined.resumeToken);
    assert.equal(fourth.status, 200);
    // The newest token has been used: the first one is out of use for good.
    assert.equal((await resume(first.joined.resumeToken)).status, 409);
    assert.ok(fourth.client.isOpen);
  });

  test('a token expires after --resume-token-lifetime', async () => {
    const server = await startServer(['--resume-token-lifetime', '1']);
    const alice = await server.connect();
    await server.join(alice, 'r1', { peerId: PEER_A });
    const [, expires] = TOKEN.exec(alice.joined.resumeToken);
    // Waits for the expiry the token states, not for an interval.
    while (Date.now() < Number(expires) * 1000 + 50) {
      await new Promise((resolve) => setTimeout(resolve, Number(expires) * 1000 + 50 - Date.now()));
    }
    const again = await server.connect();
    assert.equal((await server.join(again, 'r1', { peerId: PEER_A,
                                                   resumeToken: alice.joined.resumeToken })).status,
                 409);
    assert.ok(alice.isOpen);
  });
});

describe('the resume secret', () => {
  test('VIDEOCHAT_RESUME_SECRET is the key tokens are made with', async () => {
    const secret = randomBytes(32).toString('hex');
    const server = await startServer([], { env: { VIDEOCHAT_RESUME_SECRET: secret } });
    const client = await server.connect();
    await server.join(client, 'r1', { peerId: PEER_A });
    checkToken(client.joined.resumeToken, secret, 'r1', PEER_A);
    assert.equal(server.logs.find((l) => l.event === 'resume_secret').source, 'environment');
  });

  test('--resume-secret-file wins over the environment', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'videochat-secret-'));
    try {
      const secret = randomBytes(24).toString('base64');  // 32 characters
      writeFileSync(path.join(folder, 'secret'), `${secret}\n`);
      const server = await startServer(['--resume-secret-file', path.join(folder, 'secret')],
                                       { env: { VIDEOCHAT_RESUME_SECRET: 'e'.repeat(40) } });
      const client = await server.connect();
      await server.join(client, 'r1', { peerId: PEER_A });
      checkToken(client.joined.resumeToken, secret, 'r1', PEER_A);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('without one, each start makes its own: a token from another run does not resume', async () => {
    const first = await startServer();
    const client = await first.connect();
    await first.join(client, 'r1', { peerId: PEER_A });
    assert.equal(first.logs.find((l) => l.event === 'resume_secret').source, 'random');
    const second = await startServer();
    const holder = await second.connect();
    await second.join(holder, 'r1', { peerId: PEER_A });
    const resumer = await second.connect();
    assert.equal((await second.join(resumer, 'r1',
                                    { peerId: PEER_A, resumeToken: client.joined.resumeToken })).status, 409);
  });
});

describe('TURN credentials', () => {
  // The TURN REST API's password, computed independently of the server.
  const turnPassword = (secret, username) =>
    createHmac('sha1', secret).update(username).digest('base64');

  test('joined carries the relay with a credential of expiry:peerId made with the secret, and '
       + 'joining again renews it; nothing logs the secret', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'videochat-turn-'));
    try {
      const secret = randomBytes(24).toString('base64');
      writeFileSync(path.join(folder, 'turn'), `${secret}\n`);
      const server = await startServer(['--turn-url', 'turn:relay.example.org:3478?transport=udp',
                                        '--turn-url', 'turns:relay.example.org:443?transport=tcp',
                                        '--turn-secret-file', path.join(folder, 'turn'),
                                        '--turn-credential-lifetime', '600']);
      const [alice, bob] = [await server.connect(), await server.connect()];
      const before = Math.floor(Date.now() / 1000);
      await server.join(alice, 'r1', { peerId: PEER_A });
      const [relay, ...others] = alice.joined.iceServers;
      assert.equal(others.length, 0);
      assert.deepEqual(relay.urls, ['turn:relay.example.org:3478?transport=udp',
                                    'turns:relay.example.org:443?transport=tcp']);
      const [expires, user] = relay.username.split(':');
      assert.equal(user, PEER_A);
      assert.ok(Number(expires) >= before + 600 && Number(expires) <= before + 602, relay.username);
      assert.equal(relay.credential, turnPassword(secret, relay.username));
      assert.equal(alice.joined.iceServersTtl, 600);
      // A tutorial client's credential names its connection.
      await server.join(bob, 'r1');
      assert.equal(bob.joined.iceServers[0].username.split(':')[1], bob.id);
      // The member asks again: fresh credentials, and the others hear nothing.
      await server.join(alice, 'r1', { peerId: PEER_A, resumeToken: alice.joined.resumeToken });
      assert.equal(alice.joined.iceServers[0].credential,
                   turnPassword(secret, alice.joined.iceServers[0].username));
      await server.expectNothingPending(bob);

      const relayLine = server.logs.find((l) => l.event === 'turn_relay');
      assert.deepEqual(relayLine.urls, relay.urls);
      assert.equal(relayLine.credentialLifetimeS, 600);
      assert.ok(!JSON.stringify(server.logs).includes(secret), 'the secret is in no log line');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a relay without its secret, or a file that is missing, stops the server with the reason',
       async () => {
    for (const [args, reason] of [
      [['--turn-url', 'turn:a.example.org'], '--turn-url needs the relay\'s secret'],
      [['--turn-url', 'turn:a.example.org', '--turn-secret-file', '/nonexistent/turn'],
       '--turn-secret-file: cannot read /nonexistent/turn'],
    ]) {
      const binary = path.resolve(REPO_ROOT,
                                  process.env.VIDEOCHAT_LOCAL || 'build/native/local/videochat-local');
      const run = spawnSync(binary, ['--port', '0', ...args], { encoding: 'utf8' });
      assert.equal(run.status, 2, run.stderr);
      assert.ok(run.stderr.includes(reason), run.stderr);
    }
  });
});

describe('protocol v2 with --store dynamodb', () => {
  test('resume through the DynamoDB store: the first connection is closed, the room told', async () => {
    const env = await startDynalite();
    const server = await startServer(['--store', 'dynamodb'], { env, timeoutMs: 15000 });
    const [alice, carol] = [await server.connect(), await server.connect()];
    await server.join(alice, 'r1', { peerId: PEER_A, name: 'Alice' }, 5000);
    await server.join(carol, 'r1', {}, 5000);
    assert.equal((await alice.next(5000)).type, 'newParticipant');
    const again = await server.connect();
    const route = await server.join(again, 'r1',
                                    { peerId: PEER_A, name: 'Alice', resumeToken: alice.joined.resumeToken },
                                    5000);
    assert.equal(route.status, 200);
    assert.equal((await alice.waitClose(5000)).code, 1000);
    assert.deepEqual(await carol.next(5000), {
      type: 'participantResumed', previousConnectionId: alice.id, participantConnectionId: again.id,
      peerId: PEER_A, name: 'Alice',
    });
    await server.waitForDisconnect(alice.id, 5000);
    await server.request(carol, say('r1', '{"n":1}', again.id), 5000);
    assert.deepEqual(await again.next(5000), { n: 1, from: carol.id });
  });
});

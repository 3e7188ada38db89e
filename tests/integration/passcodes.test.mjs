// Room passcodes and the lock over real WebSockets, on the memory store here and (CTest's
// integration_lambda) in the Lambda function on DynamoDB: the first member sets the passcode, a
// joiner without it or with a wrong one is refused and nobody is told, guessers wait, a member
// locks the room, and neither the passcode nor its hash reaches the log.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';

import { cleanup, startServer } from './harness.mjs';

afterEach(cleanup);

const PASSCODE = 'Tr0mbone solo';

// The handlers' own log lines: in Lambda mode the function's arrive nested in function_log lines.
const handlerLine = (line) => (line.event === 'function_log' ? line.line : line);

async function refusal(server, client, fields) {
  const route = await server.join(client, 'private', fields);
  const frame = await client.take((f) => f.type === 'error', 3000, 'an error frame');
  return { status: route.status, code: frame.code, message: frame.message };
}

describe('room passcodes', () => {
  test('the first member sets it; without it or with a wrong one a joiner is refused, ' +
       'with it let in', async () => {
    const server = await startServer();
    const ann = await server.connect();
    const bob = await server.connect();
    assert.equal((await server.join(ann, 'private', { passcode: PASSCODE })).status, 200);
    assert.equal(ann.joined.hasPasscode, true);

    assert.deepEqual(await refusal(server, bob, {}),
                     { status: 401, code: 'PASSCODE_REQUIRED',
                       message: "room 'private' has a passcode; ask someone in it for it" });
    const wrong = await refusal(server, bob, { passcode: 'tr0mbone solo' });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.code, 'WRONG_PASSCODE');
    await server.expectNothingPending(ann);

    assert.equal((await server.join(bob, 'private', { passcode: PASSCODE })).status, 200);
    assert.equal(bob.joined.hasPasscode, true);
    assert.deepEqual(bob.joined.participants.map((p) => p.participantConnectionId), [ann.id]);
    assert.equal((await ann.next()).type, 'newParticipant');

    const refused = handlerLine(await server.waitForLog(
      (l) => handlerLine(l)?.event === 'passcode_refused', 5000));
    assert.equal(refused.outcome, 'wrong');
    assert.equal(refused.failures, 1);
    assert.equal(server.logs.filter((l) => handlerLine(l)?.event === 'passcode_refused').length, 1);
    const log = JSON.stringify(server.logs);
    assert.ok(!log.includes('Tr0mbone') && !log.includes('tr0mbone'), 'a passcode in the log');
    assert.ok(!log.includes('pbkdf2'), 'a passcode hash in the log');
  });

  test('after five wrong passcodes each try waits longer, on a new connection too', async () => {
    const server = await startServer();
    const ann = await server.connect();
    await server.join(ann, 'private', { passcode: PASSCODE });
    const guesser = await server.connect();
    for (let i = 0; i < 5; i++) {
      assert.equal((await refusal(server, guesser, { passcode: `guess ${i}` })).code, 'WRONG_PASSCODE');
    }
    // The server counts in whole seconds, so how long a wait has left depends on when in its second
    // a try lands: the guesser keeps guessing, waiting as long as each refusal says, until the wait
    // it is told leaves seconds to spare (the sixth failure waits 2 s, the seventh 4, the eighth 8).
    let waitSeconds = 0;
    for (let i = 5; i < 20 && waitSeconds < 5; i++) {
      const answer = await refusal(server, guesser, { passcode: `guess ${i}` });
      if (answer.code === 'WRONG_PASSCODE') {
        assert.match(answer.message, /the next try must wait \d+ seconds?/);
        continue;
      }
      assert.equal(answer.code, 'TOO_MANY_ATTEMPTS');
      waitSeconds = Number(/try again in (\d+) seconds?/.exec(answer.message)[1]);
      if (waitSeconds < 5) await new Promise((resolve) => setTimeout(resolve, waitSeconds * 1000 + 50));
    }
    assert.ok(waitSeconds >= 5, `told to wait ${waitSeconds} s`);
    // Even the right passcode, from a new connection of the same address, waits.
    const again = await server.connect();
    const waiting = await refusal(server, again, { passcode: PASSCODE });
    assert.equal(waiting.code, 'TOO_MANY_ATTEMPTS');
    // Every wrong passcode was counted, one log line each: at least the eight it takes to be told
    // to wait 8 s.
    const wrong = (l) => handlerLine(l)?.event === 'passcode_refused' && handlerLine(l).outcome === 'wrong';
    await server.waitForNthLog(wrong, 8, 5000);
    // (Sorted: in Lambda mode, lines from several function processes may interleave.)
    const counted = server.logs.filter(wrong).map((l) => handlerLine(l).failures).sort((a, b) => a - b);
    assert.deepEqual(counted, counted.map((_, i) => i + 1));
  });

  test('the passcode dies with the room', async () => {
    const server = await startServer();
    const ann = await server.connect();
    await server.join(ann, 'private', { passcode: PASSCODE });
    await server.request(ann, { action: 'leaveRoom' });
    const bob = await server.connect();
    assert.equal((await server.join(bob, 'private')).status, 200);
    assert.equal(bob.joined.hasPasscode, undefined);
  });
});

describe('locking a room', () => {
  test('a member locks it: both are told, a newcomer is refused; unlocked, it comes in', async () => {
    const server = await startServer();
    const ann = await server.connect();
    const bob = await server.connect();
    await server.join(ann, 'r');
    await server.join(bob, 'r');
    await ann.next();  // newParticipant
    assert.equal((await server.request(bob, { action: 'lockRoom', roomId: 'r', locked: true })).status, 200);
    const told = { type: 'roomLocked', roomId: 'r', locked: true, by: bob.id };
    assert.deepEqual(await ann.next(), told);
    assert.deepEqual(await bob.next(), told);

    const cy = await server.connect();
    const refused = await server.join(cy, 'r');
    assert.equal(refused.status, 423);
    assert.equal((await cy.next()).code, 'ROOM_LOCKED');
    await server.expectNothingPending(ann);

    await server.request(ann, { action: 'lockRoom', roomId: 'r', locked: false });
    assert.equal((await bob.next()).locked, false);
    assert.equal((await server.join(cy, 'r')).status, 200);
    assert.equal(cy.joined.locked, undefined);
  });

  test('someone outside the room cannot lock it', async () => {
    const server = await startServer();
    const ann = await server.connect();
    await server.join(ann, 'r');
    const mallory = await server.connect();
    const route = await server.request(mallory, { action: 'lockRoom', roomId: 'r', locked: true });
    assert.equal(route.status, 400);
    assert.equal((await mallory.next()).code, 'NOT_IN_ROOM');
    await server.expectNothingPending(ann);
  });
});

// videochat-local with --store dynamodb: the same handlers on the DynamoDB store the Lambda
// handlers use, against dynalite, with the table created at start from the deployment's definition.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, test } from 'node:test';

import { cleanup, startDynalite, startServer } from './harness.mjs';

afterEach(cleanup);

async function startWithDynamoDb(args = []) {
  const env = await startDynalite();
  const server = await startServer(['--store', 'dynamodb', ...args], { env, timeoutMs: 15000 });
  return server;
}

describe('--store dynamodb', () => {
  test('creates its table at start and says so', async () => {
    const server = await startWithDynamoDb();
    const store = await server.waitForLog((l) => l.event === 'store');
    assert.equal(store.kind, 'dynamodb');
    assert.equal(store.table, 'videochat');
    assert.equal(store.tableCreated, true);
  });

  test('runs the tutorial walkthrough: join, newParticipant, relay, disconnect', async () => {
    const server = await startWithDynamoDb();
    const first = await server.connect();
    const second = await server.connect();

    assert.equal((await server.join(first, '123')).status, 200);
    assert.equal((await server.join(second, '123')).status, 200);
    assert.deepEqual(await first.next(),
                     { type: 'newParticipant', participantConnectionId: second.id });

    second.send({ action: 'sendMsgToRoom', roomId: '123', message: 'hello world!' });
    assert.equal(await first.nextText(), 'hello world!');

    second.ws.close();
    assert.deepEqual(await first.next(5000), {
      type: 'participantLeft', participantConnectionId: second.id, reason: 'disconnected',
    });
  });

  test('refuses a sender that is not in the room, from the table', async () => {
    const server = await startWithDynamoDb();
    const outsider = await server.connect();
    outsider.send({ action: 'sendMsgToRoom', roomId: 'nowhere', message: 'hi' });
    const error = await outsider.next(5000);
    assert.equal(error.code, 'NOT_IN_ROOM');
  });

  test('a room at --room-capacity refuses the next joiner with ROOM_FULL', async () => {
    const server = await startWithDynamoDb(['--room-capacity', '2']);
    const [a, b, c] = [await server.connect(), await server.connect(), await server.connect()];
    await server.join(a, 'pair');
    await server.join(b, 'pair');
    assert.equal((await a.next()).type, 'newParticipant');

    assert.equal((await server.join(c, 'pair', {}, 5000)).status, 409);
    const refusal = await c.next();
    assert.equal(refusal.code, 'ROOM_FULL');
    assert.match(refusal.message, /full \(2 people\)/);
  });

  test('fails to start, saying why, when the table cannot be reached', () => {
    const result = spawnSync(process.env.VIDEOCHAT_LOCAL, ['--port', '0', '--store', 'dynamodb'], {
      env: { AWS_REGION: 'us-east-1', VIDEOCHAT_TABLE: 't',
             AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'a',
             AWS_SECRET_ACCESS_KEY: 'b' },
      encoding: 'utf8', timeout: 30000,
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /--store dynamodb: /);
    assert.match(result.stdout, /"event":"startup_failed"/);
  });
});

// The local @connections management API, which answers as API Gateway's does: POST delivers,
// GET describes, DELETE disconnects, and a connection that is not there is Gone.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';

import { cleanup, rawHttp, startServer, uniqueMarker } from './harness.mjs';

afterEach(cleanup);

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// A well-formed id (11 random bytes, base64url, padded) that was never issued.
const NEVER_ISSUED = 'AAAAAAAAAAAAAA=';

function assertGone(response) {
  assert.equal(response.status, 410);
  assert.equal(response.headers.get('x-amzn-errortype'), 'GoneException');
}

// Resolves once the wall clock has passed `epochMs`: waiting for time itself, not for an event.
async function clockPast(epochMs) {
  while (Date.now() <= epochMs) {
    await new Promise((resolve) => setTimeout(resolve, epochMs + 1 - Date.now()));
  }
}

describe('POST @connections/{id}', () => {
  test('delivers the body verbatim to the connection as one text frame', async () => {
    const server = await startServer();
    const client = await server.connect();
    const body = '{"type":"custom"} — not necessarily JSON, ünïcödé included\n';

    const response = await server.postToConnection(client.id, body);

    assert.equal(response.status, 200);
    assert.deepEqual(await client.nextFrame(), { text: body, isBinary: false });
  });

  test('delivers posts to one connection in the order they were made', async () => {
    const server = await startServer();
    const client = await server.connect();

    for (const n of [1, 2, 3]) {
      assert.equal((await server.postToConnection(client.id, `#${n}`)).status, 200);
    }

    assert.deepEqual([await client.nextText(), await client.nextText(), await client.nextText()],
                     ['#1', '#2', '#3']);
  });

  test('accepts a body of exactly 131072 bytes', async () => {
    const server = await startServer();
    const client = await server.connect();
    const body = 'y'.repeat(131072);

    assert.equal((await server.postToConnection(client.id, body)).status, 200);

    assert.equal((await client.nextText()).length, 131072);
  });

  test('refuses data that is not UTF-8 with 400, delivering nothing, and the member stays',
       async () => {
    const server = await startServer();
    const client = await server.connect();

    const response = await server.postToConnection(client.id, Buffer.from([0xff, 0x7b, 0x7d]));

    assert.equal(response.status, 400);
    assert.equal(response.headers.get('x-amzn-errortype'), 'BadRequestException');
    assert.match(JSON.parse(response.text).message, /not valid UTF-8/);
    // A browser would have dropped the connection (1007) on such a text frame; nothing was sent.
    assert.equal((await server.postToConnection(client.id, 'still here')).status, 200);
    assert.equal(await client.nextText(), 'still here');
  });

  test('refuses a body over 131072 bytes with 413 PayloadTooLargeException, delivering nothing',
       async () => {
    const server = await startServer();
    const client = await server.connect();

    const response = await server.postToConnection(client.id, 'z'.repeat(131073));

    assert.equal(response.status, 413);
    assert.equal(response.headers.get('x-amzn-errortype'), 'PayloadTooLargeException');
    assert.ok(client.isOpen);
    await server.expectNothingPending(client);
  });

  test('answers 410 GoneException for an id that was never issued', async () => {
    const server = await startServer();

    assertGone(await server.postToConnection(NEVER_ISSUED, 'anyone?'));
  });

  test('answers 410 GoneException for a connection that has closed', async () => {
    const server = await startServer();
    const client = await server.connect();
    client.close();
    await server.waitForDisconnect(client.id);

    assertGone(await server.postToConnection(client.id, 'too late'));
  });

  test('finds a connection by its id whether "=" is percent-encoded or literal', async () => {
    const server = await startServer();
    const client = await server.connect();
    assert.match(client.id, /=/, 'ids are padded base64url, so they end in "="');
    const literal = `${server.managementApi}/${client.id}`;

    const response = await fetch(literal, { method: 'POST', body: 'literal' });

    assert.equal(response.status, 200);
    assert.equal(await client.nextText(), 'literal');
  });
});

describe('GET @connections/{id}', () => {
  test('describes the connection: connectedAt, identity and lastActiveAt', async () => {
    const server = await startServer();
    const before = Date.now();
    const client = await server.connect({ headers: { 'User-Agent': 'integration-test/1.0' } });
    const after = Date.now();

    const response = await server.getConnection(client.id);

    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^application\/json/);
    const info = JSON.parse(response.text);
    assert.deepEqual(Object.keys(info).sort(), ['connectedAt', 'identity', 'lastActiveAt']);
    assert.match(info.connectedAt, ISO_MS);
    assert.match(info.lastActiveAt, ISO_MS);
    const connectedAt = Date.parse(info.connectedAt);
    assert.ok(connectedAt >= before - 1 && connectedAt <= after + 1,
              `connectedAt ${info.connectedAt} lies within the handshake`);
    assert.deepEqual(info.identity, { sourceIp: '127.0.0.1', userAgent: 'integration-test/1.0' });
  });

  test('lastActiveAt moves forward when the connection sends a message', async () => {
    const server = await startServer();
    const client = await server.connect();
    const first = JSON.parse((await server.getConnection(client.id)).text);
    await clockPast(Date.parse(first.lastActiveAt));

    const sentAfter = Date.now();
    await server.join(client, 'r');

    const second = JSON.parse((await server.getConnection(client.id)).text);
    assert.equal(second.connectedAt, first.connectedAt);
    assert.ok(Date.parse(second.lastActiveAt) >= sentAfter,
              `lastActiveAt ${second.lastActiveAt} is not before the message was sent`);
  });

  test('answers 410 GoneException for an id that was never issued', async () => {
    const server = await startServer();

    assertGone(await server.getConnection(NEVER_ISSUED));
  });
});

describe('DELETE @connections/{id}', () => {
  test('answers 204 and closes the connection with code 1000', async () => {
    const server = await startServer();
    const client = await server.connect();

    const response = await server.deleteConnection(client.id);

    assert.equal(response.status, 204);
    assert.equal((await client.waitClose()).code, 1000);
    const disconnect = await server.waitForDisconnect(client.id);
    assert.equal(disconnect.status, 200);
  });

  test('a deleted connection\'s room-mate is told it disconnected', async () => {
    const server = await startServer();
    const a = await server.connect();
    const b = await server.connect();
    await server.join(a, 'r');
    await server.join(b, 'r');
    assert.equal((await a.next()).type, 'newParticipant');

    await server.deleteConnection(b.id);

    assert.deepEqual(await a.next(), {
      type: 'participantLeft', participantConnectionId: b.id, reason: 'disconnected',
    });
  });

  test('frames posted before the DELETE are delivered before the close', async () => {
    const server = await startServer();
    const client = await server.connect();
    const marker = uniqueMarker('last-words');

    await server.postToConnection(client.id, marker);
    await server.deleteConnection(client.id);

    assert.equal(await client.nextText(), marker);
    assert.equal((await client.waitClose()).code, 1000);
  });

  test('a deleted connection is Gone to GET and POST at once', async () => {
    const server = await startServer();
    const client = await server.connect();

    await server.deleteConnection(client.id);

    assertGone(await server.getConnection(client.id));
    assertGone(await server.postToConnection(client.id, 'hello?'));
  });

  test('answers 410 GoneException for an id that was never issued', async () => {
    const server = await startServer();

    assertGone(await server.deleteConnection(NEVER_ISSUED));
  });
});

describe('without --management-credentials, only programs on this machine', () => {
  const post = (server, id, headers) =>
    rawHttp(server.port, { method: 'POST', target: `/production/@connections/${encodeURIComponent(id)}`,
                           headers: { 'Content-Length': '0', ...headers } });

  test('a web page\'s request (it has an Origin) is refused with 403, delivering nothing',
       async () => {
    const server = await startServer();
    const client = await server.connect();

    const response = await post(server, client.id, { Origin: 'https://evil.example' });

    assert.equal(response.status, 403);
    assert.equal(response.headers['x-amzn-errortype'], 'ForbiddenException');
    assert.match(JSON.parse(response.body).message, /Origin/);
    await server.expectNothingPending(client);
  });

  test('a request for another host name (DNS rebinding) is refused with 403', async () => {
    const server = await startServer();
    const client = await server.connect();

    const response = await post(server, client.id, { Host: `rebound.example:${server.port}` });

    assert.equal(response.status, 403);
    assert.match(JSON.parse(response.body).message, /rebound\.example/);
    await server.expectNothingPending(client);
  });

  test('listening on :: (IPv4-mapped peers), a loopback client is answered', async () => {
    const server = await startServer(['--host', '::']);
    const client = await server.connect();
    assert.match(server.managementApi, /^http:\/\/\[::1\]:/, 'announced at a reachable address');

    const response = await fetch(
        `http://127.0.0.1:${server.port}/production/@connections/${encodeURIComponent(client.id)}`,
        { method: 'POST', body: 'hello' });

    assert.equal(response.status, 200, await response.text());
    assert.equal(await client.nextText(), 'hello');
  });
});

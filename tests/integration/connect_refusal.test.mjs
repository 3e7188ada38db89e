// Which WebSocket handshakes the server accepts: the $connect route's Origin check (as a failing
// $connect refuses the handshake on API Gateway) and the path of the API.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';

import { cleanup, connect, rawHttp, startServer } from './harness.mjs';

afterEach(cleanup);

const GOOD = 'https://chat.example.org';

async function refusal(url, options) {
  const error = await connect(url, options).then(
      () => assert.fail('the handshake was accepted'), (e) => e);
  assert.ok(error.status, `expected an HTTP refusal, got: ${error.message}`);
  return error;
}

describe('--allowed-origin', () => {
  test('a handshake from another Origin is refused with HTTP 403', async () => {
    const server = await startServer(['--allowed-origin', GOOD]);

    const error = await refusal(server.signalingUrl, { origin: 'https://evil.example.com' });

    assert.equal(error.status, 403);
    const refused = await server.waitForLog((l) => l.event === 'connect_refused');
    assert.equal(refused.origin, 'https://evil.example.com');
    const route = await server.waitForLog((l) => l.event === 'route' && l.route === '$connect');
    assert.equal(route.status, 403);
  });

  test('a handshake without an Origin is refused with HTTP 403', async () => {
    const server = await startServer(['--allowed-origin', GOOD]);

    const error = await refusal(server.signalingUrl, {});

    assert.equal(error.status, 403);
  });

  test('a handshake from the allowed Origin is accepted and can join a room', async () => {
    const server = await startServer(['--allowed-origin', GOOD]);

    const client = await server.connect({ origin: GOOD });

    assert.equal((await server.join(client, 'r')).status, 200);
  });

  test('every Origin of a comma list is allowed', async () => {
    const server = await startServer(['--allowed-origin', `${GOOD},http://localhost:8080`]);

    await server.connect({ origin: GOOD });
    await server.connect({ origin: 'http://localhost:8080' });
  });

  test('a refused handshake never runs $disconnect', async () => {
    const server = await startServer(['--allowed-origin', GOOD]);
    await refusal(server.signalingUrl, { origin: 'https://evil.example.com' });
    const refusedId = (await server.waitForLog((l) => l.event === 'connect_refused')).connectionId;

    // Ordering, not waiting for absence: a later connection's $disconnect is logged after any
    // $disconnect the refused one could have run.
    const later = await server.connect({ origin: GOOD });
    later.close();
    await server.waitForDisconnect(later.id);

    assert.deepEqual(server.routeLines(refusedId, '$disconnect'), []);
  });

  test('a listed server still admits its own pages', async () => {
    const server = await startServer(['--allowed-origin', GOOD]);

    await server.connect({ origin: server.http });
  });
});

describe('without --allowed-origin', () => {
  test('the server\'s own pages connect, and so do clients that are no browser', async () => {
    const server = await startServer();

    await server.connect({ origin: server.http });
    await server.connect({ origin: `http://localhost:${server.port}`,
                           headers: { Host: `localhost:${server.port}` } });
    await server.connect();
  });

  test('a page of another site is refused with 403, and the log says which origin', async () => {
    const server = await startServer();

    const error = await refusal(server.signalingUrl, { origin: 'https://anywhere.example.net' });

    assert.equal(error.status, 403);
    const refused = await server.waitForLog((l) => l.event === 'connect_refused');
    assert.equal(refused.origin, 'https://anywhere.example.net');
    assert.match(refused.reason, /--allowed-origin/);
    // Same host, another port: another server's page.
    assert.equal((await refusal(server.signalingUrl,
                                { origin: `http://127.0.0.1:${server.port + 1}` })).status, 403);
  });

  test('--allowed-origin \'*\' admits every page', async () => {
    const server = await startServer(['--allowed-origin', '*']);

    await server.connect({ origin: 'https://anywhere.example.net' });
  });
});

describe('the API path', () => {
  test('a WebSocket upgrade at a path other than the stage is refused with HTTP 404', async () => {
    const server = await startServer();

    const error = await refusal(`ws://127.0.0.1:${server.port}/elsewhere`);

    assert.equal(error.status, 404);
    assert.match(error.body, /\/production/, 'the refusal says where the API is');
  });

  test('the WebSocket API lives at --stage', async () => {
    const server = await startServer(['--stage', 'dev']);

    assert.equal(server.signalingUrl, `ws://127.0.0.1:${server.port}/dev`);
    await server.connect();
    const error = await refusal(`ws://127.0.0.1:${server.port}/production`);
    assert.equal(error.status, 404);
  });

  test('a plain GET of the API path answers 426 Upgrade Required', async () => {
    const server = await startServer();

    const response = await rawHttp(server.port, { target: '/production' });

    assert.equal(response.status, 426);
  });
});

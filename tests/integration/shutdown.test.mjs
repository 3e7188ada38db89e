// A clean shutdown on SIGTERM (and SIGINT): every WebSocket is closed with 1001, every connection
// runs its $disconnect, and the process exits 0.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';

import { cleanup, startServer } from './harness.mjs';

afterEach(cleanup);

async function roomOfThree(server) {
  const clients = [];
  for (let i = 0; i < 3; i++) {
    const client = await server.connect();
    assert.equal((await server.join(client, 'r')).status, 200);
    clients.push(client);
  }
  return clients;
}

describe('SIGTERM', () => {
  test('closes every client in a room with 1001 "Going away"', async () => {
    const server = await startServer();
    const clients = await roomOfThree(server);

    const exited = server.stop('SIGTERM');

    for (const client of clients) {
      assert.deepEqual(await client.waitClose(), { code: 1001, reason: 'Going away' });
    }
    await exited;
  });

  test('runs $disconnect once for every connection', async () => {
    const server = await startServer();
    const clients = await roomOfThree(server);

    await server.stop('SIGTERM');

    for (const client of clients) {
      const disconnects = server.routeLines(client.id, '$disconnect');
      assert.equal(disconnects.length, 1, `one $disconnect for ${client.id}`);
      assert.equal(disconnects[0].status, 200);
    }
  });

  test('logs shutting_down with the connection count, then stopped, and exits 0', async () => {
    const server = await startServer();
    const clients = await roomOfThree(server);

    const exit = await server.stop('SIGTERM');

    assert.deepEqual(exit, { code: 0, signal: null });
    const events = server.logs.map((l) => l.event);
    const shuttingDown = events.indexOf('shutting_down');
    assert.ok(shuttingDown >= 0, 'shutting_down was logged');
    assert.equal(server.logs[shuttingDown].signal, 'SIGTERM');
    assert.equal(server.logs[shuttingDown].connections, clients.length);
    assert.equal(events.at(-1), 'stopped');
    // Every $disconnect ran before the server said it had stopped.
    const lastDisconnect = events.findLastIndex(
        (e, i) => e === 'route' && server.logs[i].route === '$disconnect');
    assert.ok(shuttingDown < lastDisconnect && lastDisconnect < events.length - 1);
  });

  test('with no clients, exits 0 at once', async () => {
    const server = await startServer();

    assert.deepEqual(await server.stop('SIGTERM', 2000), { code: 0, signal: null });
  });
});

describe('SIGINT', () => {
  test('shuts down as cleanly as SIGTERM', async () => {
    const server = await startServer();
    const [client] = await roomOfThree(server);

    const exit = await server.stop('SIGINT');

    assert.deepEqual(exit, { code: 0, signal: null });
    assert.equal((await client.waitClose()).code, 1001);
    assert.equal(server.logs.find((l) => l.event === 'shutting_down').signal, 'SIGINT');
  });
});

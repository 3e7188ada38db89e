// The WebSocket handshake as a client that does not wait: its first frame in the same segment as
// the upgrade request is read, not dropped; a key that is no WebSocket key is refused; and a
// frame header RFC 6455 forbids is a protocol error.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, test } from 'node:test';

import { cleanup, rawHttp, startServer, withDeadline } from './harness.mjs';

afterEach(cleanup);

// A masked text frame, as a client sends it (payloads under 126 bytes).
function clientTextFrame(text) {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

function upgradeRequest(port, key = randomBytes(16).toString('base64')) {
  return [
    'GET /production HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Upgrade: websocket',
    'Connection: Upgrade', `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', '', '',
  ].join('\r\n');
}

describe('the WebSocket handshake', () => {
  test('a first frame sent in the same segment as the upgrade request is answered', async () => {
    const server = await startServer();
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.setNoDelay(true);
    // One write: the request and a ping frame right behind it.
    socket.write(Buffer.concat([Buffer.from(upgradeRequest(server.port)),
                                clientTextFrame('{"action":"ping"}')]));
    const pong = Buffer.from('{"type":"pong"}');
    let received = Buffer.alloc(0);
    const answered = new Promise((resolve) => {
      socket.on('data', (chunk) => {
        received = Buffer.concat([received, chunk]);
        if (received.includes(pong)) resolve();
      });
    });
    await withDeadline(answered, 5000, 'the pong to a frame sent with the upgrade request');
    assert.match(received.toString('latin1'), /^HTTP\/1\.1 101 /);
    const frameAt = received.indexOf(pong) - 2;
    assert.deepEqual([...received.subarray(frameAt, frameAt + 2)], [0x81, pong.length],
                     'an unmasked text frame from the server');
    socket.destroy();
  });

  test('a Sec-WebSocket-Key that is not 16 bytes in base64 is refused with 400', async () => {
    const server = await startServer();
    for (const key of ['not-a-key', Buffer.alloc(15).toString('base64'),
                       Buffer.alloc(17).toString('base64')]) {
      const response = await rawHttp(server.port, {
        target: '/production',
        headers: { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': key,
                   'Sec-WebSocket-Version': '13' },
      });
      assert.equal(response.status, 400, key);
      assert.match(response.body, /16 bytes in base64/);
    }
    assert.deepEqual(server.logs.filter((l) => l.event === 'route'), [], 'no route ran');
  });
});

describe('frame headers', () => {
  test('a 64-bit payload length with its top bit set is closed with 1002, not 1009', async () => {
    const server = await startServer();
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = Buffer.alloc(0);
    socket.on('data', (chunk) => { received = Buffer.concat([received, chunk]); });
    const ended = new Promise((resolve) => socket.on('close', resolve));
    socket.write(upgradeRequest(server.port));
    const upgraded = await server.waitForLog(
        (l) => l.event === 'route' && l.route === '$connect' && l.status === 200, 5000);
    // A masked text frame claiming 2^63 + 16 bytes.
    socket.write(Buffer.from([0x81, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0x10, 1, 2, 3, 4]));
    await withDeadline(ended, 5000, 'the server to close the connection');
    const close = Buffer.from([0x88, 0x02, 0x03, 0xea]);
    assert.ok(received.includes(close), `a close frame with 1002 in ${received.toString('hex')}`);
    const closed = await server.waitForLog(
        (l) => l.event === 'connection_closed' && l.connectionId === upgraded.connectionId, 5000);
    assert.equal(closed.code, 1002);
    assert.match(closed.reason, /most significant bit/);
  });
});

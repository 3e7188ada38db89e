// The tutorial's walkthrough: two clients join room 123, say hello, and one leaves. First with
// `ws` clients, then with the real wscat CLI the tutorial tells people to use.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';

import {
  DEFAULT_TIMEOUT_MS, REPO_ROOT, cleanup, startServer, track, uniqueMarker, withDeadline,
} from './harness.mjs';

afterEach(cleanup);

const join123 = { action: 'joinRoom', roomId: '123' };
const hello = { action: 'sendMsgToRoom', roomId: '123', message: 'hello world!' };

// Two connected clients, both in room 123, the first already told of the second.
async function twoInRoom(server) {
  const first = await server.connect();
  const second = await server.connect();
  assert.equal((await server.join(first, '123')).status, 200);
  assert.equal((await server.join(second, '123')).status, 200);
  assert.deepEqual(await first.next(),
                   { type: 'newParticipant', participantConnectionId: second.id });
  return { first, second };
}

describe('the walkthrough with WebSocket clients', () => {
  test('the first member of room 123 is told of the second, by the second one\'s id', async () => {
    const server = await startServer();
    const first = await server.connect();
    const second = await server.connect();
    assert.notEqual(first.id, second.id);

    await server.join(first, '123');
    await server.join(second, '123');

    assert.deepEqual(await first.next(),
                     { type: 'newParticipant', participantConnectionId: second.id });
  });

  test('the newcomer itself is not told about anyone already in the room', async () => {
    const server = await startServer();
    const { second } = await twoInRoom(server);

    await server.expectNothingPending(second);
  });

  test('"hello world!" reaches the other member verbatim as the frame text', async () => {
    const server = await startServer();
    const { first, second } = await twoInRoom(server);

    assert.equal((await server.request(second, hello)).status, 200);

    const frame = await first.nextFrame();
    assert.deepEqual(frame, { text: 'hello world!', isBinary: false });
  });

  test('the sender of "hello world!" does not get its own message back', async () => {
    const server = await startServer();
    const { first, second } = await twoInRoom(server);

    await server.request(second, hello);
    assert.equal(await first.nextText(), 'hello world!');

    await server.expectNothingPending(second);
  });

  test('when a member disconnects, the other is told it left with reason "disconnected"',
       async () => {
    const server = await startServer();
    const { first, second } = await twoInRoom(server);

    second.close();

    assert.deepEqual(await first.next(), {
      type: 'participantLeft', participantConnectionId: second.id, reason: 'disconnected',
    });
    const disconnect = await server.waitForDisconnect(second.id);
    assert.equal(disconnect.status, 200);
  });

  test('after a member has gone, messages to the room are not posted to it', async () => {
    const server = await startServer();
    const { first, second } = await twoInRoom(server);
    second.close();
    await server.waitForDisconnect(second.id);
    assert.equal((await first.next()).type, 'participantLeft');

    const route = await server.request(first, hello);

    assert.equal(route.status, 200);
    // A post to a connection that is gone logs connection_gone before the route line is written.
    assert.deepEqual(server.logs.filter((l) => l.event === 'connection_gone'), []);
    await server.expectNothingPending(first);
  });
});

// wscat reading lines from a pipe: it sends each line once connected and prints each message it
// receives on a line of its own (after a "> " prompt when it has just prompted).
class Wscat {
  constructor(url) {
    this.child = track(spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules/.bin/wscat'),
                                                '-c', url],
                             { stdio: ['pipe', 'pipe', 'pipe'] }));
    this.lines = [];
    this.stderr = '';
    this.listeners = new Set();
    let pending = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk) => {
      pending += chunk;
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        this.lines.push(pending.slice(0, newline).replace(/^(> )+/, ''));
        pending = pending.slice(newline + 1);
      }
      for (const listener of this.listeners) listener();
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  // Resolves with the next printed line.
  nextLine(timeoutMs = DEFAULT_TIMEOUT_MS) {
    const line = new Promise((resolve) => {
      const listener = () => {
        if (this.lines.length === 0) return;
        this.listeners.delete(listener);
        resolve(this.lines.shift());
      };
      this.listeners.add(listener);
      listener();
    });
    return withDeadline(line, timeoutMs, `a line from wscat (stderr: ${this.stderr})`);
  }

  writeLine(text) {
    this.child.stdin.write(text + '\n');
  }
}

// Starts wscat against `server` and resolves once it is connected and reading its input: wscat
// ignores lines typed before its connection opens, so a marker posted to it must come back first.
async function startWscat(server) {
  const from = server.logs.length;
  const wscat = new Wscat(server.signalingUrl);
  const connected = await server.waitForLog(
      (l) => l.event === 'route' && l.route === '$connect' && l.status === 200,
      DEFAULT_TIMEOUT_MS, { from });
  wscat.id = connected.connectionId;
  // The connection is registered for posts just after its $connect route returns (a post during
  // $connect itself is Gone, as on API Gateway), so the first post may still see 410: poll.
  const marker = uniqueMarker('wscat-ready');
  const deadline = Date.now() + DEFAULT_TIMEOUT_MS;
  while ((await server.postToConnection(wscat.id, marker)).status !== 200) {
    assert.ok(Date.now() < deadline, `wscat's connection ${wscat.id} never accepted a post`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(await wscat.nextLine(5000), marker);
  return wscat;
}

describe('the walkthrough with the wscat CLI', () => {
  test('two wscat sessions join room 123 and the first is told of the second', async () => {
    const server = await startServer();
    const first = await startWscat(server);
    const second = await startWscat(server);

    first.writeLine(JSON.stringify(join123));
    // Protocol v2 tells every joiner it joined; a tutorial client just prints it.
    assert.deepEqual(JSON.parse(await first.nextLine()), {
      type: 'joined', roomId: '123', connectionId: first.id, capacity: 6, participants: [],
    });
    second.writeLine(JSON.stringify(join123));
    assert.deepEqual(JSON.parse(await second.nextLine()).participants,
                     [{ participantConnectionId: first.id }]);

    assert.deepEqual(JSON.parse(await first.nextLine()),
                     { type: 'newParticipant', participantConnectionId: second.id });
  });

  test('"hello world!" typed into one wscat is printed by the other only', async () => {
    const server = await startServer();
    const first = await startWscat(server);
    const second = await startWscat(server);
    first.writeLine(JSON.stringify(join123));
    assert.equal(JSON.parse(await first.nextLine()).type, 'joined');
    second.writeLine(JSON.stringify(join123));
    assert.equal(JSON.parse(await second.nextLine()).type, 'joined');
    assert.equal(JSON.parse(await first.nextLine()).type, 'newParticipant');

    second.writeLine(JSON.stringify(hello));

    assert.equal(await first.nextLine(), 'hello world!');
    const routed = await server.waitForLog(
        (l) => l.route === 'sendMsgToRoom' && l.connectionId === second.id);
    assert.equal(routed.status, 200);
    const marker = uniqueMarker('after-hello');
    await server.postToConnection(second.id, marker);
    assert.equal(await second.nextLine(), marker);
  });

  test('closing one wscat\'s input disconnects it and the other prints participantLeft',
       async () => {
    const server = await startServer();
    const first = await startWscat(server);
    const second = await startWscat(server);
    first.writeLine(JSON.stringify(join123));
    assert.equal(JSON.parse(await first.nextLine()).type, 'joined');
    second.writeLine(JSON.stringify(join123));
    assert.equal(JSON.parse(await second.nextLine()).type, 'joined');
    assert.equal(JSON.parse(await first.nextLine()).type, 'newParticipant');

    second.child.stdin.end();

    assert.deepEqual(JSON.parse(await first.nextLine()), {
      type: 'participantLeft', participantConnectionId: second.id, reason: 'disconnected',
    });
    assert.equal(await withDeadline(second.exited, DEFAULT_TIMEOUT_MS, 'wscat to exit'), 0);
  });
});

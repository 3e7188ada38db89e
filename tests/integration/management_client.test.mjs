// The handlers' own @connections client (lambdas/aws/management_api_client: SigV4 by our signer,
// HTTP by libcurl) against a real videochat-local that demands signatures, as a Lambda would use
// it: through videochat-connections (tests/tools/connections_cli.cpp). Its relay command runs the
// route handlers themselves with this client as their ConnectionsApi.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';

import { REPO_ROOT, cleanup, startServer } from './harness.mjs';

afterEach(cleanup);

const KEY_ID = 'AKIDLOCALTEST';
const SECRET = 'local-secret/with+odd=chars';
// A well-formed id (11 random bytes, base64url, padded) that was never issued.
const NEVER_ISSUED = 'AAAAAAAAAAAAAAA=';

function cliPath() {
  const fromEnv = process.env.VIDEOCHAT_CONNECTIONS;
  if (fromEnv) return path.resolve(REPO_ROOT, fromEnv);
  const built = path.join(REPO_ROOT, 'build/native/tests/videochat-connections');
  if (existsSync(built)) return built;
  throw new Error(`set VIDEOCHAT_CONNECTIONS to the videochat-connections binary (none at ${built})`);
}

// Runs `videochat-connections COMMAND --endpoint <server>/production ...args`, signing with
// `secret`; resolves with {code, stdout, stderr} whatever the exit status.
function connections(server, command, args, { secret = SECRET } = {}) {
  const env = {
    PATH: '/usr/bin:/bin', AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: secret,
    AWS_REGION: 'us-east-1',
  };
  const argv = [command, '--endpoint', `${server.http}/production`, ...args];
  return new Promise((resolve) => {
    execFile(cliPath(), argv, { env, timeout: 10000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

function startSigningServer() {
  return startServer(['--management-credentials', `${KEY_ID}:${SECRET}`]);
}

describe('ManagementApiClient against videochat-local with --management-credentials', () => {
  test('a post signed with the right key is delivered verbatim', async () => {
    const server = await startSigningServer();
    const client = await server.connect();
    const data = '{"type":"offer","sdp":"v=0\\r\\n"} — ünïcödé, spaces & symbols %2F =\n';

    const result = await connections(server, 'post', ['--connection', client.id, '--data', data]);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'ok\n');
    assert.deepEqual(await client.nextFrame(), { text: data, isBinary: false });
  });

  test('an id with "=" and "-" or "_" is percent-encoded in the path and signed as sent',
       async () => {
    const server = await startSigningServer();
    // Ids are random (base64url): connect until one holds "-" or "_" (each id does with p≈0.38).
    let client;
    for (let attempt = 0; attempt < 64 && !client; attempt++) {
      const candidate = await server.connect();
      if (/[-_]/.test(candidate.id)) client = candidate;
      else candidate.close();
    }
    assert.ok(client, 'no connection id with "-" or "_" in 64 connections');
    assert.match(client.id, /=/);

    const result = await connections(server, 'post',
                                     ['--connection', client.id, '--data', `to ${client.id}`]);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'ok\n');
    assert.equal(await client.nextText(), `to ${client.id}`);
  });

  test('delete closes the connection with code 1000; a post after it is gone', async () => {
    const server = await startSigningServer();
    const client = await server.connect();

    const result = await connections(server, 'delete', ['--connection', client.id]);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'ok\n');
    assert.equal((await client.waitClose()).code, 1000);
    await server.waitForDisconnect(client.id);
    const after = await connections(server, 'post', ['--connection', client.id, '--data', 'late']);
    assert.equal(after.code, 3, after.stderr);
    assert.equal(after.stdout, 'gone\n');
  });

  test('a post to an id never issued answers gone (exit 3)', async () => {
    const server = await startSigningServer();

    const result = await connections(server, 'post',
                                     ['--connection', NEVER_ISSUED, '--data', 'anyone?']);

    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stdout, 'gone\n');
  });

  test('a post signed with a wrong secret answers failed (exit 4) and delivers nothing',
       async () => {
    const server = await startSigningServer();
    const client = await server.connect();

    const forged = await connections(server, 'post',
                                     ['--connection', client.id, '--data', 'forged'],
                                     { secret: 'not-the-secret' });

    assert.equal(forged.code, 4, forged.stderr);
    assert.equal(forged.stdout, 'failed\n');
    assert.match(forged.stderr, /"status":403/);
    assert.match(forged.stderr, /InvalidSignatureException/);
    // Nothing was delivered: the next frame is the one the right key sends.
    const genuine = await connections(server, 'post',
                                      ['--connection', client.id, '--data', 'genuine']);
    assert.equal(genuine.code, 0, genuine.stderr);
    assert.equal(await client.nextText(), 'genuine');
  });
});

describe('the route handlers over HTTP, with ManagementApiClient as their ConnectionsApi', () => {
  test('sendMsgToRoom from one live client reaches the others, from spliced in, and not the sender',
       async () => {
    const server = await startSigningServer();
    const sender = await server.connect();
    const first = await server.connect();
    const second = await server.connect();
    const message = '{"type":"candidate","candidate":"a=candidate:1 1 udp 2122260223 …"}';

    const result = await connections(server, 'relay', [
      '--room', 'room-42', '--from', sender.id, '--to', first.id, '--to', second.id,
      '--message', message,
    ]);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'ok\n');
    // What joinRoom posted (each joiner is told it joined, each member hears of those who join
    // after it), then the relay: a JSON object, so it arrives with the sender spliced in.
    const newParticipant = (id) => ({ type: 'newParticipant', participantConnectionId: id });
    const relayed = { ...JSON.parse(message), from: sender.id };
    assert.equal((await first.next()).type, 'joined');
    assert.deepEqual(await first.next(), newParticipant(second.id));
    assert.deepEqual(await first.next(), newParticipant(sender.id));
    assert.deepEqual(await first.next(), relayed);
    assert.equal((await second.next()).type, 'joined');
    assert.deepEqual(await second.next(), newParticipant(sender.id));
    assert.deepEqual(await second.next(), relayed);
    // The sender got only its joined: the next frame it receives is a marker posted now.
    assert.deepEqual((await sender.next()).participants.map((p) => p.participantConnectionId),
                     [first.id, second.id]);
    const marker = await connections(server, 'post',
                                     ['--connection', sender.id, '--data', 'marker']);
    assert.equal(marker.code, 0, marker.stderr);
    assert.equal(await sender.nextText(), 'marker');
    // Every route the handlers ran answered 200.
    const routes = result.stderr.trim().split('\n').map((line) => JSON.parse(line))
        .filter((line) => line.event === 'route');
    assert.equal(routes.length, 7);
    assert.ok(routes.every((line) => line.status === 200), result.stderr);
  });
});

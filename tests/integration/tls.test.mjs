// HTTPS and WSS on videochat-local's one port (--tls-cert/--tls-key): the page, config.json and
// the WebSocket API over TLS; plain requests on that port sent to https://; a bad handshake
// (garbage, a name the certificate does not cover, an old TLS version) ends that connection only.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { after, afterEach, before, describe, test } from 'node:test';

import {
  DEFAULT_TIMEOUT_MS, REPO_ROOT, cleanup, connect, rawHttp, startLambdaServer, startServer,
  uniqueMarker, withDeadline,
} from './harness.mjs';

afterEach(cleanup);

let folder;
const files = {};

// A certificate (and its key) made with the openssl command, valid for a day.
function makeCertificate(name, subjectAltName) {
  const key = path.join(folder, `${name}-key.pem`);
  const cert = path.join(folder, `${name}.pem`);
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
                '-days', '1', '-subj', `/CN=${name}`, '-keyout', key, '-out', cert];
  if (subjectAltName) args.push('-addext', `subjectAltName=${subjectAltName}`);
  execFileSync('openssl', args, { stdio: 'ignore' });
  return { cert, key };
}

before(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'videochat-tls-'));
  files.local = makeCertificate('localhost', 'DNS:localhost,IP:127.0.0.1');
  files.other = makeCertificate('other', 'DNS:other.example');
  files.noNames = makeCertificate('nonames', '');
});
after(() => rmSync(folder, { recursive: true, force: true }));

const tlsArgs = () => ['--tls-cert', files.local.cert, '--tls-key', files.local.key];
const trusted = () => ({ ca: [readFileSync(files.local.cert)] });

// GET over HTTPS, trusting only the test's certificate.
function httpsGet(url, options = {}) {
  const response = new Promise((resolve, reject) => {
    https.get(url, { ...trusted(), ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    }).on('error', reject);
  });
  return withDeadline(response, DEFAULT_TIMEOUT_MS, `GET ${url}`);
}

// Resolves once the server has closed `socket` (its end or close), with the bytes it sent.
function closedBy(socket, what) {
  const chunks = [];
  socket.on('data', (chunk) => chunks.push(chunk));
  const closed = new Promise((resolve) => {
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.on('error', () => {});
  });
  return withDeadline(closed, 5000, `the server to close ${what}`);
}

// A TLS handshake that must fail: resolves with the client's error.
function failedHandshake(port, options) {
  const failed = new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ...trusted(), ...options }, () => {
      socket.destroy();
      reject(new Error('the handshake succeeded'));
    });
    socket.on('error', resolve);
  });
  return withDeadline(failed, 5000, 'the handshake to fail');
}

// Two WebSocket clients in one room over wss://; resolves once a marker sent by one reached the
// other.
async function relayOverWss(server, clients, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const [alice, bob] = clients;
  const marker = uniqueMarker('wss');
  alice.send({ action: 'sendMsgToRoom', roomId: 'tls-room', message: marker });
  const frame = await bob.nextText(timeoutMs);
  assert.ok(frame.includes(marker), `Bob got ${frame}`);
}

async function wssPair(server, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const alice = await server.connect(trusted());
  const bob = await server.connect(trusted());
  assert.equal((await server.join(alice, 'tls-room', {}, timeoutMs)).status, 200);
  assert.equal((await server.join(bob, 'tls-room', {}, timeoutMs)).status, 200);
  await alice.take((frame) => frame.type === 'newParticipant', timeoutMs, 'Bob\'s arrival');
  return [alice, bob];
}

describe('TLS on the one port', () => {
  test('the page, config.json (advertising wss://) and the WebSocket API are served over TLS',
       async () => {
    const server = await startServer(tlsArgs());
    assert.equal(server.url, `https://127.0.0.1:${server.port}/`);
    assert.equal(server.signalingUrl, `wss://127.0.0.1:${server.port}/production`);
    const tlsLine = server.logs.find((line) => line.event === 'tls');
    assert.deepEqual(tlsLine.names, ['localhost', '127.0.0.1']);
    assert.equal(tlsLine.versions, 'TLSv1.3');

    const page = await httpsGet(`https://127.0.0.1:${server.port}/`);
    assert.equal(page.status, 200);
    assert.match(page.body, /videochat test page/);
    const config = JSON.parse((await httpsGet(`https://localhost:${server.port}/config.json`)).body);
    assert.equal(config.signalingUrl, `wss://localhost:${server.port}/production`);

    await relayOverWss(server, await wssPair(server));
  });

  test('listening on every interface, it names the addresses a phone on the network can open',
       async () => {
    const server = await startServer(['--host', '0.0.0.0', ...tlsArgs()]);
    const listening = server.logs.find((line) => line.event === 'listening');
    const expected = Object.values(networkInterfaces()).flat()
      .filter((entry) => entry.family === 'IPv4' && !entry.internal)
      .map((entry) => `https://${entry.address}:${server.port}/`);
    assert.deepEqual([...listening.lanUrls].sort(), expected.sort());
    assert.equal(listening.url, `https://127.0.0.1:${server.port}/`);
    // Listening on loopback only, there is nothing to name.
    const local = await startServer(tlsArgs());
    assert.deepEqual(local.logs.find((line) => line.event === 'listening').lanUrls, []);
  });

  test('plain HTTP on the TLS port is sent to https://; ws:// is told to use wss://', async () => {
    const server = await startServer(tlsArgs());
    const page = await rawHttp(server.port, { target: '/?room=team' });
    assert.equal(page.status, 301);
    assert.equal(page.headers.location, `https://127.0.0.1:${server.port}/?room=team`);
    await assert.rejects(connect(`ws://127.0.0.1:${server.port}/production`), (error) => {
      assert.equal(error.status, 400);
      assert.match(error.body, /wss:\/\//);
      return true;
    });
    // The management API still answers plain HTTP on the loopback interface (the Lambda mode's
    // function processes call it so).
    const client = await server.connect(trusted());
    const info = await server.getConnection(client.id);
    assert.equal(info.status, 200, info.text);
  });

  test('garbage, a foreign server name and TLS 1.2 end their own connection, nothing else',
       async () => {
    const server = await startServer(tlsArgs());
    const pair = await wssPair(server);

    // A name the certificate does not cover: refused in the handshake, and the log says which.
    const foreign = await failedHandshake(server.port, { servername: 'evil.example' });
    assert.match(foreign.code ?? foreign.message, /UNRECOGNIZED_NAME|unrecognized name/i);
    const line = await server.waitForLog((l) => l.event === 'tls_handshake_failed');
    assert.equal(line.serverName, 'evil.example');
    assert.match(line.error, /evil\.example/);

    // TLS 1.2: refused (TLS 1.3 only).
    const old = await failedHandshake(server.port, { servername: 'localhost', maxVersion: 'TLSv1.2' });
    assert.match(old.code ?? old.message, /VERSION|protocol/i);

    // Bytes that start like a TLS record and then are nonsense.
    const record = net.connect(server.port, '127.0.0.1', () => {
      record.write(Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0x40]),
                                  Buffer.alloc(0x40, 0xa5)]));
    });
    await closedBy(record, 'a connection that sent a bogus TLS record');
    // Bytes that are neither TLS nor HTTP: a 400, then the connection ends.
    const garbage = net.connect(server.port, '127.0.0.1', () => {
      garbage.write(Buffer.from('\x01\x02GARBAGE \xff\xfe\r\n\r\n', 'latin1'));
    });
    const answer = (await closedBy(garbage, 'a connection that sent garbage')).toString('latin1');
    assert.match(answer, /^HTTP\/1\.1 400/);

    // Nothing else noticed.
    for (const client of pair) assert.ok(client.isOpen, 'the call\'s connections are still open');
    await relayOverWss(server, pair);
    assert.equal((await httpsGet(`https://127.0.0.1:${server.port}/healthz`)).status, 200);
  });

  test('in Lambda mode the function processes reach the management API on the TLS port',
       async () => {
    // They post to http://127.0.0.1:PORT/production/@connections, as the relay of a message does.
    const server = await startLambdaServer(tlsArgs());
    await relayOverWss(server, await wssPair(server, 15000), 15000);
  });

  test('bad TLS files stop the server with the reason', () => {
    const binary = path.resolve(REPO_ROOT,
                                process.env.VIDEOCHAT_LOCAL || 'build/native/local/videochat-local');
    const missing = path.join(folder, 'missing.pem');
    writeFileSync(path.join(folder, 'not-pem.pem'), 'not a certificate\n');
    for (const [args, status, reason] of [
      [['--tls-cert', files.local.cert], 2, '--tls-cert needs its private key: --tls-key'],
      [['--tls-key', files.local.key], 2, '--tls-key needs its certificate: --tls-cert'],
      [['--tls-cert', missing, '--tls-key', files.local.key], 1,
       `cannot read ${missing}: No such file or directory`],
      [['--tls-cert', path.join(folder, 'not-pem.pem'), '--tls-key', files.local.key], 1,
       'no PEM certificate in'],
      [['--tls-cert', files.local.cert, '--tls-key', files.other.key], 1,
       `the key in ${files.other.key} does not belong to the certificate in ${files.local.cert}`],
      [['--tls-cert', files.noNames.cert, '--tls-key', files.noNames.key], 1,
       'names no host (no subjectAltName)'],
    ]) {
      const run = spawnSync(binary, ['--port', '0', ...args], { encoding: 'utf8', timeout: 10000 });
      assert.equal(run.status, status, `${args.join(' ')}: ${run.stderr}`);
      assert.ok(run.stderr.includes(reason), `${args.join(' ')}: ${run.stderr}`);
    }
  });
});

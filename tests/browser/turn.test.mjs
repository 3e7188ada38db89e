// Calls through a TURN relay: coturn (Debian's) started here with a secret made for the run,
// videochat-local minting short-lived credentials from the same secret (--turn-url,
// --turn-secret-file), and pages forced onto the relay by config.json's iceTransportPolicy
// (--ice-transport-policy relay).
// Everything stays on loopback: the test allows the relay loopback peers, as production must not.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cleanup, startServer } from '../integration/harness.mjs';
import { SITE, launchBrowser, openClient, trustCertificate, waitForState } from './browser.mjs';

// Keeps the page's RTCPeerConnections (for getStats and the credentials they hold) and the
// errors of their candidate gathering. With `forge`, every TURN credential the page is given is
// replaced by a wrong one.
function watchConnections(forge) {
  window.testConnections = [];
  window.testIceErrors = [];
  const Native = window.RTCPeerConnection;
  const forged = (config) => ({ ...config, iceServers: (config.iceServers || []).map((server) => (
    server.credential ? { ...server, credential: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' } : server)) });
  window.RTCPeerConnection = function RTCPeerConnection(config) {
    const pc = new Native(forge ? forged(config) : config);
    pc.addEventListener('icecandidateerror', (event) => window.testIceErrors.push(event.errorCode));
    window.testConnections.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
}

// The pair each open connection uses: its local and remote candidates' types, and how the local
// (relayed) candidate reaches the relay (udp, tcp or tls).
const selectedPairStats = (page) => page.evaluate(() => Promise.all(window.testConnections
    .filter((pc) => pc.connectionState === 'connected').map(async (pc) => {
      const stats = await pc.getStats();
      let pair = null;
      stats.forEach((entry) => {
        if (entry.type === 'transport' && entry.selectedCandidatePairId) {
          pair = stats.get(entry.selectedCandidatePairId);
        }
      });
      if (!pair) return null;
      const local = stats.get(pair.localCandidateId);
      return { types: [local.candidateType, stats.get(pair.remoteCandidateId).candidateType],
               relayProtocol: local.relayProtocol };
    })));
const selectedPairs = async (page) => (await selectedPairStats(page)).map((pair) => pair?.types ?? null);
const relayProtocols = async (page) =>
  (await selectedPairStats(page)).map((pair) => pair?.relayProtocol ?? null);

const freePort = () => new Promise((resolve, reject) => {
  const probe = createServer();
  probe.on('error', reject);
  probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

// coturn with the TURN REST API secret, on loopback: UDP and TCP on one port, TLS on another
// (with a certificate made here); its log is kept for the assertions.
async function startCoturn(dir, secret) {
  const port = await freePort();
  const tlsPort = await freePort();
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
                           '-nodes', '-days', '1', '-subj', '/CN=localhost',
                           '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
                           '-keyout', path.join(dir, 'relay-key.pem'),
                           '-out', path.join(dir, 'relay.pem')], { stdio: 'ignore' });
  const relay = spawn('turnserver', [
    '-n', `--listening-ip=127.0.0.1`, `--listening-port=${port}`, `--tls-listening-port=${tlsPort}`,
    `--cert=${path.join(dir, 'relay.pem')}`, `--pkey=${path.join(dir, 'relay-key.pem')}`,
    '--relay-ip=127.0.0.1',
    '--min-port=49152', '--max-port=49352', '--use-auth-secret', `--static-auth-secret=${secret}`,
    '--realm=videochat.test', '--allow-loopback-peers', '--no-multicast-peers',
    '--no-dtls', '--no-cli', '--fingerprint', '--log-file=stdout', '--simple-log', '--verbose',
    `--pidfile=${path.join(dir, 'turnserver.pid')}`, `--userdb=${path.join(dir, 'turndb')}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  relay.log = '';
  relay.stdout.on('data', (chunk) => { relay.log += chunk; });
  relay.stderr.on('data', (chunk) => { relay.log += chunk; });
  const deadline = Date.now() + 20000;
  while (!/listener opened on/i.test(relay.log)) {
    if (relay.exitCode !== null || Date.now() > deadline) {
      throw new Error(`coturn did not start:\n${relay.log.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  relay.port = port;
  relay.tlsPort = tlsPort;
  relay.certificate = path.join(dir, 'relay.pem');
  return relay;
}

const flowing = (s) => s.peers.length === 1 && s.peers[0].state === 'connected' &&
                       s.peers[0].framesDecoded > 10 && s.peers[0].audioPacketsReceived > 10;

// Ann and Bob, their connections watched, join `room` one after the other; resolves with their
// pages once video and audio flow both ways. `query`: the pages' own URL parameters.
async function relayedCall(browser, server, room, query = '') {
  const page = `${server.http}/${query}`;
  const ann = await openClient(browser, page, 'ann', { initScript: [watchConnections, false] });
  const bob = await openClient(browser, page, 'bob', { initScript: [watchConnections, false] });
  await ann.evaluate((r) => window.videochat.join(r, 'Ann'), room);
  await waitForState(ann, (s) => s.ownConnectionId !== null, 'ann in the room');
  await bob.evaluate((r) => window.videochat.join(r, 'Bob'), room);
  await Promise.all([waitForState(ann, flowing, 'video and audio from bob', 40000),
                     waitForState(bob, flowing, 'video and audio from ann', 40000)]);
  return [ann, bob];
}

describe('calls through a TURN relay with short-lived credentials', () => {
  const secret = randomBytes(24).toString('base64');
  let dir, relay, server, browser;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'videochat-turn-'));
    relay = await startCoturn(dir, secret);
    writeFileSync(path.join(dir, 'turn-secret'), `${secret}\n`);
    server = await startServer(['--web-root', SITE,
                                '--turn-url', `turn:127.0.0.1:${relay.port}?transport=udp`,
                                '--turn-secret-file', path.join(dir, 'turn-secret'),
                                '--ice-transport-policy', 'relay']);
    // Chromium checks a TURN server's certificate as it checks a web site's.
    browser = await launchBrowser([trustCertificate(relay.certificate)]);
  });
  after(async () => {
    await browser?.close();
    await cleanup();
    relay?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('two pages on the relay only: media flows both ways through it, under their peerIds',
       async () => {
    const [ann, bob] = await relayedCall(browser, server, 'turn-call');

    for (const page of [ann, bob]) {
      const pairs = await selectedPairs(page);
      assert.deepEqual(pairs, [['relay', 'relay']], `${page.label}'s selected pair is relayed`);
      assert.equal((await page.evaluate(() => window.videochat.state())).relayRefused, null,
                   `${page.label} reports no refusal`);
    }
    // coturn names the allocations' users: expiry:peerId, for both pages, and never the secret.
    const peerIds = await Promise.all([ann, bob].map((page) => page.evaluate(
        () => window.videochat.state().peerId)));
    for (const peerId of peerIds) {
      assert.match(relay.log, new RegExp(`user <\\d{10}:${peerId}>: .*ALLOCATE processed, success`),
                   `an allocation by ${peerId}`);
    }
    assert.ok(!relay.log.includes(secret), 'the relay never logs the secret');
    await Promise.all([ann, bob].map((page) => page.context().close()));
  });

  test('credentials are renewed before they expire: an ICE restart after the first expired '
       + 'allocates with fresh ones, and the call goes on', async () => {
    // A server of its own whose credentials live 8 s: the client renews them after 6.
    const shortLived = await startServer(['--web-root', SITE,
                                          '--turn-url', `turn:127.0.0.1:${relay.port}?transport=udp`,
                                          '--turn-secret-file', path.join(dir, 'turn-secret'),
                                          '--turn-credential-lifetime', '8',
                                          '--ice-transport-policy', 'relay']);
    const [ann, bob] = await relayedCall(browser, shortLived, 'turn-renew');
    // The credential ann's connection holds, as the browser reports it.
    const username = () => ann.evaluate(() => window.testConnections
        .filter((pc) => pc.connectionState !== 'closed')
        .map((pc) => pc.getConfiguration().iceServers.find((server) => server.username)?.username)
        .find(Boolean));
    const first = await username();
    const firstExpiry = Number(first.split(':')[0]);
    const firstServer = await ann.evaluate((name) => window.testConnections
        .flatMap((pc) => pc.getConfiguration().iceServers)
        .find((server) => server.username === name), first);
    // Fresh credentials reach the connection, and the first ones run out.
    await ann.waitForFunction(([old, expiry]) => {
      const now = Date.now() / 1000;
      const current = window.testConnections.filter((pc) => pc.connectionState !== 'closed')
        .map((pc) => pc.getConfiguration().iceServers.find((server) => server.username)?.username)
        .find(Boolean);
      return current && current !== old && now > expiry + 1;
    }, [first, firstExpiry], { timeout: 30000, polling: 200 });
    const renewed = await username();
    assert.ok(Number(renewed.split(':')[0]) > firstExpiry, 'the renewed credential lives longer');
    // The first credential, expired, can no longer make an allocation: the relay answers 401.
    const expiredAttempt = await ann.evaluate(async ([server]) => {
      const pc = new RTCPeerConnection({ iceServers: [server], iceTransportPolicy: 'relay' });
      const outcome = new Promise((resolve) => {
        pc.addEventListener('icecandidateerror', (event) => resolve(event.errorCode));
        pc.addEventListener('icecandidate', (event) => {
          if (event.candidate?.type === 'relay') resolve('allocated');
        });
        setTimeout(() => resolve('no answer'), 15000);
      });
      pc.createDataChannel('probe');
      await pc.setLocalDescription(await pc.createOffer());
      const result = await outcome;
      pc.close();
      return result;
    }, [firstServer]);
    assert.equal(expiredAttempt, 401, 'an expired credential allocates nothing');

    const decodedBefore = (await waitForState(ann, flowing, 'video from bob')).peers[0].framesDecoded;
    await ann.evaluate(() => window.videochat.renegotiate());
    const allocated = new RegExp(`user <${renewed}>: .*ALLOCATE processed, success`);
    const deadline = Date.now() + 30000;
    while (!allocated.test(relay.log)) {
      assert.ok(Date.now() < deadline, `no allocation with ${renewed}:\n${relay.log.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await waitForState(ann, (s) => flowing(s) && s.peers[0].framesDecoded > decodedBefore + 30,
                       'video from bob after the restart', 30000);
    await Promise.all([ann, bob].map((page) => page.context().close()));
  });

  test('the relay over TCP and over TLS, for networks that let only those out', async () => {
    for (const [url, protocol] of [
      [`turn:127.0.0.1:${relay.port}?transport=tcp`, 'tcp'],
      [`turns:localhost:${relay.tlsPort}?transport=tcp`, 'tls'],
    ]) {
      // config.json does not force the relay here: the pages' ?iceTransportPolicy=relay does.
      const only = await startServer(['--web-root', SITE, '--turn-url', url,
                                      '--turn-secret-file', path.join(dir, 'turn-secret')]);
      const pages = await relayedCall(browser, only, `turn-${protocol}`, '?iceTransportPolicy=relay');
      for (const page of pages) {
        assert.deepEqual(await selectedPairs(page), [['relay', 'relay']], `${page.label} via ${url}`);
        assert.deepEqual(await relayProtocols(page), [protocol], `${page.label} reaches it by ${protocol}`);
      }
      await Promise.all(pages.map((page) => page.context().close()));
    }
  });

  test('a forged credential is refused by the relay: the page gets no relayed path, and says so',
       async () => {
    const eve = await openClient(browser, `${server.http}/`, 'eve', { initScript: [watchConnections, true] });
    const cat = await openClient(browser, `${server.http}/`, 'cat', { initScript: [watchConnections, false] });
    await cat.evaluate(() => window.videochat.join('turn-forged', 'Cat'));
    await waitForState(cat, (s) => s.ownConnectionId !== null, 'cat in the room');
    await eve.evaluate(() => window.videochat.join('turn-forged', 'Eve'));
    // The browser reports the relay's refusal as an ICE candidate error with STUN's 401.
    await eve.waitForFunction(() => window.testIceErrors.includes(401), null, { timeout: 30000 });
    const eveState = await waitForState(eve, (s) => s.peers.length === 1 && s.relayRefused,
                                        'eve sees cat, and the refusal');
    assert.notEqual(eveState.peers[0].state, 'connected', 'no path without the relay');
    assert.equal(eveState.relayRefused.code, 401);
    assert.match(eveState.relayRefused.url, /^turn:127\.0\.0\.1:\d+\?transport=udp$/);
    // In words, where a person (or a screen reader, through the participants list) looks.
    await eve.getByRole('list', { name: 'Participants' })
      .getByText('Cat, Cannot connect: the relay refused our credentials').waitFor({ timeout: 10000 });
    // The page with good credentials says nothing of the kind.
    assert.equal((await cat.evaluate(() => window.videochat.state())).relayRefused, null);
    const evePeerId = await eve.evaluate(() => window.videochat.state().peerId);
    assert.match(relay.log, new RegExp(`user <\\d{10}:${evePeerId}>: incoming packet message processed, error 401`),
                 'the relay refused the forged credential');
    await Promise.all([eve, cat].map((page) => page.context().close()));
  });
});

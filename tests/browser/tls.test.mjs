// The local stack over TLS, as a phone on the LAN uses it: the page over https:// and signaling
// over wss:// on the one port (--tls-cert/--tls-key), with a certificate made for the test that
// this browser trusts (by its public key's hash) and nothing else.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cleanup, startServer } from '../integration/harness.mjs';
import { SITE, launchBrowser, openClient, trustCertificate, waitForState } from './browser.mjs';

const flowing = (s) => s.peers.length === 1 && s.peers[0].state === 'connected' &&
                       s.peers[0].framesDecoded > 10 && s.peers[0].audioPacketsReceived > 10;

describe('a call over HTTPS and WSS', () => {
  let dir, server, browser;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'videochat-tls-call-'));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
                             '-nodes', '-days', '1', '-subj', '/CN=videochat test',
                             '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
                 { stdio: 'ignore' });
    server = await startServer(['--web-root', SITE, '--tls-cert', cert, '--tls-key', key]);
    browser = await launchBrowser([trustCertificate(cert)]);
  });
  after(async () => {
    await browser?.close();
    await cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('two pages loaded over https:// signal over wss:// and get video and audio both ways',
       async () => {
    assert.match(server.url, /^https:\/\//);
    const ann = await openClient(browser, server.url, 'ann');
    const bob = await openClient(browser, server.url, 'bob');
    for (const page of [ann, bob]) {
      const config = await page.evaluate(async () => (await fetch('/config.json')).json());
      assert.equal(config.signalingUrl, server.signalingUrl);
      assert.equal(await page.evaluate(() => location.protocol), 'https:');
    }
    await ann.evaluate(() => window.videochat.join('tls-call', 'Ann'));
    await waitForState(ann, (s) => s.ownConnectionId !== null, 'ann in the room');
    await bob.evaluate(() => window.videochat.join('tls-call', 'Bob'));
    await Promise.all([waitForState(ann, flowing, 'video and audio from bob', 40000),
                       waitForState(bob, flowing, 'video and audio from ann', 40000)]);
    assert.ok(!server.logs.some((line) => line.event === 'tls_handshake_failed'),
              'no handshake failed');
    await Promise.all([ann, bob].map((page) => page.context().close()));
  });
});

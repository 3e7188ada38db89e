// Firefox ESR (Debian's) and Chromium in one call, through the real client and videochat-local.
// Firefox is driven by puppeteer-core over WebDriver BiDi, with fake media from its preferences,
// and shown on an Xvfb display of its own: headless Firefox finds no GL driver and the client
// needs WebGL2 (Xvfb gives it Mesa's llvmpipe). Firefox gathers no ICE candidates with loopback
// alone, so the test namespace has a veth pair with private addresses (scripts/test.sh) that
// reaches nothing outside it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { after, before, describe, test } from 'node:test';
import puppeteer from 'puppeteer-core';

import { cleanup, startServer } from '../integration/harness.mjs';
import { SITE, launchBrowser, openClient, waitForState } from './browser.mjs';

const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';

// An X server for Firefox alone; resolves with it and its display (":N").
function startXvfb() {
  return new Promise((resolve, reject) => {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
                       { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let errors = '';
    xvfb.stdio[2].on('data', (chunk) => { errors += chunk; });
    xvfb.stdio[3].once('data', (chunk) => resolve({ xvfb, display: `:${String(chunk).trim()}` }));
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${errors}`)));
    xvfb.once('error', reject);
  });
}

// The client in a Firefox page, ready like openClient's: module started, camera and microphone in.
async function openFirefoxClient(firefox, url, label, { initScript } = {}) {
  const page = await firefox.newPage();
  if (initScript) await page.evaluateOnNewDocument(initScript);
  page.label = label;
  page.consoleLines = [];
  page.on('console', (message) => page.consoleLines.push(`${label}: ${message.text()}`));
  page.on('pageerror', (error) => page.consoleLines.push(`${label} error: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.videochat && window.videochat.ready(), { timeout: 60000 });
  await waitForState(page, (s) => !s.media.pending, `${label}: camera and microphone`);
  return page;
}

const flowing = (s) => s.peers.length === 1 && s.peers[0].state === 'connected' &&
                       s.peers[0].framesDecoded > 10 && s.peers[0].audioPacketsReceived > 10;
const meshFlowing = (s) => s.peers.length === 2 && s.peers.every((peer) =>
  peer.state === 'connected' && peer.framesDecoded > 10 && peer.audioPacketsReceived > 10);

// The camera asked for at 320x240, 15 fps, whatever the client asks: three pages' encoders and
// decoders have to fit on two cores.
function smallCamera() {
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints) => getUserMedia(constraints && constraints.video
    ? { ...constraints, video: { width: 320, height: 240, frameRate: 15 } } : constraints);
}

describe('Firefox and Chromium in one call', () => {
  let server, chromium, firefox, display;

  before(async () => {
    const routable = Object.entries(networkInterfaces())
      .some(([, addresses]) => addresses.some((a) => a.family === 'IPv4' && !a.internal));
    assert.ok(routable, 'Firefox gathers no ICE candidates with loopback alone: run the tests in ' +
                        'the namespace scripts/test.sh makes (a veth pair with private addresses)');
    server = await startServer(['--web-root', SITE]);
    chromium = await launchBrowser();
    display = await startXvfb();
    firefox = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: false,
      env: { ...process.env, DISPLAY: display.display },
      extraPrefsFirefox: {
        'media.navigator.streams.fake': true,
        'media.navigator.permission.disabled': true,
        // Nothing beyond the test's namespace to reach, and nothing to wait for.
        'app.update.enabled': false,
        'browser.shell.checkDefaultBrowser': false,
      },
    });
  });
  after(async () => {
    await firefox?.close();
    await chromium?.close();
    display?.xvfb.kill();
    await cleanup();
  });

  for (const firstIn of ['firefox', 'chromium']) {
    test(`${firstIn} joins first: each decodes the other's video and receives its audio`,
         async () => {
      const room = `firefox-${firstIn}-first`;
      const fox = await openFirefoxClient(firefox, `${server.http}/`, 'firefox');
      const chrome = await openClient(chromium, `${server.http}/`, 'chromium');
      const [first, second] = firstIn === 'firefox' ? [fox, chrome] : [chrome, fox];
      assert.equal(await first.evaluate((r) => window.videochat.join(r, 'First'), room), null);
      await waitForState(first, (s) => s.ownConnectionId !== null, `${first.label} in the room`);
      assert.equal(await second.evaluate((r) => window.videochat.join(r, 'Second'), room), null);
      await Promise.all([waitForState(fox, flowing, 'firefox gets video and audio', 60000),
                         waitForState(chrome, flowing, 'chromium gets video and audio', 60000)]);
      // Still coming a moment later: not a first frame and then nothing.
      const seen = (await waitForState(fox, flowing, 'firefox')).peers[0].framesDecoded;
      await waitForState(fox, (s) => flowing(s) && s.peers[0].framesDecoded > seen + 20,
                         'firefox keeps decoding', 30000);
      await fox.close();
      await chrome.context().close();
    });
  }

  test('a mesh of two Chromiums and one Firefox: every page gets video and audio from both others',
       async () => {
    const room = 'firefox-mesh';
    const fox = await openFirefoxClient(firefox, `${server.http}/`, 'firefox',
                                        { initScript: smallCamera });
    const ann = await openClient(chromium, `${server.http}/`, 'ann', { initScript: smallCamera });
    const bob = await openClient(chromium, `${server.http}/`, 'bob', { initScript: smallCamera });
    for (const [page, name] of [[ann, 'Ann'], [fox, 'Fox'], [bob, 'Bob']]) {
      assert.equal(await page.evaluate(([r, n]) => window.videochat.join(r, n), [room, name]), null);
      await waitForState(page, (s) => s.ownConnectionId !== null, `${page.label} in the room`);
    }
    await Promise.all([fox, ann, bob].map((page) => waitForState(
        page, meshFlowing, `${page.label} gets video and audio from both others`, 90000)));
    await fox.close();
    await Promise.all([ann, bob].map((page) => page.context().close()));
  });
});

// Debian's Chromium driven by playwright-core, set up for WebRTC on loopback: fake camera and
// microphone, camera and microphone granted (without a recorded grant Chromium gathers no ICE
// candidates), and no throttling of pages that are not in front.
import { X509Certificate, createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

import { REPO_ROOT, cleanup, startServer } from '../integration/harness.mjs';

export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
export const SITE = process.env.VIDEOCHAT_SITE || path.join(REPO_ROOT, 'build/site');

// For a suite: videochat-local on the built site (with `serverArgs`) and one browser, started
// before its tests and stopped after them. Their handles fill the returned object.
export function serverAndBrowser(serverArgs = []) {
  const stack = { server: null, browser: null };
  before(async () => {
    stack.server = await startServer(['--web-root', SITE, ...serverArgs]);
    stack.browser = await launchBrowser();
  });
  after(async () => {
    await stack.browser?.close();
    await cleanup();
  });
  return stack;
}

// `extraArgs`: more Chromium switches (e.g. a file for the fake microphone).
export async function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      '--allow-loopback-in-peer-connection', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      '--disable-renderer-backgrounding', '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows', ...extraArgs,
    ],
  });
}

// The Chromium switch that has it trust the certificate in `certFile` (PEM) and no other
// untrusted one: by the SHA-256 of its public key. For the tests' own HTTPS and TURN-over-TLS.
export function trustCertificate(certFile) {
  const spki = new X509Certificate(readFileSync(certFile)).publicKey
    .export({ type: 'spki', format: 'der' });
  return `--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`;
}

// Every page openClient opened and not yet closed: a test that times out on one page shows what the
// others said too (a call that does not connect is often explained on the other side).
const openPages = new Set();

// A page of the client in its own browser context (its own camera grant and storage), with its
// console kept for the failure report.
// `initScript`, when given, runs in the page before its own scripts (a function, or a function and
// its argument in an array); `device` overrides the
// context's viewport and device (a phone: isMobile, hasTouch, deviceScaleFactor).
export async function openClient(browser, url, label, { initScript, device = {} } = {}) {
  const context = await browser.newContext({
    permissions: ['camera', 'microphone'],
    viewport: { width: 1000, height: 700 },
    ...device,
  });
  // A function, or [function, argument].
  if (initScript) await context.addInitScript(...[].concat(initScript));
  const page = await context.newPage();
  page.consoleLines = [];
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
  page.on('console', (message) => {
    // Software GL's performance notes say nothing about the client.
    if (!message.text().startsWith('[.WebGL-')) page.consoleLines.push(`${label}: ${message.text()}`);
  });
  page.on('pageerror', (error) => page.consoleLines.push(`${label} error: ${error.message}`));
  await page.goto(url);
  // Generous: on a busy machine with other pages in a call, the module takes a while to start.
  await page.waitForFunction(() => window.videochat && window.videochat.ready(), null,
                             { timeout: 60000 });
  page.label = label;
  // A person waits for the camera preview before using the form; so do the tests.
  const ready = await waitForState(page, (s) => !s.media.pending, 'camera and microphone');
  // ...and for the form itself: a key pressed before the lobby's controls are on the page has
  // nothing to act on (a busy machine draws them a few frames after the module is ready).
  if (ready.screen === 'lobby') await page.locator('#ui-join').waitFor({ timeout: 20000 });
  return page;
}

export const state = (page) => page.evaluate(() => window.videochat.state());

// Waits until `predicate(state)` holds on the page, polling its state; fails with the last state.
export async function waitForState(page, predicate, what, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await state(page);
    if (predicate(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const others = [...openPages].filter((other) => other !== page)
    .map((other) => other.consoleLines.slice(-12).join('\n'));
  throw new Error(`${page.label}: timed out waiting for ${what}; last state ${JSON.stringify(last)}\n` +
                  [page.consoleLines.slice(-20).join('\n'), ...others].join('\n--\n'));
}

// Clicks the middle of a control where the client says it drew it (its ui() rectangles).
export async function clickControl(page, name) {
  const rect = await page.waitForFunction((control) => window.videochat.ui()[control], name,
                                          { timeout: 10000 });
  const { x, y, width, height } = await rect.jsonValue();
  await page.mouse.click(x + width / 2, y + height / 2);
}

// Clicks a text field and waits until the client reports that it has the keyboard focus: what is
// typed before then may still go to the field that had it.
export async function focusControl(page, name) {
  await clickControl(page, name);
  await page.waitForFunction((control) => window.videochat.ui()[control]?.focused, name,
                             { timeout: 10000 });
}

// Waits until the picture of element `id` is above the UI's canvas (nothing of the UI over it: the
// browser composites the video alone) or under it (a name or a dialog is drawn over it), as the
// client placed it.
export async function waitForPictureLayer(page, id, above, what) {
  await page.waitForFunction(([elementId, wanted]) => {
    const element = document.getElementById(elementId);
    const canvas = document.getElementById('canvas');
    if (!element || element.hidden) return false;
    const z = (node) => Number(getComputedStyle(node).zIndex) || 0;
    return (z(element) > z(canvas)) === wanted;
  }, [id, above], { timeout: 10000 }).catch((error) => {
    throw new Error(`${page.label}: ${what}: ${error.message}`);
  });
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

// The short 1:1 call the variant runs share (another store, handlers in Lambda processes): two
// pages join `room` through the API, reach connected and decode each other's video; then
// `whileConnected()` checks what the variant is about, and one page leaves, which the other sees.
export async function holdShortCall(browser, server, room, whileConnected = async () => {}) {
  const ann = await openClient(browser, `${server.http}/`, 'ann');
  const bob = await openClient(browser, `${server.http}/`, 'bob');
  const join = (page, name) => page.evaluate(([r, n]) => window.videochat.join(r, n), [room, name]);
  if (await join(ann, 'Ann') !== null) throw new Error('ann could not join');
  await waitForState(ann, (s) => s.ownConnectionId !== null && s.room === room, 'ann in');
  if (await join(bob, 'Bob') !== null) throw new Error('bob could not join');

  const flowing = (s) => s.peers.length === 1 && s.peers[0].state === 'connected' &&
                         s.peers[0].framesDecoded > 10;
  await Promise.all([waitForState(ann, flowing, 'video from bob'),
                     waitForState(bob, flowing, 'video from ann')]);
  await whileConnected();

  await bob.evaluate(() => window.videochat.leave());
  await waitForState(ann, (s) => s.peers.length === 0, 'ann alone');
}

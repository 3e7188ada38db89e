// Choosing the camera, microphone and speaker, through the real client in Chromium with three
// fake cameras (the second is a depth camera whose track stops encoding once sent, so the tests
// switch between the first and the third): the choice is kept for the next visit, and switching
// during a call replaces the track in the connection, with no renegotiation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { cleanup, startServer } from '../integration/harness.mjs';
import { SITE, clickControl, launchBrowser, openClient, screenshot, state, waitForState }
  from './browser.mjs';

const ROOM = 'e2e-devices';

// Every RTCPeerConnection the page makes, and every description it sets: a renegotiation would
// show as one more.
const COUNT_NEGOTIATION = `
  const Original = RTCPeerConnection;
  window.connections = [];
  window.localDescriptions = 0;
  window.RTCPeerConnection = function (...args) {
    const connection = new Original(...args);
    window.connections.push(connection);
    return connection;
  };
  window.RTCPeerConnection.prototype = Original.prototype;
  window.RTCPeerConnection.generateCertificate = Original.generateCertificate.bind(Original);
  const setLocal = Original.prototype.setLocalDescription;
  Original.prototype.setLocalDescription = function (...args) {
    window.localDescriptions++;
    return setLocal.apply(this, args);
  };
`;

// The mean green of the picture the element shows, over a few frames: the fake cameras draw on
// backgrounds of different greens.
const meanGreen = (page, selector) => page.evaluate(async (css) => {
  const video = document.querySelector(css);
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 48;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let total = 0;
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => video.requestVideoFrameCallback(resolve));
    context.drawImage(video, 0, 0, 64, 48);
    const pixels = context.getImageData(0, 0, 64, 48).data;
    for (let p = 1; p < pixels.length; p += 4) total += pixels[p];
  }
  return total / (5 * 64 * 48);
}, selector);

const senderLabel = (page, kind) => page.evaluate((wanted) => window.connections
  .flatMap((connection) => connection.getSenders())
  .map((sender) => sender.track)
  .find((track) => track && track.kind === wanted)?.label, kind);

describe('choosing devices', () => {
  let server, browser, ann, bob;

  before(async () => {
    server = await startServer(['--web-root', SITE]);
    browser = await launchBrowser(['--use-fake-device-for-media-stream=device-count=3']);
  });
  after(async () => {
    await browser?.close();
    await cleanup();
  });

  async function pick(page, kind, label) {
    await page.waitForSelector(`#devices select[name=${kind}] option:text("${label}")`,
                               { state: 'attached' });
    await page.selectOption(`#devices select[name=${kind}]`, { label });
  }

  test('the lobby\'s Devices button lists every camera, microphone and speaker; the camera ' +
       'chosen is kept and used again at the next visit', async () => {
    ann = await openClient(browser, `${server.http}/`, 'ann', { initScript: COUNT_NEGOTIATION });
    await clickControl(ann, 'devices');
    await ann.waitForSelector('#devices:not([hidden])');
    const cameras = await ann.$$eval('#devices select[name=videoInput] option',
                                     (options) => options.map((o) => o.textContent));
    assert.deepEqual(cameras, ['fake_device_0', 'fake_device_1', 'fake_device_2']);
    assert.ok(await ann.$eval('#devices select[name=audioInput]', (s) => s.options.length) >= 1);
    await pick(ann, 'videoInput', 'fake_device_2');
    await ann.waitForFunction(() => document.getElementById('vc-local-preview').srcObject
      .getVideoTracks()[0]?.label === 'fake_device_2');
    await screenshot(ann, 'devices-ann.png');
    await ann.keyboard.press('Escape');
    await ann.waitForSelector('#devices', { state: 'hidden' });

    await ann.reload();
    await ann.waitForFunction(() => window.videochat?.ready() &&
      !window.videochat.state().media.pending);
    assert.equal(await ann.evaluate(() => document.getElementById('vc-local-preview').srcObject
      .getVideoTracks()[0].label), 'fake_device_2', 'the camera chosen last time');
    // Back to the first camera for the call.
    await clickControl(ann, 'devices');
    await pick(ann, 'videoInput', 'fake_device_0');
    await ann.keyboard.press('Escape');
  });

  test('switching the camera in a call: the same connection, no new offer, and the other side ' +
       'sees the other camera', async () => {
    assert.equal(await ann.evaluate((room) => window.videochat.join(room, 'Ann'), ROOM), null);
    await waitForState(ann, (s) => s.ownConnectionId !== null, 'ann in the room');
    bob = await openClient(browser, `${server.http}/`, 'bob', { initScript: COUNT_NEGOTIATION });
    assert.equal(await bob.evaluate((room) => window.videochat.join(room, 'Bob'), ROOM), null);
    const flowing = (s) => s.peers.length === 1 && s.peers[0].state === 'connected' &&
                           s.peers[0].negotiation === 'stable' && s.peers[0].framesDecoded > 20;
    await Promise.all([waitForState(ann, flowing, 'ann gets bob'),
                       waitForState(bob, flowing, 'bob gets ann')]);
    const annPeer = (await state(bob)).peers[0];
    const remoteVideo = `#vc-peer-${annPeer.key}`;
    const before = {
      green: await meanGreen(bob, remoteVideo),
      descriptions: [await ann.evaluate(() => window.localDescriptions),
                     await bob.evaluate(() => window.localDescriptions)],
      connections: await ann.evaluate(() => window.connections.length),
      decoded: annPeer.framesDecoded,
    };
    assert.equal(await senderLabel(ann, 'video'), 'fake_device_0');

    // From the own tile's devices button.
    await clickControl(ann, 'devices');
    await pick(ann, 'videoInput', 'fake_device_2');
    await ann.waitForFunction(() => window.connections.at(-1).getSenders()
      .some((sender) => sender.track?.label === 'fake_device_2'));
    await waitForState(bob, (s) => s.peers[0]?.framesDecoded > before.decoded + 30,
                       'frames from the other camera');
    const afterGreen = await meanGreen(bob, remoteVideo);
    assert.ok(Math.abs(afterGreen - before.green) > 12,
              `the picture comes from the other camera: green ${before.green} -> ${afterGreen}`);
    assert.deepEqual([await ann.evaluate(() => window.localDescriptions),
                      await bob.evaluate(() => window.localDescriptions)], before.descriptions,
                     'no offer or answer was made');
    assert.equal(await ann.evaluate(() => window.connections.length), before.connections);
    assert.equal(await ann.evaluate(() => window.connections.at(-1).signalingState), 'stable');
    assert.equal((await state(bob)).peers[0].key, annPeer.key, 'the same peer connection');
  });

  test('switching the microphone in a call replaces the track sent, and audio keeps coming',
       async () => {
    const before = await ann.evaluate(() => window.connections.at(-1).getSenders()
      .find((sender) => sender.track?.kind === 'audio').track.id);
    const microphones = await ann.$$eval('#devices select[name=audioInput] option',
                                         (options) => options.map((o) => o.textContent));
    await pick(ann, 'audioInput', microphones.at(-1));
    await ann.waitForFunction((old) => window.connections.at(-1).getSenders()
      .find((sender) => sender.track?.kind === 'audio')?.track.id !== old, before);
    const packets = (await state(bob)).peers[0].audioPacketsReceived;
    await waitForState(bob, (s) => s.peers[0].audioPacketsReceived > packets + 50,
                       'audio from the other microphone');
    assert.equal(await ann.evaluate(() => window.connections.at(-1).signalingState), 'stable');
  });
});

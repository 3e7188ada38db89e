// Two people video chat through the real client in Chromium, against a real videochat-local:
// joining through the lobby and through a shared link, media in both directions, muting, and
// leaving. One browser, scenarios chained, as a person would go through them.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { REPO_ROOT, cleanup, startServer } from '../integration/harness.mjs';
import { clickControl, focusControl, launchBrowser, openClient, screenshot, state, waitForState }
  from './browser.mjs';

const SITE = process.env.VIDEOCHAT_SITE || path.join(REPO_ROOT, 'build/site');
const ROOM = 'e2e-call';

const onlyPeer = (s) => s.peers.length === 1 ? s.peers[0] : undefined;

describe('a 1:1 call in the browser', () => {
  let server, browser, ann, bob;

  before(async () => {
    server = await startServer(['--web-root', SITE]);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await cleanup();
  });

  test('the first person joins a room through the lobby: typing its name and clicking Join',
       async () => {
    ann = await openClient(browser, `${server.http}/`, 'ann');
    await focusControl(ann, 'room');
    await ann.keyboard.type(ROOM);
    await focusControl(ann, 'name');
    await ann.keyboard.type('Ann');
    await clickControl(ann, 'join');

    const joined = await waitForState(ann, (s) => s.screen === 'room' && s.signaling === 'online',
                                      'ann in the room');
    assert.equal(joined.room, ROOM);
    assert.equal(joined.name, 'Ann');
    // The address follows the room once the page is idle (the join goes first).
    await ann.waitForFunction((room) => new URLSearchParams(location.search).get('room') === room,
                              ROOM);
  });

  test('the second person opens the shared link, clicks once and presses Enter', async () => {
    bob = await openClient(browser, `${server.http}/?room=${ROOM}`, 'bob');
    await bob.mouse.click(5, 5);
    await bob.keyboard.press('Enter');

    const joined = await waitForState(bob, (s) => s.screen === 'room' && s.signaling === 'online',
                                      'bob in the room');
    assert.equal(joined.room, ROOM);
  });

  test('both reach connected, and each decodes and draws the other\'s video and receives audio',
       async () => {
    const flowing = (s) => {
      const peer = onlyPeer(s);
      return peer && peer.state === 'connected' && peer.framesDecoded > 10 &&
             peer.framesDrawn > 5 && peer.audioPacketsReceived > 10;
    };
    const [annSees, bobSees] = await Promise.all([
      waitForState(ann, flowing, 'media from bob'),
      waitForState(bob, flowing, 'media from ann'),
    ]);
    // Frames keep coming and showing: the call is live, not a single frame.
    const more = (seen) => (s) => onlyPeer(s)?.framesDecoded > onlyPeer(seen).framesDecoded + 10 &&
                                  onlyPeer(s)?.framesDrawn > onlyPeer(seen).framesDrawn + 10;
    await waitForState(ann, more(annSees), 'more frames from bob');
    await waitForState(bob, more(bobSees), 'more frames from ann');
    await screenshot(ann, 'call-ann.png');
    await screenshot(bob, 'call-bob.png');
  });

  test('muting the microphone silences it for the other side while audio packets keep flowing',
       async () => {
    // Audio energy over a stretch of at least `packets` received packets.
    const energyOver = async (packets) => {
      const start = onlyPeer(await state(bob));
      const end = onlyPeer(await waitForState(
          bob, (s) => onlyPeer(s)?.audioPacketsReceived >= start.audioPacketsReceived + packets,
          `${packets} more audio packets`));
      return end.totalAudioEnergy - start.totalAudioEnergy;
    };
    assert.ok(await energyOver(50) > 0.001, 'unmuted, the fake microphone\'s beeps are heard');

    await clickControl(ann, 'microphone');
    await waitForState(ann, (s) => s.media.microphoneOn === false, 'ann muted');
    // What was already on its way (jitter buffer, and statistics read once a second) drains.
    await energyOver(150);
    assert.ok(await energyOver(100) < 0.0001, 'muted, nothing but silence arrives');

    await clickControl(ann, 'microphone');
    await waitForState(ann, (s) => s.media.microphoneOn === true, 'ann unmuted');
    await energyOver(150);
    assert.ok(await energyOver(100) > 0.001, 'unmuted again, the beeps are back');
  });

  test('when one leaves, the other\'s tile for them goes and they are back in the lobby',
       async () => {
    await clickControl(ann, 'leave');
    await waitForState(ann, (s) => s.screen === 'lobby' && s.peers.length === 0, 'ann in the lobby');
    await waitForState(bob, (s) => s.peers.length === 0, 'bob alone');
    await screenshot(bob, 'alone-bob.png');
  });

  test('when the signaling server cannot be reached, the room says so and keeps retrying',
       async () => {
    // A deployment whose config.json names a signaling URL where nothing listens.
    const unreachable = await startServer(['--web-root', SITE,
                                           '--signaling-url', 'ws://127.0.0.1:9/production']);
    const carol = await openClient(browser, `${unreachable.http}/?room=${ROOM}`, 'carol');
    assert.equal(await carol.evaluate((room) => window.videochat.join(room, 'Carol'), ROOM), null);

    const first = await waitForState(
        carol, (s) => s.screen === 'room' && s.signaling === 'retrying', 'carol retrying');
    // It tries again by itself (the attempt fails at once here), then waits to retry once more.
    await waitForState(carol, (s) => s.signaling === 'retrying' &&
                                     s.reconnectAttempts > first.reconnectAttempts,
                       'carol tried again and is retrying again');
    await screenshot(carol, 'unreachable-carol.png');
  });
});

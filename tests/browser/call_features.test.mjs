// What a call offers beyond pictures and sound, through the real client in Chromium: sharing a
// screen (Chromium's fake screen answers getDisplayMedia) and text chat peer to peer over each
// pair's data channel, with its history for someone who joins late. Three people, then a fourth,
// in one browser, scenarios chained as people would go through them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { clickControl, openClient, screenshot, serverAndBrowser, state, waitForState }
  from './browser.mjs';

const ROOM = 'e2e-features';

// The peer on `page` that is the person called `name`.
const peerNamed = (s, name) => s.peers.find((peer) => peer.name === name);
const texts = (chat) => chat.messages.map((message) => message.text);
const chatOf = (page) => page.evaluate(() => window.videochat.chat());

// Waits until `predicate(chat)` holds on the page, polling its chat; fails with the last chat.
async function waitForChat(page, predicate, what, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await chatOf(page);
    if (predicate(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${page.label}: timed out waiting for ${what}; chat ${JSON.stringify(last)}`);
}

// The size of the first video frame the element `id` shows, or null.
const frameSize = (page, id) => page.evaluate((elementId) => {
  const video = document.getElementById(elementId);
  return video && video.videoWidth ? { width: video.videoWidth, height: video.videoHeight } : null;
}, id);

describe('screen sharing and chat in a call', () => {
  const stack = serverAndBrowser();
  const people = {};

  async function join(name) {
    const page = await openClient(stack.browser, `${stack.server.http}/`, name.toLowerCase());
    assert.equal(await page.evaluate(([room, n]) => window.videochat.join(room, n), [ROOM, name]),
                 null);
    people[name] = page;
    return page;
  }

  // Everyone in `names` is connected to everyone else, and said hello on the data channel.
  async function allConnected(names) {
    await Promise.all(names.map((name) => waitForState(people[name], (s) =>
      s.peers.length === names.length - 1 &&
      s.peers.every((peer) => peer.state === 'connected' && peer.chat && peer.framesDecoded > 5),
    `${name} connected to everyone, with chat`, 40000)));
  }

  test('three people join; every pair has a data channel, and state() says they can chat',
       async () => {
    await join('Ann');
    await waitForState(people.Ann, (s) => s.ownConnectionId !== null, 'ann in the room');
    await join('Bob');
    await join('Cy');
    await allConnected(['Ann', 'Bob', 'Cy']);
    const participants = await people.Bob.evaluate(() => window.videochat.state());
    assert.ok(participants.peers.every((peer) => peer.chat));
  });

  test('Ann shares her screen from the toolbar: the others get a second, large tile with its ' +
       'frames at the screen\'s size, and her camera tile stays', async () => {
    const { Ann, Bob, Cy } = people;
    await clickControl(Ann, 'screenShare');
    await waitForState(Ann, (s) => s.screenSharing, 'ann sharing');
    const source = await Ann.evaluate(() => {
      const track = document.getElementById('vc-screen-preview').srcObject.getVideoTracks()[0];
      const { width, height } = track.getSettings();
      return { width, height, contentHint: track.contentHint };
    });
    assert.equal(source.contentHint, 'detail', 'sent as detail: text stays legible');

    for (const viewer of [Bob, Cy]) {
      const seen = await waitForState(viewer, (s) => {
        const ann = peerNamed(s, 'Ann');
        return ann && ann.screenSharing && ann.screenElement !== '';
      }, 'ann\'s screen announced and arriving');
      const element = peerNamed(seen, 'Ann').screenElement;
      // The screen arrives whole: its resolution is kept (maintain-resolution, no scaling down).
      await viewer.waitForFunction(([id, width, height]) => {
        const video = document.getElementById(id);
        return video && !video.hidden && video.videoWidth === width && video.videoHeight === height;
      }, [element, source.width, source.height], { timeout: 30000 }).catch(async (error) => {
        throw new Error(`${viewer.label}: the screen arrives at ${source.width}x${source.height}: ` +
                        `${JSON.stringify(await frameSize(viewer, element))} ${error.message}`);
      });
      // Two tiles for Ann: her screen, larger than her camera's, and her camera, still playing.
      const tiles = await viewer.evaluate((id) => {
        const box = (element) => element.getBoundingClientRect();
        const ann = window.videochat.state().peers.find((peer) => peer.name === 'Ann');
        const camera = document.getElementById(`vc-peer-${ann.key}`);
        return { screen: box(document.getElementById(id)).width, camera: box(camera).width,
                 cameraShown: !camera.hidden };
      }, element);
      assert.ok(tiles.cameraShown, 'her camera tile stays');
      assert.ok(tiles.screen > 2 * tiles.camera, `the screen's tile is the large one: ${JSON.stringify(tiles)}`);
    }
    const sender = await state(Ann);
    for (const peer of sender.peers) {
      assert.equal(peer.screenSendLimits.scaleResolutionDownBy, 1, 'the screen keeps its pixels');
      assert.ok(peer.screenSendLimits.maxBitrate > peer.sendLimits.maxBitrate,
                'the screen gets more of the uplink than the camera');
    }
    await screenshot(Bob, 'screen-share-bob.png');
  });

  test('chat: messages typed in the panel and sent through the API arrive once, in order, with ' +
       'the sender\'s name, and the closed panel counts them unread', async () => {
    const { Ann, Bob, Cy } = people;
    await clickControl(Ann, 'chat');
    await Ann.waitForFunction(() => document.activeElement?.id === 'chat-input');
    await Ann.keyboard.type('Hello, everyone');
    await Ann.keyboard.press('Enter');
    await Ann.evaluate(() => {
      for (const text of ['second', 'third — ünïcødé ✓']) {
        const why = window.videochat.sendChat(text);
        if (why !== null) throw new Error(why);
      }
    });
    const sent = ['Hello, everyone', 'second', 'third — ünïcødé ✓'];
    const annId = (await state(Ann)).peerId;
    for (const reader of [Bob, Cy]) {
      await waitForChat(reader, (chat) => chat.messages.length >= 3, 'three messages');
      const chat = await chatOf(reader);
      assert.deepEqual(texts(chat), sent, `${reader.label} gets each once, in order`);
      assert.ok(chat.messages.every((m) => m.name === 'Ann' && m.from === annId && !m.own &&
                                           m.relayedBy === null));
      assert.equal(chat.unread, 3);
      await reader.waitForFunction(() => window.videochat.ui().chat &&
                                         document.getElementById('ui-chat')?.textContent.includes('3'));
    }
    assert.deepEqual(texts(await chatOf(Ann)), sent, 'Ann sees her own messages');
    // Bob answers; opening his panel marks everything read.
    await clickControl(Bob, 'chat');
    await waitForChat(Bob, (chat) => chat.open && chat.unread === 0, 'bob read everything');
    await Bob.evaluate(() => window.videochat.sendChat('Hi Ann'));
    await waitForChat(Ann, (chat) => chat.messages.at(-1)?.text === 'Hi Ann', 'ann gets the reply');
    await waitForChat(Cy, (chat) => chat.messages.at(-1)?.text === 'Hi Ann', 'cy gets the reply');
  });

  test('a message is text: markup and links are shown as typed, never run or rendered',
       async () => {
    const { Ann, Bob } = people;
    const hostile = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">' +
                    '<b>bold</b> https://example.invalid/?q=<i>';
    await Ann.evaluate((text) => window.videochat.sendChat(text), hostile);
    await waitForChat(Bob, (chat) => chat.messages.at(-1)?.text.startsWith('<script>'),
                      'the message arrives');
    await Bob.waitForFunction((text) => [...document.querySelectorAll('#chat .text')]
      .some((element) => element.textContent === text), hostile);
    const page = await Bob.evaluate(() => ({
      pwned: window.pwned,
      markup: document.querySelectorAll('#chat .messages script, #chat .messages img, ' +
                                        '#chat .messages b, #chat .messages a').length,
    }));
    assert.deepEqual(page, { pwned: undefined, markup: 0 });
    await screenshot(Bob, 'chat-bob.png');
  });

  test('a 1 MB message is refused with a message saying why, and nobody receives it',
       async () => {
    const { Ann, Bob } = people;
    const before = (await chatOf(Bob)).messages.length;
    const why = await Ann.evaluate(() => window.videochat.sendChat('x'.repeat(1 << 20)));
    assert.match(why, /too long: 1048576 bytes, at most 4000/);
    // Through the panel too: the text stays in the field and the panel says why.
    await Ann.evaluate(() => {
      document.getElementById('chat-input').value = 'y'.repeat(5000);
    });
    await Ann.click('#chat button.send');
    await Ann.waitForFunction(() => /too long/.test(document.querySelector('#chat .problem').textContent));
    assert.equal(await Ann.evaluate(() => document.getElementById('chat-input').value.length), 5000);
    // A message sent after them arrives next: the refused ones never went out.
    await Ann.evaluate(() => window.videochat.sendChat('after the long ones'));
    await waitForChat(Bob, (chat) => chat.messages.at(-1)?.text === 'after the long ones',
                      'the next message');
    assert.equal((await chatOf(Bob)).messages.length, before + 1);
  });

  test('someone who joins later receives the history exactly once, marked as passed on',
       async () => {
    const history = texts(await chatOf(people.Ann));
    const dee = await join('Dee');
    await allConnected(['Ann', 'Bob', 'Cy', 'Dee']);
    await waitForChat(dee, (chat) => chat.messages.length >= 6, 'the history');
    // A live message after the history: by its arrival, every relayed copy has had its chance.
    await people.Cy.evaluate(() => window.videochat.sendChat('welcome, Dee'));
    await waitForChat(dee, (chat) => chat.messages.at(-1)?.text === 'welcome, Dee', 'a live one');
    const chat = await chatOf(dee);
    assert.deepEqual(texts(chat), [...history, 'welcome, Dee'], 'each message once, in order');
    const ids = chat.messages.map((message) => message.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(chat.messages.slice(0, -1).every((message) => message.relayedBy !== null),
              'history is marked as passed on by a member');
    assert.equal(chat.messages.at(-1).relayedBy, null);
    // Dee also sees Ann's screen, which Ann announced on Dee's new channel.
    await waitForState(dee, (s) => peerNamed(s, 'Ann')?.screenElement, 'ann\'s screen for dee');
  });

  test('stopping from the browser\'s own bar (the track ends) removes the screen tile everywhere',
       async () => {
    const { Ann } = people;
    // What the browser's "Stop sharing" bar does: the track ends by itself.
    await Ann.evaluate(() => {
      const track = document.getElementById('vc-screen-preview').srcObject.getVideoTracks()[0];
      track.stop();
      track.dispatchEvent(new Event('ended'));
    });
    await waitForState(Ann, (s) => !s.screenSharing, 'ann no longer sharing');
    assert.equal(await Ann.evaluate(() => document.getElementById('vc-screen-preview')), null);
    for (const name of ['Bob', 'Cy', 'Dee']) {
      await waitForState(people[name], (s) => {
        const ann = peerNamed(s, 'Ann');
        return ann && !ann.screenSharing && ann.screenElement === '' && ann.state === 'connected';
      }, 'ann\'s screen tile gone, her call goes on');
    }
  });

  test('a cancelled screen share is said in words, and nothing is shared', async () => {
    const { Ann } = people;
    // What the browser answers when the person closes its picker.
    await Ann.evaluate(() => {
      navigator.mediaDevices.getDisplayMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    await clickControl(Ann, 'screenShare');
    const refused = await waitForState(Ann, (s) => s.remark !== '', 'the remark');
    assert.equal(refused.remark, 'Screen sharing was cancelled.');
    assert.equal(refused.screenSharing, false);
    await Ann.waitForFunction(() => [...document.getElementById('ui-alerts').children]
      .some((line) => line.textContent === 'Screen sharing was cancelled.'));
  });

  test('pinning a tile puts it on the large stage; pinning it again puts it back', async () => {
    const { Bob } = people;
    const ann = peerNamed(await state(Bob), 'Ann');
    const width = () => Bob.evaluate((id) =>
      document.getElementById(id).getBoundingClientRect().width, `vc-peer-${ann.key}`);
    const before = await width();
    await clickControl(Bob, `tile-${ann.key}-pin`);
    await Bob.waitForFunction(([id, was]) =>
      document.getElementById(id).getBoundingClientRect().width > 1.5 * was,
    [`vc-peer-${ann.key}`, before]);
    assert.equal(await Bob.evaluate(() => document.getElementById(
      `ui-tile-${window.videochat.state().peers.find((p) => p.name === 'Ann').key}-pin`)
      .getAttribute('aria-pressed')), 'true');
    await clickControl(Bob, `tile-${ann.key}-pin`);
    await Bob.waitForFunction(([id, was]) =>
      Math.abs(document.getElementById(id).getBoundingClientRect().width - was) < 2,
    [`vc-peer-${ann.key}`, before]);
  });
});

// Mesh rooms in the browser, through the real client and a real videochat-local, chained as a
// group of people would live them: four people in one room, one leaving, a full room, two offers
// crossing, the signaling server dying mid-call and coming back, and a client that speaks only
// the tutorial's format. One browser, one page per person.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { REPO_ROOT, cleanup, connect, startServer } from '../integration/harness.mjs';
import {
  clickControl, launchBrowser, openClient, screenshot, state, waitForPictureLayer, waitForState,
} from './browser.mjs';

const SITE = process.env.VIDEOCHAT_SITE || path.join(REPO_ROOT, 'build/site');
const ROOM = 'mesh-call';
// A mesh call's slowest link needs time on 2 cores with software video.
const MEDIA_TIMEOUT_MS = 60000;

// send_limits_for(n) in wasm/core/send_limits.cpp: 4.5 Mbit/s of video shared by n streams.
const expectedLimits = (streams) => {
  const bitrate = Math.round(Math.min(2500000, 5000000 * 0.9 / streams - 40000));
  const scale = bitrate >= 1500000 ? 1 : bitrate >= 800000 ? 1.5 : bitrate >= 400000 ? 2 : 3;
  return { maxBitrate: bitrate, scaleResolutionDownBy: scale };
};

// Every page sees exactly the others, once each, connected, with video decoded and drawn on every
// link: frames that decode but never reach the tile are a frozen picture to the person.
async function waitForMesh(pages, what, { minFrames = 10 } = {}) {
  const ids = await Promise.all(pages.map(async (page) => (await state(page)).peerId));
  return Promise.all(pages.map((page, i) => {
    const others = ids.filter((_, j) => j !== i).sort();
    return waitForState(page, (s) => {
      const seen = s.peers.map((peer) => peer.peerId).sort();
      return JSON.stringify(seen) === JSON.stringify(others) &&
             s.peers.every((peer) => peer.state === 'connected' && peer.framesDecoded > minFrames &&
                                     peer.framesDrawn > minFrames);
    }, `${what}: ${page.label} connected to ${others.length} peers with video`, MEDIA_TIMEOUT_MS);
  }));
}

// Resolves once every link of every page has decoded and drawn `more` frames beyond `states`
// (counted from zero on a connection that replaced the one in `states`).
async function waitForMoreFrames(pages, states, more, what) {
  return Promise.all(pages.map((page, i) => waitForState(page, (s) => states[i].peers.every(
      (before) => {
        const now = s.peers.find((peer) => peer.peerId === before.peerId);
        const base = now?.key === before.key ? before : { framesDecoded: 0, framesDrawn: 0 };
        return now && now.framesDecoded >= base.framesDecoded + more &&
               now.framesDrawn >= base.framesDrawn + more;
      }), `${what}: ${page.label}'s video keeps coming and showing`, MEDIA_TIMEOUT_MS)));
}

// The links whose connection was replaced between two snapshots of `pages` (all in one room),
// each one that no frozen picture explains: a repair logs `frozen_video (peer K)` on the page that
// made it, K being its key for the other member then, and the other page follows by replacing its
// own connection. `logsFrom[i]` is where page i's console lines since the first snapshot begin.
function replacedWithoutFrozenPicture(pages, first, second, logsFrom) {
  const repaired = (i, name) => {
    const key = first[i].peers.find((peer) => peer.name === name)?.key;
    return pages[i].consoleLines.slice(logsFrom[i])
        .some((line) => line.includes(`frozen_video (peer ${key})`));
  };
  const unexplained = [];
  pages.forEach((page, i) => {
    for (const peer of second[i].peers) {
      if (first[i].peers.some((before) => before.key === peer.key)) continue;
      const other = pages.findIndex((_, j) => first[j].name === peer.name);
      if (!repaired(i, peer.name) && !(other >= 0 && repaired(other, first[i].name))) {
        unexplained.push(`${page.label}>${peer.name}`);
      }
    }
  });
  return unexplained;
}

async function join(page, room, name) {
  assert.equal(await page.evaluate(([r, n]) => window.videochat.join(r, n), [room, name]), null);
}

describe('mesh rooms in the browser', () => {
  let server, browser;
  const pages = {};

  before(async () => {
    server = await startServer(['--web-root', SITE]);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await cleanup();
  });

  test('four people in one room: all six pairs connect, with video decoded on every link',
       async () => {
    for (const name of ['Ann', 'Bob', 'Cat', 'Dan']) {
      pages[name] = await openClient(browser, `${server.http}/`, name.toLowerCase());
      await join(pages[name], ROOM, name);
      await waitForState(pages[name], (s) => s.ownConnectionId !== null, `${name} in the room`);
    }
    const four = Object.values(pages);
    const states = await waitForMesh(four, 'four in a room');
    for (const s of states) {
      // Names travel with protocol v2; each pair has one connection whose politeness is mirrored.
      assert.deepEqual(s.peers.map((peer) => peer.name).sort(),
                       ['Ann', 'Bob', 'Cat', 'Dan'].filter((n) => n !== s.name));
    }
    const politeness = new Map();
    for (const s of states) {
      for (const peer of s.peers) politeness.set(`${s.peerId}>${peer.peerId}`, peer.polite);
    }
    for (const [pair, polite] of politeness) {
      const [a, b] = pair.split('>');
      assert.equal(politeness.get(`${b}>${a}`), !polite, `one polite side per pair ${pair}`);
    }
    // Three streams out of each page: each is capped so that together they fit the uplink.
    await Promise.all(four.map((page) => waitForState(page, (s) => s.peers.every(
        (peer) => JSON.stringify(peer.sendLimits) === JSON.stringify(expectedLimits(3))),
        `${page.label} sends within the 3-stream limits`)));
    await screenshot(pages.Ann, 'mesh-ann.png');
  });

  test('one leaves: the others drop its tile on the server\'s notice and stay connected to ' +
       'each other', async () => {
    const rest = [pages.Ann, pages.Bob, pages.Cat];
    const before = await Promise.all(rest.map((page) => state(page)));
    await pages.Dan.evaluate(() => window.videochat.leave());
    // No deadline: on a busy machine the notice takes what it takes (the bench measures how long).
    await Promise.all(rest.map((page) => waitForState(
        page, (s) => s.peers.length === 2 && !s.peers.some((peer) => peer.name === 'Dan'),
        `${page.label} drops Dan's tile`)));
    const stayed = await waitForMesh(rest, 'three after Dan left');
    // The same connections went on: no peer was replaced.
    for (let i = 0; i < rest.length; ++i) {
      for (const peer of stayed[i].peers) {
        assert.ok(before[i].peers.some((b) => b.key === peer.key), `${rest[i].label} kept ${peer.name}`);
      }
    }
    await Promise.all(rest.map((page) => waitForState(page, (s) => s.peers.every(
        (peer) => JSON.stringify(peer.sendLimits) === JSON.stringify(expectedLimits(2))),
        `${page.label} raises its limits for 2 streams`)));
  });

  test('a room that already holds six refuses a page, which says so', async () => {
    const members = [];
    for (let i = 0; i < 6; ++i) {
      const member = await connect(server.signalingUrl);
      member.send(JSON.stringify({ action: 'joinRoom', roomId: 'full-room',
                                   peerId: `${i}`.padStart(32, 'f'), name: `Member ${i}` }));
      const joined = JSON.parse(await member.nextText());
      assert.equal(joined.type, 'joined');
      members.push(member);
    }
    const dan = pages.Dan;
    await join(dan, 'full-room', 'Dan');
    const refused = await waitForState(dan, (s) => s.screen === 'lobby' && s.notice !== null,
                                       'Dan told the room is full');
    assert.equal(refused.notice.title, 'This room is full');
    assert.match(refused.notice.text, /as many people as it can hold/);
    // The dialog dims the lobby, its preview included: the preview goes under the UI while the
    // dialog is open, and back above it once the person has read it.
    await waitForPictureLayer(dan, 'vc-local-preview', false, 'the preview under the dialog');
    await screenshot(dan, 'mesh-room-full.png');
    await clickControl(dan, 'noticeOk');
    await waitForState(dan, (s) => s.notice === null, 'Dan dismissed the notice');
    await waitForPictureLayer(dan, 'vc-local-preview', true, 'the preview above the UI again');
    for (const member of members) member.close();
  });

  test('two pages that offer at the same moment still connect', async () => {
    const [ann, bob] = [pages.Ann, pages.Bob];
    const three = [pages.Ann, pages.Bob, pages.Cat];
    const before = await Promise.all(three.map((page) => state(page)));
    const logsFrom = three.map((page) => page.consoleLines.length);
    // Both pages make a new offer to every peer at one agreed instant (same machine, same clock).
    const at = Date.now() + 500;
    await Promise.all([ann, bob].map((page) => page.evaluate((when) => new Promise((resolve) => {
      setTimeout(() => { window.videochat.renegotiate(); resolve(); }, when - Date.now());
    }), at)));
    // renegotiate() has run on both: every exchange it started must end, none left hanging.
    await Promise.all(three.map((page) => waitForState(
        page, (s) => s.peers.length === 2 && s.peers.every((peer) => peer.negotiation === 'stable'),
        `${page.label}'s renegotiations finish`, MEDIA_TIMEOUT_MS)));
    // Glare is resolved inside each pair's connection: none was torn down and replaced, unless
    // for a frozen picture (below).
    const settled = await waitForMesh(three, 'after crossing offers', { minFrames: 0 });
    assert.deepEqual(replacedWithoutFrozenPicture(three, before, settled, logsFrom), [],
                     'connections replaced in glare');
    // (A rollback restarts the receive statistics, so progress is counted from here.) Every tile
    // must go on showing new frames: Chromium can leave the rolled-back side's picture frozen
    // while its frames still decode, which the client repairs by replacing that connection.
    const later = await waitForMoreFrames(three, settled, 20, 'after crossing offers');
    const logs = [...ann.consoleLines.slice(logsFrom[0]), ...bob.consoleLines.slice(logsFrom[1])];
    assert.ok(logs.some((line) => line.includes('glare_ignored')),
              `the offers crossed and the impolite side kept its own:\n${logs.join('\n')}`);
    // Only a frozen picture may have replaced a connection since, and its page says so.
    assert.deepEqual(replacedWithoutFrozenPicture(three, before, later, logsFrom), [],
                     'connections replaced without a frozen picture');
    const repairs = three.flatMap((page, i) => page.consoleLines.slice(logsFrom[i])
        .filter((line) => line.includes('frozen_video')).map((line) => `${page.label}: ${line}`));
    if (repairs.length > 0) console.log(`# repaired frozen pictures:\n# ${repairs.join('\n# ')}`);
  });

  test('the signaling server dies mid-call: media goes on; it returns: pages resume, a newcomer joins',
       async () => {
    const three = [pages.Ann, pages.Bob, pages.Cat];
    const before = await waitForMesh(three, 'before the outage');
    const port = server.port;
    await server.kill();
    await Promise.all(three.map((page) => waitForState(page, (s) => s.signaling !== 'online',
                                                       `${page.label} notices the outage`)));
    const during = await Promise.all(three.map((page) => state(page)));
    await waitForMoreFrames(three, during, 30, 'while the server is down');
    for (const s of await Promise.all(three.map((page) => state(page)))) {
      assert.equal(s.screen, 'room');
      assert.equal(s.peers.length, 2, 'no tile lost while signaling is down');
    }

    server = await startServer(['--web-root', SITE, '--port', String(port)]);
    const resumed = await Promise.all(three.map((page) => waitForState(
        page, (s) => s.signaling === 'online' && s.ownConnectionId !== null,
        `${page.label} back in the room`, 30000)));
    // Every page knows the others by their new connection ids, with one tile each.
    const ids = resumed.map((s) => s.ownConnectionId);
    await Promise.all(three.map((page, i) => waitForState(page, (s) => {
      const connections = s.peers.map((peer) => peer.connectionId).sort();
      return JSON.stringify(connections) === JSON.stringify(ids.filter((_, j) => j !== i).sort());
    }, `${page.label} knows the others' new connections`)));
    const after = await waitForMesh(three, 'after the server came back');
    for (let i = 0; i < three.length; ++i) {
      assert.deepEqual(after[i].peers.map((p) => p.peerId).sort(),
                       before[i].peers.map((p) => p.peerId).sort(), 'the same people, once each');
    }

    const eve = await openClient(browser, `${server.http}/`, 'eve');
    await join(eve, ROOM, 'Eve');
    await waitForMesh([...three, eve], 'Eve joins after the outage');
    await screenshot(pages.Ann, 'mesh-after-outage.png');
  });

  test('a client of the tutorial\'s format holds a 1:1 call with ours', async () => {
    // The tutorial's client: joinRoom with a room id only, offer/answer/candidate broadcast to the
    // room without "to", the member already in the room offering to a newcomer.
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    const tutorial = await context.newPage();
    await tutorial.goto(`${server.http}/favicon.svg`);  // any page of the origin: a secure context
    await tutorial.evaluate(async ([url, room]) => {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      const ws = new WebSocket(url);
      const send = (message) => ws.send(JSON.stringify(
          { action: 'sendMsgToRoom', roomId: room, message: JSON.stringify(message) }));
      let pc;
      window.tutorial = { state: 'new', framesDecoded: 0 };
      const makePeer = () => {
        pc = new RTCPeerConnection({ iceServers: [] });
        stream.getTracks().forEach((track) => pc.addTrack(track, stream));
        pc.onicecandidate = (event) => event.candidate &&
            send({ type: 'candidate', candidate: event.candidate });
        pc.onconnectionstatechange = () => { window.tutorial.state = pc.connectionState; };
      };
      ws.onmessage = async (event) => {
        const data = JSON.parse(event.data);
        if (data.type === 'newParticipant') {
          makePeer();
          const offer = await pc.createOffer();
          await pc.setLocalDescription(offer);
          send({ type: 'offer', offer });
        } else if (data.type === 'offer') {
          makePeer();
          await pc.setRemoteDescription(data.offer);
          const answer = await pc.createAnswer();
          await pc.setLocalDescription(answer);
          send({ type: 'answer', answer });
        } else if (data.type === 'answer') {
          await pc.setRemoteDescription(data.answer);
        } else if (data.type === 'candidate' && pc) {
          await pc.addIceCandidate(data.candidate);
        }
      };
      setInterval(async () => {
        if (!pc) return;
        let frames = 0;
        (await pc.getStats()).forEach((report) => {
          if (report.type === 'inbound-rtp' && report.kind === 'video') frames += report.framesDecoded || 0;
        });
        window.tutorial.framesDecoded = frames;
      }, 250);
      await new Promise((resolve) => { ws.onopen = resolve; });
      ws.send(JSON.stringify({ action: 'joinRoom', roomId: room }));
    }, [server.signalingUrl, 'tutorial-room']);
    // Our client joins second: the tutorial's member, there first, offers.
    const dan = pages.Dan;
    await join(dan, 'tutorial-room', 'Dan');
    const ours = await waitForState(dan, (s) => s.peers.length === 1 &&
        s.peers[0].state === 'connected' && s.peers[0].framesDecoded > 10,
        'Dan sees the tutorial client', MEDIA_TIMEOUT_MS);
    assert.equal(ours.peers[0].peerId, null, 'the tutorial client has no peerId');
    await tutorial.waitForFunction(() => window.tutorial.state === 'connected' &&
                                         window.tutorial.framesDecoded > 10, null,
                                   { timeout: MEDIA_TIMEOUT_MS });
  });
});

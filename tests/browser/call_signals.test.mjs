// What each tile tells about a member beyond its picture, through the real client in Chromium:
// who is speaking (the fake microphone plays a generated WAV of tone and silence), a raised hand,
// the link's quality, and the safety code two people compare by voice. One browser, three people.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cleanup, startServer } from '../integration/harness.mjs';
import { SITE, clickControl, launchBrowser, openClient, screenshot, state, waitForState }
  from './browser.mjs';

const ROOM = 'e2e-signals';
const TONE_SECONDS = 4;
const SILENCE_SECONDS = 4;

// A mono 16-bit 48 kHz WAV: a 440 Hz tone, then silence (Chromium plays it in a loop).
function toneAndSilenceWav() {
  const rate = 48000;
  const samples = rate * (TONE_SECONDS + SILENCE_SECONDS);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < rate * TONE_SECONDS; i++) {
    data.writeInt16LE(Math.round(0.5 * 32767 * Math.sin(2 * Math.PI * 440 * i / rate)), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);  // PCM
  header.writeUInt16LE(1, 22);  // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'videochat-')), 'tone-and-silence.wav');
  writeFileSync(file, Buffer.concat([header, data]));
  return file;
}

const peerNamed = (s, name) => s.peers.find((peer) => peer.name === name);

describe('who speaks, raised hands, link quality and safety codes', () => {
  let server, browser;
  const people = {};

  before(async () => {
    server = await startServer(['--web-root', SITE]);
    browser = await launchBrowser([`--use-file-for-fake-audio-capture=${toneAndSilenceWav()}`]);
  });
  after(async () => {
    await browser?.close();
    await cleanup();
  });

  test('three people in a call: every link is rated, on every page', async () => {
    for (const name of ['Ann', 'Bob', 'Cy']) {
      const page = await openClient(browser, `${server.http}/`, name.toLowerCase());
      assert.equal(await page.evaluate(([r, n]) => window.videochat.join(r, n), [ROOM, name]), null);
      await waitForState(page, (s) => s.ownConnectionId !== null, `${name} in the room`);
      people[name] = page;
    }
    for (const page of Object.values(people)) {
      await waitForState(page, (s) => s.peers.length === 2 &&
        s.peers.every((peer) => peer.state === 'connected' && peer.chat &&
                                peer.quality === 'good' && peer.roundTripMs !== null),
      'connected to both, each link rated good', 40000);
    }
  });

  test('the speaking indicator follows the tone and the silence, and stops when the speaker mutes',
       async () => {
    const { Ann, Bob } = people;
    // Bob sees Ann speak, stop, and speak again: the WAV's tone and silence in turn.
    for (const [speaking, what] of [[true, 'speaking'], [false, 'silent'], [true, 'speaking again']]) {
      await waitForState(Bob, (s) => peerNamed(s, 'Ann')?.speaking === speaking,
                         `Ann ${what}`, (TONE_SECONDS + SILENCE_SECONDS) * 3000);
    }
    // Someone speaking is the active speaker (Ann, or Cy, who plays the same tone).
    await waitForState(Bob, (s) => s.peers.some((peer) => peer.speaking && peer.activeSpeaker),
                       'a speaker who is the active speaker', (TONE_SECONDS + SILENCE_SECONDS) * 3000);
    await screenshot(Bob, 'speaking-bob.png');

    // Muted, Ann sends silence: over two whole cycles of the WAV Bob never sees her speak. Packets
    // are counted from their increments, so a connection the client replaces (its counters start
    // again) neither stalls the count nor ends it early.
    await clickControl(Ann, 'microphone');
    await waitForState(Ann, (s) => !s.media.microphoneOn, 'Ann muted');
    await waitForState(Bob, (s) => peerNamed(s, 'Ann')?.speaking === false, 'Ann silent once muted');
    const cycle = (TONE_SECONDS + SILENCE_SECONDS) * 50;  // 20 ms packets
    let seenSpeaking = false;
    let packets = 0;
    let last = null;
    await waitForState(Bob, (s) => {
      const ann = peerNamed(s, 'Ann');
      if (!ann) return false;
      seenSpeaking ||= ann.speaking;
      const now = ann.audioPacketsReceived ?? 0;
      if (last !== null && now > last) packets += now - last;
      last = now;
      return packets > 2 * cycle;
    }, 'two cycles of audio packets from muted Ann', 90000);
    assert.equal(seenSpeaking, false, 'a muted speaker is never shown speaking');
    // Ann herself is told she speaks into a muted microphone (the page listens to it).
    await waitForState(Ann, (s) => s.speakingWhileMuted, '"you are muted" while the tone plays',
                       (TONE_SECONDS + SILENCE_SECONDS) * 3000);
    await screenshot(Ann, 'muted-hint-ann.png');
    await clickControl(Ann, 'microphone');
    await waitForState(Ann, (s) => s.media.microphoneOn && !s.speakingWhileMuted, 'Ann unmuted');
  });

  test('raised hands appear on the others\' pages in the order they went up; a hand lowers ' +
       'by itself once its owner has spoken a while', async () => {
    const { Ann, Bob, Cy } = people;
    // Cy is muted (a hand stays up while its owner is silent) and raises it first.
    await clickControl(Cy, 'microphone');
    await clickControl(Cy, 'hand');
    await waitForState(Cy, (s) => s.handRaised && s.handPlace === 1, 'Cy\'s hand up');
    await waitForState(Ann, (s) => peerNamed(s, 'Cy')?.handPlace === 1, 'Ann sees Cy\'s hand');
    // Bob raises his while silent, and is second in line.
    // (Read from his own sent audio's stats: on a busy machine a stats round can span a tone and a
    // silence, so several cycles may pass before one round is quiet enough.)
    await waitForState(Bob, (s) => !s.speaking, 'Bob between two tones',
                       (TONE_SECONDS + SILENCE_SECONDS) * 8000);
    await clickControl(Bob, 'hand');
    await waitForState(Ann, (s) => peerNamed(s, 'Cy')?.handPlace === 1 &&
                                   peerNamed(s, 'Bob')?.handPlace === 2, 'Ann sees both, in order');
    await screenshot(Ann, 'hands-ann.png');
    // Bob's next tone lowers it: he has had the word.
    await waitForState(Ann, (s) => peerNamed(s, 'Bob')?.handRaised === false,
                       'Bob\'s hand lowered by speaking', (TONE_SECONDS + SILENCE_SECONDS) * 3000);
    assert.equal(peerNamed(await state(Ann), 'Cy').handPlace, 1, 'Cy is still first');
    // Cy lowers hers herself.
    await clickControl(Cy, 'hand');
    await waitForState(Ann, (s) => peerNamed(s, 'Cy')?.handRaised === false, 'Cy\'s hand down');
    await clickControl(Cy, 'microphone');
  });

  test('the safety code is the same on both pages of a pair and differs between pairs',
       async () => {
    const { Ann, Bob, Cy } = people;
    const codes = async (page) => {
      const s = await waitForState(page, (x) => x.peers.every((peer) => peer.safetyCode),
                                   'safety codes');
      return Object.fromEntries(s.peers.map((peer) => [peer.name, peer.safetyCode]));
    };
    const [ann, bob, cy] = [await codes(Ann), await codes(Bob), await codes(Cy)];
    for (const code of [ann.Bob, ann.Cy, bob.Cy]) assert.match(code, /^\d{3}( \d{3}){4}$/);
    assert.equal(ann.Bob, bob.Ann, 'Ann and Bob read the same code');
    assert.equal(ann.Cy, cy.Ann, 'Ann and Cy read the same code');
    assert.equal(bob.Cy, cy.Bob, 'Bob and Cy read the same code');
    assert.equal(new Set([ann.Bob, ann.Cy, bob.Cy]).size, 3, 'each pair has its own');
    // The tile's details show it, for reading out.
    const bobKey = peerNamed(await state(Ann), 'Bob').key;
    await clickControl(Ann, `tile-${bobKey}-details`);
    await Ann.waitForFunction((code) => [...document.querySelectorAll('#ui p')]
      .some((p) => p.textContent.includes(code)), ann.Bob);
    await screenshot(Ann, 'safety-code-ann.png');
  });

  test('a shared screen, the chat and the speaking indicator together (the user docs\' picture)',
       async () => {
    const { Ann, Bob } = people;
    await clickControl(Ann, 'screenShare');
    await waitForState(Bob, (s) => peerNamed(s, 'Ann')?.screenElement, 'Ann\'s screen on Bob\'s page');
    await Ann.evaluate(() => window.videochat.sendChat('Here is the plan for today'));
    await clickControl(Bob, 'chat');
    await Bob.evaluate(() => window.videochat.sendChat('Looks good!'));
    await waitForState(Bob, (s) => s.chat.messages.length === 2 &&
                                   s.peers.some((peer) => peer.speaking), 'someone speaking',
                       (TONE_SECONDS + SILENCE_SECONDS) * 3000);
    await Bob.waitForFunction((id) => {
      const video = document.getElementById(id);
      return video && !video.hidden && video.videoWidth > 0;
    }, peerNamed(await state(Bob), 'Ann').screenElement);
    await screenshot(Bob, 'call-features.png');
    await clickControl(Ann, 'screenShare');
    await waitForState(Bob, (s) => !peerNamed(s, 'Ann')?.screenSharing, 'sharing stopped');
  });

  test('a browser whose getStats() report lacks the certificates still shows the code, the same ' +
       'as the other side reads', async () => {
    const { Ann } = people;
    // Dee's browser drops every certificate entry from its reports (seen, now and then, on a busy
    // machine): her page reads the fingerprints from the connection's descriptions instead.
    const Dee = await openClient(browser, `${server.http}/`, 'dee', {
      initScript: () => {
        const getStats = RTCPeerConnection.prototype.getStats;
        RTCPeerConnection.prototype.getStats = async function(...args) {
          const report = await getStats.apply(this, args);
          const kept = new Map();
          report.forEach((entry, id) => { if (entry.type !== 'certificate') kept.set(id, entry); });
          return kept;
        };
      },
    });
    assert.equal(await Dee.evaluate(([r]) => window.videochat.join(r, 'Dee'), [ROOM]), null);
    const dee = await waitForState(Dee, (s) => s.peers.length === 3 &&
                                   s.peers.every((peer) => peer.state === 'connected' && peer.safetyCode),
                                   'Dee connected to all three, with their safety codes', 60000);
    const ann = await waitForState(Ann, (s) => peerNamed(s, 'Dee')?.safetyCode, 'Ann reads Dee\'s code');
    assert.equal(peerNamed(dee, 'Ann').safetyCode, peerNamed(ann, 'Dee').safetyCode,
                 'Ann and Dee read the same code');
    await Dee.close();
  });
});

// A private room, as people use it: Ann opens a room with a passcode (typed into a password field),
// Bob follows the room's link without it and is asked for it in the lobby, Carol opens a link that
// carries it in its fragment and gets straight in (the fragment then leaves the address bar), Ann
// locks the room and everyone sees it, and Dan, passcode and all, finds the room locked.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { clickControl, openClient, screenshot, serverAndBrowser, waitForState } from './browser.mjs';

const ROOM = 'private-room';
const PASSCODE = 'Tr0mbone solo';

describe('a room with a passcode, then locked', () => {
  const stack = serverAndBrowser();
  let ann, bob;

  test('Ann opens the room with a passcode typed into a field that hides it', async () => {
    ann = await openClient(stack.browser, `${stack.server.http}/`, 'ann');
    await ann.getByRole('textbox', { name: 'Room' }).fill(ROOM);
    await ann.getByRole('textbox', { name: 'Your name (optional)' }).fill('Ann');
    const passcode = ann.locator('#ui-passcode');
    assert.equal(await passcode.getAttribute('type'), 'password');
    assert.equal(await passcode.getAttribute('aria-label'), 'Passcode (optional)');
    assert.equal(await passcode.getAttribute('autocomplete'), 'off');
    await passcode.fill(PASSCODE);
    await screenshot(ann, 'passcode-lobby.png');
    await ann.getByRole('button', { name: 'Join room' }).click();
    const joined = await waitForState(ann, (s) => s.ownConnectionId !== null && s.roomHasPasscode,
                                      'ann in a room with a passcode');
    assert.equal(joined.roomLocked, false);
  });

  test('Bob follows the link without the passcode: the lobby asks for it, and he gets in', async () => {
    bob = await openClient(stack.browser, `${stack.server.http}/?room=${ROOM}`, 'bob');
    await bob.locator('#ui-join').waitFor();
    await bob.getByRole('button', { name: 'Join room' }).click();
    const asked = await waitForState(bob, (s) => s.screen === 'lobby' && s.signaling === 'offline' &&
                                                 s.notice === null && s.room === null,
                                     'bob back in the lobby');
    assert.equal(asked.ownConnectionId, null);
    await bob.waitForFunction(() => document.activeElement?.id === 'ui-passcode', null,
                              { timeout: 10000 });
    await bob.waitForFunction(() => document.getElementById('ui-joinProblem')?.textContent ===
                                    'This room has a passcode. Type it above and join again.');
    // The page reports the refusal once, with its reason (the console mirrors its error events).
    assert.deepEqual(bob.consoleLines.filter((line) => /error PASSCODE_REQUIRED/.test(line)),
                     ['bob: [videochat] error PASSCODE_REQUIRED: This room has a passcode. Type ' +
                      'it above and join again.']);
    assert.ok(!stack.server.logs.some((l) => l.event === 'passcode_refused'),
              'a missing passcode is not a wrong one');
    await bob.getByRole('textbox', { name: 'Your name (optional)' }).fill('Bob');
    await bob.locator('#ui-passcode').fill(PASSCODE);
    await bob.keyboard.press('Enter');
    const flowing = (s) => s.peers.length === 1 && s.peers[0].state === 'connected' &&
                           s.peers[0].framesDecoded > 10;
    await Promise.all([waitForState(ann, flowing, 'video from bob', 40000),
                       waitForState(bob, flowing, 'video from ann', 40000)]);
  });

  test('Carol opens a link with the passcode in its fragment: one press of Enter, and the ' +
       'passcode leaves the address bar', async () => {
    const carol = await openClient(
      stack.browser, `${stack.server.http}/?room=${ROOM}#passcode=${encodeURIComponent(PASSCODE)}`, 'carol');
    await carol.locator('#ui-join').waitFor();
    assert.equal(await carol.inputValue('#ui-passcode'), PASSCODE);
    await carol.keyboard.press('Enter');
    await waitForState(carol, (s) => s.ownConnectionId !== null && s.roomHasPasscode, 'carol in');
    // Once the page is idle after the join, within a second.
    await carol.waitForFunction(() => location.hash === '');
    assert.equal(await carol.evaluate(() => location.search), `?room=${ROOM}`);
    await carol.evaluate(() => window.videochat.leave());
    await waitForState(ann, (s) => s.peers.length === 1, 'carol gone');
    await carol.context().close();
  });

  test('Ann locks the room: both see it; Dan, with the passcode, is told it is locked', async () => {
    await clickControl(ann, 'lock');
    const locked = await waitForState(ann, (s) => s.roomLocked, 'ann sees the room locked');
    assert.match(locked.remark, /You locked the room/);
    const told = await waitForState(bob, (s) => s.roomLocked, 'bob sees the room locked');
    assert.match(told.remark, /^Ann locked the room/);
    await ann.waitForFunction(() => document.getElementById('ui-lock')?.getAttribute('aria-pressed') === 'true');
    await screenshot(ann, 'passcode-locked-call.png');

    const dan = await openClient(
      stack.browser, `${stack.server.http}/?room=${ROOM}#passcode=${encodeURIComponent(PASSCODE)}`, 'dan');
    await dan.locator('#ui-join').waitFor();
    await dan.keyboard.press('Enter');
    const refused = await waitForState(dan, (s) => s.notice !== null, 'dan told the room is locked');
    assert.equal(refused.notice.title, 'This room is locked');
    await dan.getByRole('dialog', { name: 'This room is locked' }).waitFor();
    await dan.context().close();

    await clickControl(bob, 'lock');
    await waitForState(ann, (s) => !s.roomLocked && /^Bob unlocked the room/.test(s.remark),
                       'ann sees bob unlock it');
    await Promise.all([ann, bob].map((page) => page.context().close()));
  });
});

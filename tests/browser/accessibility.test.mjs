// Everyone can use it: the UI the canvas draws is also real elements on the page (the DOM mirror),
// so a screen reader names every control and hears what changes, and the keyboard alone can join,
// mute and leave. Checked through the accessibility tree (playwright's roles and ARIA snapshots),
// the keyboard, and axe-core's rules, in one browser, scenarios chained as people would go
// through them: Ann uses roles and names only, Bob the keyboard only, Carol finds the room full,
// Dan joins from a phone; every control stays on the screen zoomed to 200% and at 320 px; and in
// German (the browser's language, or ?lang=de) every label fits its control.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { REPO_ROOT, cleanup, startServer } from '../integration/harness.mjs';
import { launchBrowser, openClient, screenshot, state, waitForState } from './browser.mjs';

const SITE = process.env.VIDEOCHAT_SITE || path.join(REPO_ROOT, 'build/site');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const ROOM = 'a11y-room';
const BOB = '花子';  // Bob's name: ImGui's font has no such letters, the page draws it
const MEDIA_TIMEOUT_MS = 60000;

const onlyPeer = (s) => (s.peers.length === 1 ? s.peers[0] : undefined);
const focusedId = (page) => page.evaluate(() => document.activeElement?.id ?? '');

// axe-core's serious and critical findings on the page as it is now.
async function seriousViolations(page) {
  if (!await page.evaluate(() => typeof window.axe === 'object')) {
    // Evaluated rather than added as a <script>: the page's Content-Security-Policy forbids inline
    // script, and rightly.
    await page.evaluate(readFileSync(AXE, 'utf8'));
  }
  const violations = await page.evaluate(async () =>
    (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

// Waits until a live region has said `text` (the polite one, or the assertive one).
async function waitForAnnouncement(page, text, assertive = false) {
  const region = assertive ? 'ui-alerts' : 'ui-status';
  await page.waitForFunction(([id, wanted]) =>
    [...document.getElementById(id).children].some((line) => line.textContent === wanted),
  [region, text], { timeout: 20000 }).catch(async () => {
    const said = await page.evaluate((id) => document.getElementById(id).innerText, region);
    throw new Error(`${page.label}: "${text}" was not announced; the region says: ${said}`);
  });
}

// Presses Tab until the element `id` has the focus (at most `limit` times; in a call, past each
// tile's buttons).
async function tabTo(page, id, limit = 30) {
  for (let i = 0; i < limit; ++i) {
    if (await focusedId(page) === id) return;
    await page.keyboard.press('Tab');
  }
  assert.equal(await focusedId(page), id, `Tab reaches ${id}`);
}

// Controls whose label is wider than they are, as the client laid them out.
async function clippedControls(page) {
  const controls = await page.evaluate(() => window.videochat.ui());
  return Object.entries(controls).filter(([, c]) => c.clipped).map(([id]) => id);
}

// Controls (videochat.ui()) that stick out of the viewport or are smaller than `minimum` px.
async function controlsOutOfReach(page, minimum = 0) {
  const { width, height } = page.viewportSize();
  const controls = await page.evaluate(() => window.videochat.ui());
  return Object.entries(controls).filter(([, c]) =>
    c.x < 0 || c.y < 0 || c.x + c.width > width + 0.5 || c.y + c.height > height + 0.5 ||
    c.width < minimum || c.height < minimum,
  ).map(([id, c]) => `${id} at ${c.x},${c.y} ${c.width}x${c.height}`);
}

const flowing = (s) => {
  const peer = onlyPeer(s);
  return peer && peer.state === 'connected' && peer.framesDecoded > 10 &&
         peer.framesDrawn > 5 && peer.audioPacketsReceived > 10;
};

describe('screen readers and the keyboard', () => {
  let server, browser, ann, bob;

  before(async () => {
    // Two people fill a room here: the third meets the "room full" dialog.
    server = await startServer(['--web-root', SITE, '--room-capacity', '2']);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await cleanup();
  });

  test('the lobby names every control, hides the canvas from screen readers, and passes axe',
       async () => {
    ann = await openClient(browser, `${server.http}/`, 'ann');
    await ann.getByRole('button', { name: 'Join room' }).waitFor();
    const tree = await ann.locator('#ui').ariaSnapshot();
    for (const line of ['heading "Video chat" [level=1]', 'checkbox "Camera" [checked]',
                        'checkbox "Microphone" [checked]', 'textbox "Room"',
                        'button "Random room"', 'textbox "Your name (optional)"',
                        'button "Join room"']) {
      assert.ok(tree.includes(line), `the lobby has ${line}:\n${tree}`);
    }
    assert.equal(await ann.getAttribute('#canvas', 'aria-hidden'), 'true');
    // Nothing takes the focus by itself (a focused field's caret would blink, and repaint, for
    // good); Enter with nothing focused joins.
    assert.equal(await focusedId(ann), '', 'nothing has the focus at first');
    const room = ann.getByRole('textbox', { name: 'Room' });
    assert.equal(await room.getAttribute('enterkeyhint'), 'go');
    assert.equal(await room.getAttribute('inputmode'), 'text');
    assert.equal(await room.getAttribute('autocapitalize'), 'none', 'Standup is not standup');
    assert.equal(await ann.getByRole('textbox', { name: 'Your name (optional)' })
                     .getAttribute('autocomplete'), 'nickname');
    assert.deepEqual(await seriousViolations(ann), []);
  });

  test('Ann joins by roles and names alone: the Room field, her name, the Join button',
       async () => {
    await ann.getByRole('textbox', { name: 'Room' }).fill(ROOM);
    await ann.getByRole('textbox', { name: 'Your name (optional)' }).fill('Ann');
    await ann.getByRole('button', { name: 'Join room' }).click();
    const joined = await waitForState(ann, (s) => s.screen === 'room' && s.signaling === 'online',
                                      'ann in the room');
    assert.equal(joined.room, ROOM);
    assert.equal(joined.name, 'Ann');
    await waitForAnnouncement(ann, `You joined room ${ROOM}. Nobody else is here yet.`);
    await ann.getByRole('list', { name: 'Participants' }).getByText('Ann (you)').waitFor();
  });

  test('Bob joins with the keyboard alone: he types the room, Tabs to his name, writes it with ' +
       'a Japanese input method and presses Enter', async () => {
    bob = await openClient(browser, `${server.http}/`, 'bob');
    await tabTo(bob, 'ui-room', 6);  // past Keyboard shortcuts, Camera and Microphone
    await bob.keyboard.type(ROOM);
    await tabTo(bob, 'ui-name', 2);  // past Random room
    // An input method composes はなこ, then commits 花子; its Enter only confirms a composition.
    const cdp = await bob.context().newCDPSession(bob);
    await cdp.send('Input.imeSetComposition', { text: 'はなこ', selectionStart: 3, selectionEnd: 3 });
    await cdp.send('Input.insertText', { text: BOB });
    assert.equal(await bob.inputValue('#ui-name'), BOB);
    await bob.keyboard.press('Enter');
    const joined = await waitForState(bob, (s) => s.screen === 'room' && s.signaling === 'online',
                                      'bob in');
    assert.equal(joined.name, BOB);
    await Promise.all([waitForState(ann, flowing, 'media from bob', MEDIA_TIMEOUT_MS),
                       waitForState(bob, flowing, 'media from ann', MEDIA_TIMEOUT_MS)]);
  });

  test('Ann hears Bob arrive, finds him in the list and sees his name; the call passes axe',
       async () => {
    await waitForAnnouncement(ann, `${BOB} joined the call.`);
    await ann.getByRole('list', { name: 'Participants' }).getByText(`${BOB}, connected`).waitFor();
    // The name on his tile is the page's own text, over his picture.
    const tag = ann.locator('.look-nameTag', { hasText: BOB });
    assert.equal(await tag.getAttribute('aria-hidden'), 'true', 'said once, by the list');
    assert.equal(await tag.evaluate((element) => getComputedStyle(element).opacity), '1');
    assert.deepEqual(await seriousViolations(ann), []);
    await screenshot(ann, 'a11y-call-ann.png');
  });

  test('Bob mutes and unmutes with Tab and Space: the button shows pressed, and it is said',
       async () => {
    const mute = bob.getByRole('button', { name: 'Mute' });
    assert.equal(await mute.getAttribute('aria-pressed'), 'false');
    await tabTo(bob, 'ui-microphone');
    await bob.keyboard.press('Space');
    await waitForState(bob, (s) => s.media.microphoneOn === false, 'bob muted');
    await bob.waitForFunction(() =>
      document.getElementById('ui-microphone').getAttribute('aria-pressed') === 'true');
    await waitForAnnouncement(bob, 'Microphone muted.');
    assert.equal(await focusedId(bob), 'ui-microphone', 'the focus stays on the button');
    await bob.keyboard.press('Space');
    await waitForState(bob, (s) => s.media.microphoneOn === true, 'bob unmuted');
    await waitForAnnouncement(bob, 'Microphone on.');
  });

  test('Bob\'s single-key shortcuts: M mutes, L asks before leaving, ? lists them and turns ' +
       'them off', async () => {
    await bob.keyboard.press('m');
    await waitForState(bob, (s) => s.media.microphoneOn === false, 'bob muted by M');
    await bob.keyboard.press('m');
    await waitForState(bob, (s) => s.media.microphoneOn === true, 'bob unmuted by M');

    await bob.keyboard.press('l');
    const confirm = bob.getByRole('dialog', { name: 'Leave the call?' });
    await confirm.waitFor();
    await bob.waitForFunction(() => document.activeElement?.id === 'ui-stay');
    await bob.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    assert.equal((await state(bob)).screen, 'room', 'Escape stays in the call');
    assert.equal(await focusedId(bob), 'ui-microphone', 'the focus is back on Mute');

    // A key the page takes as a shortcut is kept from the page's other listeners.
    const pressM = () => bob.evaluate(() => {
      const event = new KeyboardEvent('keydown', { key: 'm', bubbles: true, cancelable: true });
      document.activeElement.dispatchEvent(event);
      return event.defaultPrevented;
    });
    await bob.keyboard.press('?');
    const help = bob.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    assert.ok((await help.innerText()).includes('M: mute or unmute the microphone'));
    const toggle = bob.getByRole('checkbox', { name: 'Single-key shortcuts (M, V, H, F, L, ?)' });
    await bob.waitForFunction(() => document.activeElement?.id === 'ui-shortcutsOn');
    await bob.keyboard.press('Space');
    await bob.waitForFunction(() => !document.getElementById('ui-shortcutsOn').checked);
    assert.equal(await toggle.isChecked(), false);
    await bob.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    assert.equal(await pressM(), false, 'with shortcuts off, M is an ordinary key');
    assert.equal((await state(bob)).media.microphoneOn, true);
  });

  test('Carol finds the room full: the dialog takes the focus, says why, and Escape closes it',
       async () => {
    const carol = await openClient(browser, `${server.http}/?room=${ROOM}`, 'carol');
    // The lobby's controls are on the page (its first frame is drawn, and with it the screen's
    // main action): before then, on a busy machine, the key would find nothing to do.
    await carol.locator('#ui-join').waitFor();
    await carol.keyboard.press('Enter');  // nothing focused: the room from the link is joined
    await waitForState(carol, (s) => s.notice !== null, 'carol told the room is full');
    const dialog = carol.getByRole('dialog', { name: 'This room is full' });
    await dialog.waitFor();
    await carol.waitForFunction(() => document.activeElement?.id === 'ui-noticeOk');
    await waitForAnnouncement(carol, (await state(carol)).notice.title + '. ' +
                                     (await state(carol)).notice.text, true);
    assert.deepEqual(await seriousViolations(carol), []);
    await carol.keyboard.press('Escape');
    await waitForState(carol, (s) => s.notice === null, 'the dialog closed');
    await dialog.waitFor({ state: 'detached' });
    // Back in the lobby (its Join button gone and drawn again), the focus is on Join.
    assert.equal(await focusedId(carol), 'ui-join', 'the focus is on Join again');
    await carol.context().close();
  });

  test('Mal types a name that would read backwards: back in the lobby, told what a name may ' +
       'not contain, with the name kept to change', async () => {
    const mal = await openClient(browser, `${server.http}/`, 'mal');
    await mal.getByRole('textbox', { name: 'Room' }).fill('names-room');
    // U+202E RIGHT-TO-LEFT OVERRIDE: "Ann" then what follows shown reversed.
    const disguised = 'Ann\u202Egpj.exe';
    await mal.getByRole('textbox', { name: 'Your name (optional)' }).fill(disguised);
    await mal.getByRole('button', { name: 'Join room' }).click();
    const refused = await waitForState(mal, (s) => s.screen === 'lobby' && s.notice !== null,
                                       'mal told the name cannot be shown');
    assert.equal(refused.notice.title, 'This name cannot be shown');
    assert.match(refused.notice.text, /writing direction/);
    await mal.getByRole('dialog', { name: 'This name cannot be shown' }).waitFor();
    await screenshot(mal, 'a11y-name-refused.png');
    assert.ok(mal.consoleLines.some((line) => /name refused: .*U\+202E/.test(line)),
              'the server\'s reason, naming the character, is in the console');
    await mal.keyboard.press('Escape');
    await waitForState(mal, (s) => s.notice === null, 'the dialog closed');
    assert.equal(await mal.inputValue('#ui-name'), disguised, 'the name is there to change');
    await mal.context().close();
  });

  test('Bob leaves with Tab and Enter; Ann hears it', async () => {
    await tabTo(bob, 'ui-leave');
    await bob.keyboard.press('Enter');
    await waitForState(bob, (s) => s.screen === 'lobby', 'bob in the lobby');
    await waitForAnnouncement(ann, `${BOB} left the call.`);
  });

  test('Eve names her room in Japanese with an input method: the link carries it, the page ' +
       'draws it; a decomposed café is joined as the one café', async () => {
    const eve = await openClient(browser, `${server.http}/`, 'eve');
    await eve.getByRole('textbox', { name: 'Room' }).focus();
    const cdp = await eve.context().newCDPSession(eve);
    await cdp.send('Input.imeSetComposition', { text: 'かいぎしつ', selectionStart: 5,
                                                selectionEnd: 5 });
    await cdp.send('Input.insertText', { text: '会議室' });
    await eve.keyboard.press('Enter');
    const joined = await waitForState(eve, (s) => s.screen === 'room' && s.signaling === 'online',
                                      'eve in 会議室');
    assert.equal(joined.room, '会議室');
    await eve.waitForFunction(() => location.search === '?room=%E4%BC%9A%E8%AD%B0%E5%AE%A4');
    const shown = eve.locator('#ui-roomName');
    assert.equal(await shown.innerText(), 'Room 会議室');
    assert.equal(await shown.evaluate((element) => getComputedStyle(element).opacity), '1');
    await waitForAnnouncement(eve, 'You joined room 会議室. Nobody else is here yet.');
    await eve.getByRole('button', { name: 'Leave' }).click();
    await waitForState(eve, (s) => s.screen === 'lobby', 'eve back in the lobby');

    await eve.getByRole('textbox', { name: 'Room' }).fill('cafe\u0301');
    await eve.keyboard.press('Enter');
    const cafe = await waitForState(eve, (s) => s.screen === 'room' && s.signaling === 'online',
                                    'eve in café');
    assert.equal(cafe.room, 'caf\u00e9', 'the room is joined in NFC');
    await eve.context().close();
  });

  test('Dan joins from a phone: taps the room field, types, taps Join; every target is 44 px',
       async () => {
    const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true,
                    hasTouch: true };
    const dan = await openClient(browser, `${server.http}/`, 'dan', { device: phone });
    await dan.getByRole('button', { name: 'Join room' }).waitFor();
    await dan.waitForFunction(() => window.videochat.ui().join.height >= 44);
    assert.deepEqual(await controlsOutOfReach(dan, 44), [], 'lobby controls on a phone');
    assert.deepEqual(await seriousViolations(dan), [], 'axe on the phone lobby');
    await screenshot(dan, 'a11y-phone-lobby.png');
    await dan.getByRole('textbox', { name: 'Room' }).tap();
    assert.equal(await focusedId(dan), 'ui-room');
    await dan.keyboard.type('phone-room');
    await dan.getByRole('button', { name: 'Join room' }).tap();
    await waitForState(dan, (s) => s.screen === 'room' && s.signaling === 'online', 'dan in');
    await dan.getByRole('button', { name: 'Leave' }).waitFor();
    assert.deepEqual(await controlsOutOfReach(dan, 44), [], 'call controls on a phone');
    assert.deepEqual(await seriousViolations(dan), [], 'axe on the phone call');
    await screenshot(dan, 'a11y-phone-call.png');
    await dan.getByRole('button', { name: 'Mute' }).tap();
    await waitForState(dan, (s) => s.media.microphoneOn === false, 'dan muted by a tap');
    await dan.context().close();
  });

  test('zoomed to 200% (640x360 CSS px) and at 320 px wide, every control is on the screen',
       async () => {
    for (const [label, device] of [
      ['zoomed', { viewport: { width: 640, height: 360 }, deviceScaleFactor: 2 }],
      ['narrow', { viewport: { width: 320, height: 568 } }],
    ]) {
      const page = await openClient(browser, `${server.http}/`, label, { device });
      await page.getByRole('button', { name: 'Join room' }).waitFor();
      await page.waitForFunction(() => window.videochat.ui().join !== undefined);
      assert.deepEqual(await controlsOutOfReach(page), [], `${label}: lobby controls`);
      await screenshot(page, `a11y-${label}-lobby.png`);
      await page.getByRole('textbox', { name: 'Room' }).fill(`${label}-room`);
      await page.keyboard.press('Enter');
      await waitForState(page, (s) => s.screen === 'room', `${label} in the room`);
      await page.getByRole('button', { name: 'Leave' }).waitFor();
      assert.deepEqual(await controlsOutOfReach(page), [], `${label}: call controls`);
      await page.context().close();
    }
  });

  test('in German, from the browser\'s language or ?lang=de, every label fits its control',
       async () => {
    const german = { locale: 'de-AT' };
    const fritz = await openClient(browser, `${server.http}/`, 'fritz', { device: german });
    assert.equal(await fritz.evaluate(() => document.documentElement.lang), 'de');
    await fritz.getByRole('button', { name: 'Raum betreten' }).waitFor();
    assert.deepEqual(await clippedControls(fritz), [], 'German lobby');
    await screenshot(fritz, 'a11y-de-lobby.png');
    await fritz.getByRole('textbox', { name: 'Raum' }).fill('de-room');
    await fritz.getByRole('button', { name: 'Raum betreten' }).click();
    await waitForAnnouncement(fritz, 'Sie sind im Raum de-room. Noch ist niemand sonst hier.');
    for (const name of ['Stummschalten', 'Video beenden', 'Link kopieren', 'Verlassen']) {
      await fritz.getByRole('button', { name }).waitFor();
    }
    assert.deepEqual(await clippedControls(fritz), [], 'German call');
    await screenshot(fritz, 'a11y-de-call.png');

    const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true,
                    hasTouch: true };
    const greta = await openClient(browser, `${server.http}/?lang=de`, 'greta', { device: phone });
    await greta.getByRole('textbox', { name: 'Raum' }).fill('de-room');
    await greta.getByRole('button', { name: 'Raum betreten' }).tap();
    await greta.getByRole('button', { name: 'Verlassen' }).waitFor();
    await waitForAnnouncement(fritz, 'Gast 1 ist dem Gespräch beigetreten.');
    assert.deepEqual(await clippedControls(greta), [], 'German call on a phone');
    assert.deepEqual(await controlsOutOfReach(greta, 44), [], 'German call on a phone');
    await screenshot(greta, 'a11y-de-phone-call.png');

    const english = await openClient(browser, `${server.http}/?lang=en`, 'english',
                                     { device: german });
    assert.equal(await english.evaluate(() => document.documentElement.lang), 'en');
    await english.getByRole('button', { name: 'Join room' }).waitFor();
    for (const page of [fritz, greta, english]) await page.context().close();
  });

  test('in the light theme the page follows the palette, and lobby, call and dialog pass axe',
       async () => {
    const light = { colorScheme: 'light' };
    const lena = await openClient(browser, `${server.http}/`, 'lena', { device: light });
    await lena.getByRole('button', { name: 'Join room' }).waitFor();
    await lena.waitForFunction(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--vc-page') === '#f7f8fa');
    assert.deepEqual(await seriousViolations(lena), [], 'light lobby');
    await screenshot(lena, 'a11y-light-lobby.png');
    await lena.getByRole('textbox', { name: 'Room' }).fill('light-room');
    await lena.keyboard.press('Enter');
    await lena.getByRole('button', { name: 'Leave' }).waitFor();
    assert.deepEqual(await seriousViolations(lena), [], 'light call');
    await screenshot(lena, 'a11y-light-call.png');
    await lena.keyboard.press('?');
    await lena.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    assert.deepEqual(await seriousViolations(lena), [], 'light dialog');
    await screenshot(lena, 'a11y-light-dialog.png');
    // And on a phone.
    const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true,
                    hasTouch: true, colorScheme: 'light' };
    const lia = await openClient(browser, `${server.http}/`, 'lia', { device: phone });
    await lia.getByRole('button', { name: 'Join room' }).waitFor();
    assert.deepEqual(await seriousViolations(lia), [], 'light phone lobby');
    await screenshot(lia, 'a11y-light-phone-lobby.png');
    await lia.context().close();
    // The scheme changes while the page is open: the theme follows.
    await lena.emulateMedia({ colorScheme: 'dark' });
    await lena.waitForFunction(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--vc-page') === '#121419');
    await lena.context().close();
  });
});

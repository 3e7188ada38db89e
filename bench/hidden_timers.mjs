// What Chromium does to timers in a hidden tab, measured: a chain of 250 ms setTimeout calls (the
// kind the client's clock is) in tabs hidden behind another tab, for several minutes, in four
// situations: a call with a live camera, a call received only (no camera or microphone), the
// lobby with its camera preview (no call), and a page with neither media nor sockets. Prints, per
// minute hidden, the median and longest gap between two timer runs.
//
//   unshare --net -- bash -c 'ip link set lo up && exec node bench/hidden_timers.mjs [--minutes 7]'
//
// Needs the built site and videochat-local (bash scripts/setup.sh). Loopback only.
import path from 'node:path';
import { parseArgs } from 'node:util';

import { REPO_ROOT, cleanup, startServer } from '../tests/integration/harness.mjs';
import { RawChromium } from '../tests/browser/cdp_tabs.mjs';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '7' } } });
const MINUTES = Number(values.minutes);
const SITE = process.env.VIDEOCHAT_SITE || path.join(REPO_ROOT, 'build/site');

// Starts recording in the page: every gap between two runs of a 250 ms timeout chain.
const record = () => {
  window.timerGaps = [];
  let last = performance.now();
  const step = () => {
    const now = performance.now();
    window.timerGaps.push([now, now - last]);
    last = now;
    setTimeout(step, 250);
  };
  setTimeout(step, 250);
};

const server = await startServer(['--web-root', SITE]);
const browser = await RawChromium.launch();
try {
  const config = { signalingUrl: server.signalingUrl, iceServers: [] };
  const routes = { '/config.json': config };
  const tabs = {};
  // Each tab is hidden at once by another tab opened in front of it, in its own window.
  const hidden = async (url, label, options = {}) => {
    const tab = await browser.openTab(url, label, { routes, ...options });
    await browser.openTab(`${server.http}/favicon.svg`, 'cover', { newWindow: false,
                                                                   client: false });
    if (await tab.visibility() !== 'hidden') throw new Error(`${label} is not hidden`);
    tabs[label] = tab;
    return tab;
  };
  // Two calls: one whose hidden member has a camera, one whose hidden member receives only.
  for (const [label, room, refuseMedia] of [['call with camera', 'timers-a', false],
                                            ['call, receive only', 'timers-b', true]]) {
    const partner = await browser.openTab(`${server.http}/`, `${room}-partner`, { routes });
    await partner.evaluate((r) => window.videochat.join(r, 'Partner'), room);
    const tab = await hidden(`${server.http}/`, label, { refuseMedia });
    await tab.evaluate((r) => window.videochat.join(r, 'Hidden'), room);
    await tab.waitForState((s) => s.peers[0]?.state === 'connected', `${label} connected`,
                           { timeoutMs: 60000 });
  }
  await hidden(`${server.http}/`, 'lobby with preview');
  await hidden(`${server.http}/favicon.svg`, 'no media, no socket', { client: false });
  for (const tab of Object.values(tabs)) await tab.evaluate(record);
  console.error(`recording for ${MINUTES} minutes...`);
  await new Promise((resolve) => setTimeout(resolve, MINUTES * 60000));

  const rows = [];
  for (const [label, tab] of Object.entries(tabs)) {
    const gaps = await tab.evaluate(() => window.timerGaps);
    const start = gaps[0]?.[0] ?? 0;
    const cells = [];
    for (let minute = 0; minute < MINUTES; ++minute) {
      const inMinute = gaps.filter(([at]) => at - start >= minute * 60000 &&
                                             at - start < (minute + 1) * 60000).map(([, g]) => g);
      inMinute.sort((a, b) => a - b);
      const median = inMinute[Math.floor(inMinute.length / 2)];
      cells.push(inMinute.length ? `${Math.round(median)} / ${Math.round(inMinute.at(-1))}` : '-');
    }
    rows.push(`| ${label} | ${cells.join(' | ')} |`);
  }
  const minutes = [...Array(MINUTES).keys()].map((m) => `min ${m + 1}`);
  console.log(`| hidden tab (250 ms timeout chain: median / longest gap, ms) | ${minutes.join(' | ')} |`);
  console.log(`|---|${minutes.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(row);
} finally {
  await browser.close();
  await cleanup();
}

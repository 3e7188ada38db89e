// The client benchmark: our WebAssembly client against a plain-JS page doing the same job
// (plain/, the tutorial's client), in the same run, interleaved, each scenario in a browser of its
// own. Prints a table of medians, the ratio ours / plain and its spread across rounds, and what
// each page sent (resolution, frame rate, bitrate), which must match so that nobody wins by
// sending less. See README.md beside this file.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

import { REPO_ROOT, cleanup, startServer } from '../../tests/integration/harness.mjs';

const { values: options } = parseArgs({ options: {
  rounds: { type: 'string', default: '5' },
  window: { type: 'string', default: '10' },
  only: { type: 'string', default: 'call,idle,join,open,mesh4' },
  smoke: { type: 'boolean', default: false },
  write: { type: 'boolean', default: false },
} });
const SMOKE = options.smoke;
const ROUNDS = SMOKE ? 1 : Number(options.rounds);
const WINDOW_S = SMOKE ? 3 : Number(options.window);
const SETTLE_S = SMOKE ? 1 : 5;
const SCENARIOS = options.only.split(',');
const SITE = process.env.VIDEOCHAT_SITE || path.join(REPO_ROOT, 'build/site');
const TIMEOUT_MS = 60000;
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString());

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// --- Measuring hooks, the same in every page of both clients -------------------------------

// Keeps every RTCPeerConnection (for what it sends) and the local track ids, and records when the
// first preview frame and the first remote video frame were presented (one
// requestVideoFrameCallback per <video>: nothing per frame once each has shown its first).
function measuringHooks() {
  const bench = { pcs: [], local: new Set(), previewAt: null, remoteAt: null, readyAt: null };
  window.bench = bench;
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    for (const track of stream.getTracks()) bench.local.add(track.id);
    return stream;
  };
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = function RTCPeerConnection(...args) {
    const pc = new Native(...args);
    bench.pcs.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
  const watch = (video) => {
    if (video.benchWatched) return;
    video.benchWatched = true;
    video.requestVideoFrameCallback(() => {
      const at = performance.now();
      const track = video.srcObject?.getVideoTracks()[0];
      if (track && bench.local.has(track.id)) bench.previewAt ??= at;
      else if (track) bench.remoteAt ??= at;
    });
  };
  new MutationObserver(() => document.querySelectorAll('video').forEach(watch))
      .observe(document, { childList: true, subtree: true });
}

// For the page-open scenario only: when the page can join (ours: the module runs and config.json
// is read, so Join is enabled; plain: config.json read and the camera answered).
function readinessProbe() {
  const probe = setInterval(() => {
    const ready = window.videochat
        ? window.videochat.ready() && window.videochat.state().configLoaded
        : window.plain && window.plain.ready();
    if (ready) {
      window.bench.readyAt = performance.now();
      clearInterval(probe);
    }
  }, 5);
}

// --- The two clients behind one interface ---------------------------------------------------

const CLIENTS = {
  ours: {
    path: '/',
    ready: () => window.videochat?.ready() && window.videochat.state().configLoaded &&
                 !window.videochat.state().media.pending,
    join: (room) => { window.videochat.join(room, 'Bench'); },
    inRoom: () => window.videochat.state().ownConnectionId !== null,
    framesDecoded: () => window.videochat.state().peers
        .map((peer) => (peer.state === 'connected' ? peer.framesDecoded : 0)),
  },
  plain: {
    path: '/plain/',
    ready: () => window.plain?.ready(),
    join: (room) => window.plain.join(room),
    inRoom: () => window.plain.state().joined,
    framesDecoded: async () => [await window.plain.refreshStats()],
  },
};

// Polls `fn` in the page until it returns something truthy.
async function until(page, fn, arg, what) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    const value = await page.evaluate(fn, arg);
    if (value) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// --- Whole-browser CPU, from /proc ------------------------------------------------------------

function processTree(marker) {
  const stats = new Map();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      stats.set(pid, { ppid: fields[1], ticks: Number(fields[11]) + Number(fields[12]),
                       root: cmdline.includes(marker) && !cmdline.includes('--type=') });
    } catch (error) {
      if (error.code !== 'ENOENT' && error.code !== 'ESRCH') throw error;  // it just ended
    }
  }
  const roots = [...stats].filter(([, s]) => s.root).map(([pid]) => pid);
  const inTree = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, s] of stats) {
      if (!inTree.has(pid) && inTree.has(s.ppid)) { inTree.add(pid); grew = true; }
    }
  }
  return [...inTree].reduce((sum, pid) => sum + stats.get(pid).ticks, 0);
}

// Cores used by the whole browser (every process it started) over the window.
async function measureCpu(marker) {
  const startTicks = processTree(marker);
  const start = process.hrtime.bigint();
  await sleep(WINDOW_S * 1000);
  const ticks = processTree(marker) - startTicks;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return ticks / CLOCK_TICKS / seconds;
}

// What a page sends: video resolution, frame rate and bitrate over `seconds`.
const sentVideo = () => Promise.all(window.bench.pcs.filter((pc) => pc.connectionState !== 'closed')
    .map(async (pc) => {
      let out = null;
      (await pc.getStats()).forEach((entry) => {
        if (entry.type === 'outbound-rtp' && entry.kind === 'video' && entry.bytesSent > 0) {
          out = { width: entry.frameWidth, height: entry.frameHeight, fps: entry.framesPerSecond,
                  bytes: entry.bytesSent, at: entry.timestamp };
        }
      });
      return out;
    })).then((all) => all.filter(Boolean));

function describeSent(before, after) {
  return after.map((end, i) => {
    const start = before[i];
    const kbps = start ? ((end.bytes - start.bytes) * 8) / (end.at - start.at) : NaN;
    return `${end.width}x${end.height} ${Math.round(end.fps ?? 0)} fps ${Math.round(kbps)} kbit/s`;
  }).join(', ');
}

// --- Scenarios ---------------------------------------------------------------------------------

let runCount = 0;

async function withBrowser(fn) {
  const marker = `--vc-bench-run=${process.pid}-${++runCount}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
           '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
           '--allow-loopback-in-peer-connection', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
           marker],
  });
  try {
    return await fn(browser, marker);
  } finally {
    await browser.close();
  }
}

async function openPage(browser, server, client, { probe = false } = {}) {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'],
                                             viewport: { width: 1000, height: 700 } });
  await context.addInitScript(measuringHooks);
  if (probe) await context.addInitScript(readinessProbe);
  const page = await context.newPage();
  await page.goto(`${server.http}${CLIENTS[client].path}`);
  await until(page, CLIENTS[client].ready, null, `${client} ready`);
  await until(page, () => window.bench.previewAt !== null, null, `${client} preview`);
  return page;
}

async function joinAndWait(page, client, room) {
  await page.evaluate(CLIENTS[client].join, room);
  await until(page, CLIENTS[client].inRoom, null, `${client} in the room`);
}

const decodingFrom = (page, client, peers) => until(page, async ([fn, n]) => {
  // eslint-disable-next-line no-new-func
  const frames = await (0, eval)(`(${fn})`)();
  return frames.length === n && frames.every((f) => f > 30);
}, [CLIENTS[client].framesDecoded.toString(), peers], `${client} decoding ${peers} peers`);

const scenarios = {
  // A settled 1:1 call: whole-browser CPU.
  async call(server, client, round) {
    return withBrowser(async (browser, marker) => {
      const room = `bench-call-${client}-${round}`;
      const pages = [await openPage(browser, server, client),
                     await openPage(browser, server, client)];
      for (const page of pages) await joinAndWait(page, client, room);
      await Promise.all(pages.map((page) => decodingFrom(page, client, 1)));
      await sleep(SETTLE_S * 1000);
      const before = await Promise.all(pages.map((page) => page.evaluate(sentVideo)));
      const cores = await measureCpu(marker);
      const after = await Promise.all(pages.map((page) => page.evaluate(sentVideo)));
      return { value: cores, sent: pages.map((_, i) => describeSent(before[i], after[i])) };
    });
  },

  // The lobby with its camera preview (ours) against the plain page showing only its preview.
  async idle(server, client) {
    return withBrowser(async (browser, marker) => {
      await openPage(browser, server, client);
      await sleep(SETTLE_S * 1000);
      return { value: await measureCpu(marker) };
    });
  },

  // The second page's join call to the first remote frame presented on both pages, in ms.
  async join(server, client, round) {
    return withBrowser(async (browser) => {
      const room = `bench-join-${client}-${round}`;
      const [first, second] = [await openPage(browser, server, client),
                               await openPage(browser, server, client)];
      await joinAndWait(first, client, room);
      const joinedAt = await second.evaluate(
          ([fn, r]) => { const at = performance.timeOrigin + performance.now();
                         (0, eval)(`(${fn})`)(r); return at; },
          [CLIENTS[client].join.toString(), room]);
      const seen = await Promise.all([first, second].map((page) => until(page,
          () => window.bench.remoteAt && performance.timeOrigin + window.bench.remoteAt,
          null, `${client} first remote frame`)));
      return { value: Math.max(...seen) - joinedAt };
    });
  },

  // Page open (navigation start) to interactive: first preview frame shown and able to join.
  async open(server, client) {
    return withBrowser(async (browser) => {
      const page = await openPage(browser, server, client, { probe: true });
      const times = await until(page, () => window.bench.readyAt !== null &&
                                            [window.bench.readyAt, window.bench.previewAt],
                                null, `${client} interactive`);
      return { value: Math.max(...times) };
    });
  },

  // Our 4-person mesh: whole-browser CPU per page.
  async mesh4(server, client, round) {
    if (client !== 'ours') return null;  // the tutorial's client is 1:1 only
    return withBrowser(async (browser, marker) => {
      const room = `bench-mesh-${round}`;
      const pages = [];
      for (let i = 0; i < 4; ++i) {
        pages.push(await openPage(browser, server, client));
        await joinAndWait(pages[i], client, room);
      }
      await Promise.all(pages.map((page) => decodingFrom(page, client, 3)));
      await sleep(SETTLE_S * 1000);
      return { value: (await measureCpu(marker)) / 4 };
    });
  },
};

const UNITS = { call: 'cores', idle: 'cores', join: 'ms', open: 'ms', mesh4: 'cores per page' };

// --- The run ----------------------------------------------------------------------------------

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (x, unit) => (unit === 'ms' ? `${Math.round(x)}` : x.toFixed(3));

function machine() {
  const version = execFileSync(process.env.CHROMIUM || '/usr/bin/chromium', ['--version'],
                                { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString().trim();
  return `${cpus().length} cores (${cpus()[0].model}), ${version}, ` +
         `${new Date().toISOString().slice(0, 10)}, ${ROUNDS} rounds, ${WINDOW_S} s CPU windows`;
}

const webRoot = mkdtempSync(path.join(tmpdir(), 'videochat-bench-client-'));
cpSync(SITE, webRoot, { recursive: true });
cpSync(path.join(path.dirname(new URL(import.meta.url).pathname), 'plain'),
       path.join(webRoot, 'plain'), { recursive: true });
const server = await startServer(['--web-root', webRoot]);
const results = {};  // scenario -> client -> [{value, sent}]
try {
  for (let round = 0; round < ROUNDS; ++round) {
    for (const scenario of SCENARIOS) {
      const order = round % 2 === 0 ? ['plain', 'ours'] : ['ours', 'plain'];
      for (const client of order) {
        const result = await scenarios[scenario](server, client, round);
        if (!result) continue;
        ((results[scenario] ??= {})[client] ??= []).push(result);
        console.error(`round ${round + 1} ${scenario} ${client}: ` +
                      `${fmt(result.value, UNITS[scenario])} ${UNITS[scenario]}` +
                      (result.sent ? `; sent ${result.sent.join(' | ')}` : ''));
      }
    }
  }
} finally {
  await cleanup();
  rmSync(webRoot, { recursive: true, force: true });
}

const lines = [`Machine: ${machine()}.`, '',
  '| scenario | plain-JS (median) | ours (median) | ours / plain (median) | spread across rounds |',
  '|---|---|---|---|---|'];
for (const scenario of SCENARIOS) {
  const { plain = [], ours = [] } = results[scenario] ?? {};
  const unit = UNITS[scenario];
  const ratios = plain.length ? ours.map((o, i) => o.value / plain[i].value) : [];
  lines.push(`| ${scenario} (${unit}) | ${plain.length ? fmt(median(plain.map((r) => r.value)), unit) : '-'} | ` +
             `${fmt(median(ours.map((r) => r.value)), unit)} | ` +
             `${ratios.length ? median(ratios).toFixed(2) : '-'} | ` +
             `${ratios.length ? `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}` : '-'} |`);
}
if (results.call) {
  lines.push('', 'Sent by each page of the 1:1 call (last round):');
  for (const client of ['plain', 'ours']) {
    const last = results.call[client]?.at(-1);
    if (last) lines.push(`- ${client}: ${last.sent.join(' | ')}`);
  }
}
const table = lines.join('\n');
console.log(table);
if (options.write) {
  writeFileSync(path.join(REPO_ROOT, 'bench/client/results.md'), `${table}\n`);
}

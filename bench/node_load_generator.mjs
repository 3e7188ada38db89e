// A second, independent load generator for the signaling benchmark, written the way a Node.js
// developer would, with the `ws` package: N clients in M rooms join, then each sends
// sendMsgToRoom at a fixed rate; every delivery is checked (lost, duplicated, unexpected) and
// timed. Shares no code with videochat-bench (load_generator.cpp), so a figure both agree on is a
// property of the server, not of one generator. Prints one JSON line in videochat-bench's format
// (plus "generator":"node"), which bench/report.mjs reads.
//
// Usage: node bench/node_load_generator.mjs --url ws://127.0.0.1:PORT/STAGE [--clients N]
//   [--rooms M] [--rate MSGS_PER_S_PER_CLIENT] [--duration S] [--drain S] [--server-pid PID]
//   [--allocation-counter FILE] [--label TEXT]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values: options } = parseArgs({
  options: {
    url: { type: 'string', default: 'ws://127.0.0.1:8080/production' },
    clients: { type: 'string', default: '20' },
    rooms: { type: 'string', default: '10' },
    rate: { type: 'string', default: '10' },
    duration: { type: 'string', default: '5' },
    drain: { type: 'string', default: '2' },
    'server-pid': { type: 'string', default: '0' },
    'allocation-counter': { type: 'string', default: '' },
    label: { type: 'string', default: '' },
  },
});
const clientCount = Number(options.clients);
const roomCount = Number(options.rooms);
const rate = Number(options.rate);
const duration = Number(options.duration);
const drain = Number(options.drain);
const serverPid = Number(options['server-pid']);
if (!(clientCount >= 2 && roomCount >= 1 && roomCount <= clientCount && rate > 0 &&
      duration > 0 && duration <= 600)) {
  console.error('node_load_generator: need 2+ clients, 1..clients rooms, a positive rate and ' +
                '0 < duration <= 600 s');
  process.exit(2);
}

// The server's CPU time so far in seconds, user and kernel (fields 14 and 15 of /proc/PID/stat).
const CLOCK_TICKS = 100;
function cpuTimes(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLOCK_TICKS, kernel: Number(fields[12]) / CLOCK_TICKS };
}

// The count bench/allocation_counter.c keeps for a preloaded server, or null without one.
function allocationsSoFar(path) {
  if (!path) return null;
  const bytes = readFileSync(path);
  return bytes.length >= 8 ? Number(bytes.readBigUInt64LE(0)) : null;
}

const roomOf = (client) => `bench-${client % roomCount}`;
const membersOf = new Map();  // room -> client indexes
for (let i = 0; i < clientCount; i++) {
  if (!membersOf.has(roomOf(i))) membersOf.set(roomOf(i), []);
  membersOf.get(roomOf(i)).push(i);
}

// Every message sent, by "client:sequence": when, and who must get it how many times so far.
const ledger = new Map();
const latenciesMs = [];
let sent = 0, expected = 0, delivered = 0, duplicated = 0, unexpected = 0;

function recordSent(client, sequence, sentAt) {
  const recipients = new Map();
  for (const member of membersOf.get(roomOf(client))) {
    if (member !== client) recipients.set(member, 0);
  }
  ledger.set(`${client}:${sequence}`, { sentAt, recipients });
  sent++;
  expected += recipients.size;
}

function recordReceived(recipient, message, receivedAt) {
  const entry = ledger.get(`${message.c}:${message.s}`);
  const copies = entry?.recipients.get(recipient);
  if (copies === undefined) {
    unexpected++;
    return;
  }
  entry.recipients.set(recipient, copies + 1);
  if (copies > 0) {
    duplicated++;
    return;
  }
  delivered++;
  latenciesMs.push(receivedAt - entry.sentAt);
}

let joinNotices = 0;
function onFrame(recipient, text) {
  const frame = JSON.parse(text);
  if (frame.type === 'newParticipant') {
    joinNotices++;
  } else if (typeof frame.c === 'number' && typeof frame.s === 'number') {
    // A relayed benchmark message, with whatever the server added (such as "from").
    recordReceived(recipient, frame, performance.now());
  }
}

function open(index) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(options.url, { perMessageDeflate: false });
    ws.on('message', (data) => onFrame(index, data.toString()));
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const until = async (condition, seconds) => {
  const deadline = performance.now() + seconds * 1000;
  while (!condition() && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return condition();
};

const sockets = await Promise.all(Array.from({ length: clientCount }, (_, i) => open(i)));
let expectedNotices = 0;
for (const members of membersOf.values()) expectedNotices += members.length * (members.length - 1) / 2;
// Joined one after another, so each member is told of every later joiner of its room.
sockets.forEach((ws, i) => ws.send(JSON.stringify({ action: 'joinRoom', roomId: roomOf(i) })));
if (!await until(() => joinNotices >= expectedNotices, 30)) {
  console.error(`node_load_generator: joins not confirmed (${joinNotices} of ${expectedNotices} ` +
                'newParticipant notices)');
  process.exit(1);
}

const cpuBefore = serverPid ? cpuTimes(serverPid) : null;
const allocationsBefore = allocationsSoFar(options['allocation-counter']);
const intervalMs = 1000 / rate;
const sequences = new Array(clientCount).fill(0);
// Each client's next send, its first spread over one interval so they do not all fire together.
const start = performance.now();
const nextSend = Array.from({ length: clientCount }, (_, i) => start + (intervalMs * i) / clientCount);
const stopAt = start + duration * 1000;
// One timer for every client: each tick sends whatever is due (timers fire at most every
// millisecond or so; a message is stamped when it is sent, so the lateness of a tick is not
// counted as the server's).
await new Promise((resolve) => {
  const tick = () => {
    const now = performance.now();
    if (now >= stopAt) {
      resolve();
      return;
    }
    for (let i = 0; i < clientCount; i++) {
      while (nextSend[i] <= now) {
        const sentAt = performance.now();
        const sequence = ++sequences[i];
        recordSent(i, sequence, sentAt);
        sockets[i].send(JSON.stringify({
          action: 'sendMsgToRoom', roomId: roomOf(i),
          message: JSON.stringify({ c: i, s: sequence, t: Math.round(sentAt * 1000) }),
        }));
        nextSend[i] += intervalMs;
      }
    }
    setTimeout(tick, 1);
  };
  tick();
});
const sentSeconds = (performance.now() - start) / 1000;
await until(() => delivered >= expected, drain);
const cpuAfter = serverPid ? cpuTimes(serverPid) : null;
const allocationsAfter = allocationsSoFar(options['allocation-counter']);

latenciesMs.sort((a, b) => a - b);
const percentile = (p) => latenciesMs.length
  ? latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(p * latenciesMs.length))] : 0;
const perMessageUs = (seconds) => (delivered ? (seconds * 1e6) / delivered : 0);
const line = {
  label: options.label, generator: 'node', clients: clientCount, rooms: roomCount,
  ratePerClient: rate, durationS: sentSeconds, sent, expected, delivered,
  deliveredPerS: delivered / sentSeconds, lost: expected - delivered, duplicated, unexpected,
  p50Ms: percentile(0.5), p99Ms: percentile(0.99), maxMs: latenciesMs.at(-1) ?? 0,
};
if (cpuBefore) {
  line.serverUserUsPerMessage = perMessageUs(cpuAfter.user - cpuBefore.user);
  line.serverKernelUsPerMessage = perMessageUs(cpuAfter.kernel - cpuBefore.kernel);
  line.serverCpuUsPerMessage = line.serverUserUsPerMessage + line.serverKernelUsPerMessage;
}
if (allocationsBefore !== null && allocationsAfter !== null && delivered) {
  line.serverAllocationsPerMessage = (allocationsAfter - allocationsBefore) / delivered;
}
console.log(JSON.stringify(line));
for (const ws of sockets) ws.terminate();

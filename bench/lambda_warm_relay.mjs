// Two Lambda zips side by side on warm sendMsgToRoom: the invocation time the function logs
// (durationUs: event handed over → answer accepted, its DynamoDB GetItem and @connections post
// included) for the same relay traffic, run through videochat-local --lambda with rooms in
// dynalite, the zips taking turns round by round so both see the same machine.
//
//   VIDEOCHAT_LOCAL=build/native/local/videochat-local NODE_PATH=node_modules \
//   node bench/lambda_warm_relay.mjs BASELINE.zip CANDIDATE.zip [--rounds 4] [--messages 300]
//
// Prints p50 and p99 per zip and CANDIDATE/BASELINE. A benchmark, not a test: figures only.
import { parseArgs } from 'node:util';

import { cleanup, startLambdaServer } from '../tests/integration/harness.mjs';

const { values: options, positionals: zips } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '4' },
    messages: { type: 'string', default: '300' },
  },
});
if (zips.length !== 2) {
  console.error('usage: node bench/lambda_warm_relay.mjs BASELINE.zip CANDIDATE.zip [--rounds N] [--messages N]');
  process.exit(2);
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
};

// sendMsgToRoom's invocation times (µs) from one server's function log lines.
function relayTimes(server) {
  const lastRoute = new Map();  // pid -> the route of the invocation it is serving
  const times = [];
  for (const log of server.logs.filter((l) => l.event === 'function_log' && l.line)) {
    if (log.line.event === 'route') lastRoute.set(log.pid, log.line.route);
    if (log.line.event === 'invocation' && lastRoute.get(log.pid) === 'sendMsgToRoom') {
      times.push(log.line.durationUs);
      lastRoute.delete(log.pid);
    }
  }
  return times;
}

// One round: two people in a room, `messages` relayed one after another, the first 20 dropped
// (the processes' first invocations are not warm).
async function round(zip, messages) {
  const server = await startLambdaServer([], { zip });
  const alice = await server.connect();
  const bob = await server.connect();
  await server.join(alice, 'warm', { peerId: '1'.padStart(32, '0'), name: 'Alice' }, 10000);
  await server.join(bob, 'warm', { peerId: '2'.padStart(32, '0'), name: 'Bob' }, 10000);
  for (let i = 0; i < messages; i++) {
    await server.request(alice, { action: 'sendMsgToRoom', roomId: 'warm', to: bob.id,
      message: JSON.stringify({ type: 'candidate', i }) }, 10000);
  }
  const times = relayTimes(server).slice(20);
  await cleanup();
  return times;
}

const rounds = Number(options.rounds);
const results = zips.map(() => []);
try {
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const which of order) results[which].push(...await round(zips[which], Number(options.messages)));
  }
} finally {
  await cleanup();
}
console.log('| zip | warm sendMsgToRoom invocations | p50 (ms) | p99 (ms) |');
console.log('|---|---|---|---|');
zips.forEach((zip, i) => {
  console.log(`| ${zip} | ${results[i].length} | ${(percentile(results[i], 0.5) / 1000).toFixed(2)} | ` +
              `${(percentile(results[i], 0.99) / 1000).toFixed(2)} |`);
});
for (const p of [0.5, 0.99]) {
  console.log(`candidate/baseline at p${p * 100}: ` +
              `${(percentile(results[1], p) / percentile(results[0], p)).toFixed(2)}`);
}

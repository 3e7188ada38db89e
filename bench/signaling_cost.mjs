// What a call costs the AWS deployment, counted rather than guessed: the signaling our client sends
// for a call of N people (wasm/core/call_machine.cpp) played against videochat-local --lambda,
// which runs the Lambda zip in function processes with rooms in dynalite. The function's own
// route lines (EMF, lambdas/metrics/) say what each invocation did: @connections posts, DynamoDB
// requests; its invocation lines how long each took. docs/cost.md turns the counts into dollars.
//
//   VIDEOCHAT_LOCAL=build/native/local/videochat-local \
//   VIDEOCHAT_LAMBDA_ZIP=build/native/lambda/videochat-lambda.zip \
//   NODE_PATH=node_modules node bench/signaling_cost.mjs [--candidates 3] [--sizes 2,6]
//
// Per call, in the order the client does it: everyone connects and joins (one after another);
// each new pair relays one offer, one answer and `candidates` ICE candidates per side, all with
// `to` (the client's trickle: one sendMsgToRoom per candidate the browser gathers); everyone pings
// once (the client pings every 4 minutes); everyone leaves (leaveRoom with the room id) and closes.
import { parseArgs } from 'node:util';

import { cleanup, startLambdaServer } from '../tests/integration/harness.mjs';

const { values: options } = parseArgs({
  options: {
    candidates: { type: 'string', default: '3' },
    sizes: { type: 'string', default: '2,6' },
  },
});
const candidatesPerSide = Number(options.candidates);
const sizes = options.sizes.split(',').map(Number);

// Sizes of what the browser hands the client: an SDP with audio, video and the data channel is a
// few kilobytes, a candidate a line. Only the count matters for the cost (each is one message while
// under 32 KB), but the sizes keep the store and the relay honest.
const SDP = `v=0\r\n${'a=fake-sdp-line-for-size\r\n'.repeat(200)}`;
const candidate = (i) => JSON.stringify({
  candidate: `candidate:${i} 1 udp 2122260223 ${i}.example.local 5${i}000 typ host generation 0`,
  sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd',
});
const peerId = (i) => i.toString(16).padStart(32, '0');

async function call(server, people, room) {
  const clients = [];
  for (let i = 0; i < people; i++) {
    const client = await server.connect();
    await server.join(client, room, { peerId: peerId(i + 1), name: `Person ${i + 1}` }, 10000);
    // The newcomer and each member already there set up their pair.
    for (const other of clients) {
      const send = (from, to, message) => server.request(
          from, { action: 'sendMsgToRoom', roomId: room, to: to.id, message: JSON.stringify(message) }, 10000);
      await send(other, client, { type: 'offer', offer: { type: 'offer', sdp: SDP } });
      await send(client, other, { type: 'answer', answer: { type: 'answer', sdp: SDP } });
      for (let c = 0; c < candidatesPerSide; c++) {
        await send(other, client, { type: 'candidate', candidate: JSON.parse(candidate(c)) });
        await send(client, other, { type: 'candidate', candidate: JSON.parse(candidate(c)) });
      }
    }
    clients.push(client);
  }
  for (const client of clients) await server.request(client, { action: 'ping' }, 10000);
  for (const client of clients) {
    await server.request(client, { action: 'leaveRoom', roomId: room }, 10000);
    client.ws.close();
    await server.waitForDisconnect(client.id, 10000);
  }
}

// The function's route lines (with their metrics) and, for each, the duration of its invocation:
// a process writes the route line, then the invocation line.
function invocations(server) {
  const lastRoute = new Map();  // pid -> route line waiting for its invocation line
  const out = [];
  for (const log of server.logs.filter((l) => l.event === 'function_log' && l.line)) {
    if (log.line.event === 'route') lastRoute.set(log.pid, log.line);
    if (log.line.event === 'invocation' && lastRoute.has(log.pid)) {
      out.push({ ...lastRoute.get(log.pid), invocationUs: log.line.durationUs });
      lastRoute.delete(log.pid);
    }
  }
  return out;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
};

const ROUTES = ['$connect', 'joinRoom', 'sendMsgToRoom', 'ping', 'leaveRoom', '$disconnect'];

try {
  for (const people of sizes) {
    const server = await startLambdaServer();
    await call(server, people, `cost-${people}`);
    const lines = invocations(server);
    console.log(`\n${people} people, ${candidatesPerSide} candidates per side of each pair`);
    console.log('| Route | Invocations | Posts | DynamoDB requests | Invocation median (ms) |');
    console.log('|---|---|---|---|---|');
    let messagesIn = 0;
    let posts = 0;
    let requests = 0;
    for (const route of ROUTES) {
      const of = lines.filter((l) => l.route === route);
      const sum = (field) => of.reduce((total, l) => total + (l[field] ?? 0), 0);
      if (route !== '$connect' && route !== '$disconnect') messagesIn += of.length;
      posts += sum('ConnectionPosts');
      requests += sum('StoreRequests');
      console.log(`| ${route} | ${of.length} | ${sum('ConnectionPosts')} | ${sum('StoreRequests')} | ` +
                  `${(median(of.map((l) => l.invocationUs)) / 1000).toFixed(2)} |`);
    }
    // What the metrics add to each line (the log is billed by the byte): the EMF members' share.
    const bytes = (l) => Buffer.byteLength(JSON.stringify(l));
    const metricKeys = ['_aws', 'FunctionName', 'ErrorCode', 'Joins', 'RelayedMessages', 'RelayFanOut',
                        'ConnectionPosts', 'GoneConnections', 'StoreRequests', 'StoreLatency',
                        'ErrorResponses'];
    const withoutMetrics = (l) => Object.fromEntries(Object.entries(l).filter(([k]) => !metricKeys.includes(k)));
    const logged = lines.map(({ invocationUs, ...line }) => line);
    console.log(`route line: median ${median(logged.map(bytes))} bytes, of which metrics ` +
                `${median(logged.map((l) => bytes(l) - bytes(withoutMetrics(l))))}`);
    if (people === sizes[0]) {
      console.log(`a relayed message's line: ${JSON.stringify(logged.find((l) => l.route === 'sendMsgToRoom'))}`);
    }
    const failed = lines.filter((l) => l.status >= 400);
    console.log(`messages in ${messagesIn}, posts out ${posts}, API Gateway messages ${messagesIn + posts}, ` +
                `invocations ${lines.length}, DynamoDB requests ${requests}, refused ${failed.length}`);
    await server.stop();
  }
} finally {
  await cleanup();
}

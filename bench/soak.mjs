// The soak run: videochat-local holding 2,000 WebSockets for ten minutes while members churn
// (leave, disconnect, reconnect, join again) and every member relays a message a second to its
// room. It samples the server's resident memory and open descriptors every 10 s and says whether
// they stayed flat: a leak per connection, per join or per message shows as growth here long before
// a user would notice. Outside CI (it takes the time it says).
//
//   ulimit -n 8192 && NODE_PATH=node_modules node bench/soak.mjs [--seconds 600]
//     [--connections 2000] [--room-size 5]
//
// Needs build/native/local/videochat-local (bash scripts/setup.sh). Loopback only.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '600' },
    connections: { type: 'string', default: '2000' },
    'room-size': { type: 'string', default: '5' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const ROOM_SIZE = Number(values['room-size']);
const SAMPLE_MS = 10000;
// Each churn tick, this share of the members leaves (closing its socket) and comes back.
const CHURN_SHARE = 0.02;

const binary = process.env.VIDEOCHAT_LOCAL ||
  path.join(REPO_ROOT, 'build/native/local/videochat-local');
// The limits a real deployment keeps, except the per-address cap: every client here is 127.0.0.1.
const server = spawn(binary, ['--port', '0', '--max-connections-per-address', '0'],
                     { stdio: ['ignore', 'pipe', 'inherit'] });
let logLines = 0;
const listening = await new Promise((resolve, reject) => {
  server.on('exit', (code) => reject(new Error(`videochat-local exited (${code})`)));
  readline.createInterface({ input: server.stdout }).on('line', (line) => {
    logLines += 1;
    if (line.includes('"event":"listening"')) resolve(JSON.parse(line));
  });
});

function sample() {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  return { rssKb, descriptors: readdirSync(`/proc/${server.pid}/fd`).length };
}

let sent = 0;
let received = 0;
let errors = 0;

// One member: connects, joins its room, and is connected again whenever churn closed it.
class Member {
  constructor(index) {
    this.room = `soak-${Math.floor(index / ROOM_SIZE)}`;
    this.socket = null;
  }

  connect() {
    return new Promise((resolve) => {
      const socket = new WebSocket(listening.signalingUrl, { perMessageDeflate: false });
      socket.on('open', () => {
        socket.send(JSON.stringify({ action: 'joinRoom', roomId: this.room }));
        this.socket = socket;
        resolve();
      });
      socket.on('message', (data) => {
        received += 1;
        if (data.toString().includes('"type":"error"')) errors += 1;
      });
      socket.on('error', () => { errors += 1; resolve(); });
    });
  }

  churn() {
    const socket = this.socket;
    this.socket = null;
    socket?.send(JSON.stringify({ action: 'leaveRoom', roomId: this.room }));
    socket?.close();
    return this.connect();
  }

  say() {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify({ action: 'sendMsgToRoom', roomId: this.room,
                                      message: `{"soak":${sent}}` }));
    sent += 1;
  }
}

const members = Array.from({ length: CONNECTIONS }, (_, i) => new Member(i));
for (let i = 0; i < members.length; i += 100) {
  await Promise.all(members.slice(i, i + 100).map((member) => member.connect()));
}
console.log(`${CONNECTIONS} members in ${Math.ceil(CONNECTIONS / ROOM_SIZE)} rooms; ` +
            `soaking for ${SECONDS} s`);

// Every member says something once a second, spread over the second.
const talk = setInterval(() => {
  for (const member of members) setTimeout(() => member.say(), Math.random() * 1000);
}, 1000);
const churn = setInterval(() => {
  for (const member of members) if (Math.random() < CHURN_SHARE) member.churn();
}, 1000);

const samples = [];
const started = Date.now();
console.log('seconds  rss_MB  descriptors  relayed_in  delivered  errors  log_lines');
await new Promise((resolve) => {
  const tick = setInterval(() => {
    const s = { at: Math.round((Date.now() - started) / 1000), ...sample() };
    samples.push(s);
    console.log(`${String(s.at).padStart(7)}  ${(s.rssKb / 1024).toFixed(1).padStart(6)}  ` +
                `${String(s.descriptors).padStart(11)}  ${String(sent).padStart(10)}  ` +
                `${String(received).padStart(9)}  ${String(errors).padStart(6)}  ${logLines}`);
    if (Date.now() - started >= SECONDS * 1000) {
      clearInterval(tick);
      resolve();
    }
  }, SAMPLE_MS);
});
clearInterval(talk);
clearInterval(churn);

// Flat: after the first minute (allocator and buffers warming up), memory grows by less than 10 %
// and descriptors stay within 5 % of the connection count's.
const warm = samples.find((s) => s.at >= 60) ?? samples[0];
const last = samples.at(-1);
const rssGrowth = (last.rssKb - warm.rssKb) / warm.rssKb;
const descriptorDrift = Math.abs(last.descriptors - warm.descriptors) / CONNECTIONS;
console.log(`resident memory ${(warm.rssKb / 1024).toFixed(1)} MB at ${warm.at} s → ` +
            `${(last.rssKb / 1024).toFixed(1)} MB at ${last.at} s (${(rssGrowth * 100).toFixed(1)} %); ` +
            `descriptors ${warm.descriptors} → ${last.descriptors}`);
const flat = rssGrowth < 0.10 && descriptorDrift < 0.05;
console.log(flat ? 'flat: no growth beyond the bounds' : 'NOT flat: see the samples above');
for (const member of members) member.socket?.terminate();
server.kill('SIGTERM');
process.exit(flat ? 0 : 1);

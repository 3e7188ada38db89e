// The baseline: the signaling relay a Node.js developer would write with the `ws` package, the
// ordinary idiomatic way (a Map of rooms, JSON.parse, send to each member). Same protocol as
// videochat-local: joinRoom, sendMsgToRoom, leaveRoom; newParticipant and participantLeft.
//
// For testing the load generator only: --drop-every N drops every Nth relayed delivery and
// --duplicate-every N sends every Nth one twice.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'drop-every': { type: 'string', default: '0' },
    'duplicate-every': { type: 'string', default: '0' },
  },
});
const dropEvery = Number(values['drop-every']);
const duplicateEvery = Number(values['duplicate-every']);
let deliveries = 0;

const rooms = new Map();  // roomId -> Set of sockets

function leave(socket, reason) {
  const members = rooms.get(socket.roomId);
  if (!members) return;
  members.delete(socket);
  if (members.size === 0) rooms.delete(socket.roomId);
  const notice = JSON.stringify({ type: 'participantLeft', participantConnectionId: socket.id, reason });
  for (const member of members) member.send(notice);
  socket.roomId = undefined;
}

function relay(member, text) {
  deliveries++;
  if (dropEvery && deliveries % dropEvery === 0) return;
  member.send(text);
  if (duplicateEvery && deliveries % duplicateEvery === 0) member.send(text);
}

const server = new WebSocketServer({ host: values.host, port: Number(values.port) });
server.on('connection', (socket) => {
  socket.id = randomBytes(11).toString('base64url') + '=';
  socket.on('message', (data) => {
    let body;
    try {
      body = JSON.parse(data);
    } catch {
      socket.send(JSON.stringify({ type: 'error', code: 'BAD_JSON', message: 'not JSON' }));
      return;
    }
    if (body.action === 'joinRoom') {
      if (socket.roomId) leave(socket, 'left');
      let members = rooms.get(body.roomId);
      if (!members) rooms.set(body.roomId, (members = new Set()));
      const notice = JSON.stringify({ type: 'newParticipant', participantConnectionId: socket.id });
      for (const member of members) member.send(notice);
      members.add(socket);
      socket.roomId = body.roomId;
    } else if (body.action === 'sendMsgToRoom') {
      const members = rooms.get(body.roomId);
      if (!members || !members.has(socket)) return;
      for (const member of members) if (member !== socket) relay(member, body.message);
    } else if (body.action === 'leaveRoom') {
      leave(socket, 'left');
    }
  });
  socket.on('close', () => leave(socket, 'disconnected'));
});
server.on('listening', () => {
  console.log(JSON.stringify({ event: 'listening', port: server.address().port, pid: process.pid }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

// The client's download budget: what a page transfers before the client runs, the .wasm and its
// JavaScript glue compressed as a server sends them. The light-client work (issue 15) brought it
// back within the client's size before that work; a feature added since may grow it only by what
// it is listed with here, measured when it landed. docs/client.md says what keeps it there.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SITE = process.env.VIDEOCHAT_SITE || path.join(ROOT, 'build/site');
const LIGHT_CLIENT_BUDGET_BYTES = 171907 + 27788;
const LATER_FEATURES_BYTES = {
  // Reading `iceServers` from joined and renewing them before they expire, handing them to new
  // and existing connections, and config.json's iceTransportPolicy (docs/turn.md):
  // 199,597 -> 200,206 B.
  'TURN relay credentials from joined': 609,
  // A relay's refusal of the page's credentials (icecandidateerror 401/403) said on the tiles, in
  // state() and as a RELAY_REFUSED error event, in English and German: 200,206 -> 201,347 B.
  'TURN relay refusal said in words': 1141,
  // The page's ?iceTransportPolicy=relay (docs/turn.md): 201,347 -> 201,375 B.
  'relay-only page flag': 28,
  // Room passcodes and the lock (docs/using.md): the lobby's passcode field, the link's
  // #passcode=, the toolbar's Lock room, roomLocked and the four refusals said in English and
  // German, the page API's passcode and lockRoom(): 201,375 -> 204,307 B.
  'room passcodes and lock': 2932,
  // A tile's "Connecting..." kept while its first frame is on its way, and its picture's status
  // read out (the DOM mirror's tile-N-status): 204,192 -> 204,516 B.
  'a tile\'s picture status, read out': 324,
  // The UI drawn again when the browser gives back the WebGL context it took away (a GPU process
  // that crashed or was reset, too many contexts in one page): 204,700 -> 204,900 B.
  'the canvas given back after a context loss': 200,
};
const BUDGET_BYTES = LIGHT_CLIENT_BUDGET_BYTES +
    Object.values(LATER_FEATURES_BYTES).reduce((sum, bytes) => sum + bytes, 0);

const gzipped = (file) => execFileSync('gzip', ['-9', '-c', path.join(SITE, file)]).length;

test('the client\'s .wasm and .js, gzip -9, stay within the budget', () => {
  const wasm = gzipped('videochat.wasm');
  const js = gzipped('videochat.js');
  console.log(`client download: ${wasm} + ${js} = ${wasm + js} B (budget ${BUDGET_BYTES} B)`);
  assert.ok(wasm + js <= BUDGET_BYTES,
            `videochat.wasm ${wasm} B + videochat.js ${js} B = ${wasm + js} B, over the budget ` +
            `of ${BUDGET_BYTES} B by ${wasm + js - BUDGET_BYTES} B (docs/client.md, "Size")`);
});

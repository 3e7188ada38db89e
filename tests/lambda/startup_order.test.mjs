// The Lambda function's link follows lambdas/package/startup-order.txt (lld's symbol ordering,
// made by lambdas/package/startup-order.sh): what the function runs from exec through its first
// invocations sits together instead of spread over the program, and the list still names the
// program's functions (a list left behind by renames would quietly stop helping).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ORDER = path.join(REPO_ROOT, 'lambdas/package/startup-order.txt');
const BINARY = process.env.LAMBDA_BINARY;  // the unstripped program (CTest sets it)
const REGENERATE = 'regenerate it: bash lambdas/package/startup-order.sh';

// name -> { address, size, code } for every symbol the program defines.
function symbols(binary) {
  const table = new Map();
  for (const line of execFileSync('nm', ['-S', '--defined-only', binary],
      { encoding: 'utf8', maxBuffer: 256 << 20 }).split('\n')) {
    const fields = line.match(/^(\S+) (\S+) (\S) (.+)$/);  // symbols without a size have 3
    if (!fields) continue;
    const [, address, size, type, name] = fields;
    table.set(name, { address: parseInt(address, 16), size: parseInt(size, 16), code: /[tTwW]/.test(type) });
  }
  return table;
}

test('the startup order names the program\'s symbols and the link lays them out together', (t) => {
  if (!BINARY) {
    t.skip('LAMBDA_BINARY is not set (CTest sets it to the built videochat-lambda)');
    return;
  }
  const order = readFileSync(ORDER, 'utf8').split('\n').filter(Boolean);
  const table = symbols(BINARY);
  const present = order.filter((name) => table.has(name));
  const share = present.length / order.length;
  t.diagnostic(`${present.length} of ${order.length} names in the list are in the program`);
  assert.ok(share >= 0.9, `only ${(share * 100).toFixed(0)} % of startup-order.txt names symbols ` +
      `of the program: the list is stale; ${REGENERATE}`);

  // Laid out in order, the listed code spans little more than its own size; the default layout
  // spreads it over the whole program (6.7 times its size when this test was written).
  const code = present.map((name) => table.get(name)).filter((s) => s.code);
  const size = code.reduce((sum, s) => sum + s.size, 0);
  const span = Math.max(...code.map((s) => s.address + s.size)) - Math.min(...code.map((s) => s.address));
  t.diagnostic(`the listed code: ${size} bytes over a span of ${span} (${(span / size).toFixed(2)} times)`);
  assert.ok(span <= 2.5 * size, `the listed code is spread over ${span} bytes for ${size} of its ` +
      'own: the link did not follow startup-order.txt (is it linked by lld with ' +
      '--symbol-ordering-file? lambdas/CMakeLists.txt)');
});

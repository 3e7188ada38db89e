// amplify.yml's build phase, run here with Debian's Emscripten in place of the emsdk Amplify
// installs: it must publish a complete site whose config.json comes from SIGNALING_URL, and the
// headers file must serve WebAssembly correctly under a strict Content-Security-Policy.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const amplify = parse(readFileSync(path.join(ROOT, 'amplify.yml'), 'utf8'));
const headers = parse(readFileSync(path.join(ROOT, 'customHttp.yml'), 'utf8'));
const SIGNALING_URL = 'wss://abc123.execute-api.eu-west-1.amazonaws.com/production';
const work = mkdtempSync(path.join(tmpdir(), 'amplify-'));
after(() => rmSync(work, { recursive: true, force: true }));

// The build phase's commands, in Amplify's shell, with the local toolchain.
function runBuildPhase(env) {
  const script = amplify.frontend.phases.build.commands.join('\n');
  return spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: ROOT, encoding: 'utf8', timeout: 600000,
    env: { ...process.env, AMPLIFY_BUILD_DIR: path.join(ROOT, 'build/amplify'), ...env },
  });
}

describe('amplify.yml', () => {
  test('builds the site with the wasm preset and writes config.json from SIGNALING_URL', () => {
    const site = path.join(work, 'site');
    const result = runBuildPhase({ SIGNALING_URL, AMPLIFY_SITE_DIR: site,
                                   ICE_SERVERS: '[{"urls":"stun:stun.example.org:3478"}]' });
    assert.equal(result.status, 0, result.stderr.slice(-3000));

    const files = readdirSync(site, { recursive: true });
    for (const name of ['index.html', 'boot.js', 'videochat.js', 'videochat.wasm', 'favicon.svg',
                        'fonts/Inter-Regular.otf', 'fonts/Inter-SemiBold.otf', 'config.json']) {
      assert.ok(files.includes(name), `${name} is published`);
    }
    const wasm = readFileSync(path.join(site, 'videochat.wasm'));
    assert.deepEqual([...wasm.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], 'a WebAssembly module');
    assert.deepEqual(JSON.parse(readFileSync(path.join(site, 'config.json'), 'utf8')), {
      signalingUrl: SIGNALING_URL, iceServers: [{ urls: 'stun:stun.example.org:3478' }],
    });
    // The policy forbids inline script, so the page must have none.
    const page = readFileSync(path.join(site, 'index.html'), 'utf8');
    for (const tag of page.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? []) {
      assert.match(tag, /^<script src="[^"]+"><\/script>$/, `no inline script: ${tag}`);
    }
    assert.doesNotMatch(page, /\son[a-z]+=/, 'no inline event handlers');
  });

  test('refuses to build without a usable SIGNALING_URL', () => {
    const missing = runBuildPhase({ SIGNALING_URL: '', AMPLIFY_SITE_DIR: path.join(work, 'x') });
    assert.notEqual(missing.status, 0);
    const wrong = runBuildPhase({ SIGNALING_URL: 'https://not-a-websocket.example',
                                  AMPLIFY_SITE_DIR: path.join(work, 'y') });
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /must be a ws:\/\/ or wss:\/\/ URL/);
  });

  test('publishes the build folder, and installs Emscripten 3.1.6 in its pre-build phase', () => {
    assert.equal(amplify.frontend.artifacts.baseDirectory, 'build/amplify-site');
    assert.match(amplify.frontend.phases.preBuild.commands.join('\n'), /emsdk install 3\.1\.6/);
  });
});

describe('customHttp.yml', () => {
  const headerFor = (pattern, key) => headers.customHeaders.find((h) => h.pattern === pattern)
    ?.headers.find((h) => h.key === key)?.value;

  test('serves .wasm as application/wasm and never caches config.json', () => {
    assert.equal(headerFor('*.wasm', 'Content-Type'), 'application/wasm');
    assert.equal(headerFor('config.json', 'Cache-Control'), 'no-store');
  });

  test('allows WebAssembly and the API Gateway WebSocket, and no inline script', () => {
    const csp = headerFor('**/*', 'Content-Security-Policy');
    const directive = (name) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `));
    assert.match(directive('script-src'), /'wasm-unsafe-eval'/);
    assert.doesNotMatch(directive('script-src'), /'unsafe-inline'/);
    assert.match(directive('connect-src'), /wss:\/\/\*\.execute-api\.\*\.amazonaws\.com/);
    assert.ok(new URL(SIGNALING_URL).hostname.endsWith('.amazonaws.com'));
  });

  test('lets any site embed it: frame-ancestors *, and CORS for the module and its files', () => {
    const csp = headerFor('**/*', 'Content-Security-Policy');
    assert.match(csp, /frame-ancestors \*/);
    assert.equal(headerFor('**/*', 'Access-Control-Allow-Origin'), '*');
  });
});

import { startServer, cleanup } from '../tests/integration/harness.mjs';
import { chromium } from 'playwright-core';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
const webRoot = mkdtempSync(path.join(tmpdir(), 'jt-'));
cpSync('build/site', webRoot, { recursive: true });
cpSync('bench/client/plain', path.join(webRoot, 'plain'), { recursive: true });
const server = await startServer(['--web-root', webRoot]);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection', '--disable-quic'] });
for (const p of ['/plain/', '/', '/plain/', '/']) {
  const ctx = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await ctx.newPage(); await page.goto(server.http + p); await page.waitForTimeout(2500);
  const times = await page.evaluate(async (url) => { const out = []; for (let i = 0; i < 6; ++i) { if (i % 2) history.replaceState(null, '', '?room=x' + i); const t = performance.now(); const ws = new WebSocket(url); await new Promise((r) => { ws.onopen = r; }); out.push(Math.round(performance.now() - t)); ws.close(); await new Promise((r) => setTimeout(r, 300)); } return out; }, server.signalingUrl);
  console.log(p, times.join(' '));
  await ctx.close();
}
await browser.close(); await cleanup();

import { startServer, cleanup } from '../tests/integration/harness.mjs';
import { chromium } from 'playwright-core';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
const webRoot = mkdtempSync(path.join(tmpdir(), 'jt-'));
cpSync(process.env.SITE || 'build/site', webRoot, { recursive: true });
cpSync('bench/client/plain', path.join(webRoot, 'plain'), { recursive: true });
const server = await startServer(['--web-root', webRoot]);
function hooks(noReplace) {
  const log = []; window.tl = log; window.NOREPLACE = noReplace;  const now = () => performance.timeOrigin + performance.now();
  const L = (what) => log.push([now(), what]);
  const WS = window.WebSocket;
  window.WebSocket = function (...a) { L('ws new ' + a[0]); const ws = new WS(...a); ws.addEventListener('open', () => L('ws open')); const s = ws.send.bind(ws);
    ws.send = (d) => { L('ws> ' + String(d).slice(0, 60)); s(d); };
    ws.addEventListener('message', (e) => L('ws< ' + String(e.data).slice(0, 60))); return ws; };
  window.WebSocket.prototype = WS.prototype; Object.assign(window.WebSocket, { OPEN: 1, CLOSED: 3, CONNECTING: 0, CLOSING: 2 });
  const P = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...a) { const pc = new P(...a); L('new pc');
    pc.addEventListener('icecandidate', (e) => L('cand ' + (e.candidate ? e.candidate.candidate.slice(0, 30) : 'end')));
    pc.addEventListener('connectionstatechange', () => L('conn ' + pc.connectionState));
    pc.addEventListener('track', (e) => L('track ' + e.track.kind));
    for (const m of ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate']) {
      const f = pc[m].bind(pc); pc[m] = (...x) => { L(m + '('); const r = f(...x); r.then(() => L(m + ')')); return r; }; }
    return pc; };
  window.RTCPeerConnection.prototype = P.prototype;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((t) => { const a = performance.now(); cb(t); L('raf ' + (performance.now() - a).toFixed(1) + 'ms'); });
  new MutationObserver(() => document.querySelectorAll('video').forEach((v) => { if (v.w) return; v.w = 1;
    const cb = () => { const t = v.srcObject?.getVideoTracks()[0]; L('frame ' + (t ? t.label.slice(0, 10) : '?')); };
    v.requestVideoFrameCallback(cb); })).observe(document, { childList: true, subtree: true });
}
const clients = { ours: { path: '/', ready: () => window.videochat?.ready() && window.videochat.state().configLoaded && !window.videochat.state().media.pending, join: (r) => window.videochat.join(r, 'B'), inRoom: () => window.videochat.state().ownConnectionId !== null },
  plain: { path: '/plain/', ready: () => window.plain?.ready(), join: (r) => window.plain.join(r), inRoom: () => window.plain.state().joined } };
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection', '--disable-quic'] });
const rounds = Number(process.env.ROUNDS || 2);
for (let round = 0; round < rounds; ++round) for (const name of (process.env.ONLY || 'plain,ours').split(',')) {
  const c = clients[name]; const pages = [];
  for (let i = 0; i < 2; ++i) { const ctx = await browser.newContext({ permissions: ['camera', 'microphone'], viewport: { width: 1000, height: 700 } });
    await ctx.addInitScript(hooks, process.env.NOREPLACE === '1'); const p = await ctx.newPage(); await p.goto(server.http + c.path);
    await p.waitForFunction(c.ready, null, { polling: 50 }); pages.push(p); }
  await new Promise((r) => setTimeout(r, 1500));
  const room = `jt-${name}-${round}`;
  await pages[0].evaluate(c.join, room); await pages[0].waitForFunction(c.inRoom, null, { polling: 50 });
  await new Promise((r) => setTimeout(r, 500));
  const cdps = [];
  if (process.env.PROF) for (const p of pages) { const c = await p.context().newCDPSession(p); await c.send('Profiler.enable'); await c.send('Profiler.setSamplingInterval', { interval: 200 }); await c.send('Profiler.start'); cdps.push(c); }
  const t0 = await pages[1].evaluate(([f, r]) => { const at = performance.timeOrigin + performance.now(); window.tl.push([at, 'JOIN']); (0, eval)(`(${f})`)(r); window.tl.push([performance.timeOrigin + performance.now(), 'JOIN returned']); setTimeout(() => window.tl.push([performance.timeOrigin + performance.now(), 'timeout0']), 0); return at; }, [c.join.toString(), room]);
  await new Promise((r) => setTimeout(r, 2500));
  for (const [i, c] of cdps.entries()) { const { profile } = await c.send('Profiler.stop');
    const self = new Map(); const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const dt = profile.timeDeltas; const counts = new Map();
    profile.samples.forEach((id, k) => counts.set(id, (counts.get(id) || 0) + (dt[k + 1] || 0)));
    let total = 0;
    for (const [id, us] of counts) { const n = byId.get(id); const key = n.callFrame.functionName + ' ' + n.callFrame.url.split('/').pop() + ':' + n.callFrame.lineNumber; if (n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(program)') continue; total += us; self.set(key, (self.get(key) || 0) + us); }
    const parent = new Map(); for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
    const short = (n) => n.callFrame.functionName.replace(/\(.*$/s, '').replace(/std::__2::/g, '').slice(0, 70);
    const chains = new Map();
    for (const [id, us] of counts) { const n = byId.get(id); if (!/memcmp|stringToUTF8Array|invokerFunction|_vc_stats_summary|__emval_as|json_abi.*parse/.test(n.callFrame.functionName)) continue;
      const chain = []; let cur = id; for (let d = 0; d < 7 && cur !== undefined; ++d) { chain.push(short(byId.get(cur))); cur = parent.get(cur); }
      const key = chain.join(' < '); chains.set(key, (chains.get(key) || 0) + us); }
    console.log([...chains].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([k, v]) => `  C ${(v / 1000).toFixed(1)} ${k}`).join('\n'));
    if (i === 1 && process.env.EARLY) { let t = profile.startTime; let t0us = null; { let tt = profile.startTime; profile.samples.forEach((id, k) => { tt += dt[k]; if (t0us === null && /App::join/.test(byId.get(id).callFrame.functionName + (parent.get(id) ? byId.get(parent.get(id)).callFrame.functionName : '') + (parent.get(parent.get(id)) ? byId.get(parent.get(parent.get(id))).callFrame.functionName : ''))) t0us = tt; }); } let last = ''; let lastStart = 0;
      profile.samples.forEach((id, k) => { t += dt[k]; const n = byId.get(id); const chain = []; let cur = id; for (let d = 0; d < 4 && cur !== undefined; ++d) { chain.push(short(byId.get(cur)).slice(0, 40)); cur = parent.get(cur); }
        const key = chain.join(' < '); if (key !== last && t >= t0us - 2000 && t < t0us + 60000) { last = key; lastStart = t; console.log(`  E ${((t - t0us) / 1000).toFixed(1)} ${key}`); } }); }
    console.log(`p${i} busy ${(total / 1000).toFixed(0)} ms`); console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `  ${(v / 1000).toFixed(1)} ${k}`).join('\n')); }
  const all = [];
  for (let i = 0; i < 2; ++i) for (const [t, w] of await pages[i].evaluate(() => window.tl)) if (t >= t0 - 1) all.push([t - t0, i, w]);
  all.sort((a, b) => a[0] - b[0]);
  console.log(`--- ${name} round ${round} t0=${new Date(t0).toISOString()}`);
  for (const [t, i, w] of all) console.log(`${t.toFixed(0).padStart(6)} ${'  '.repeat(i * 20).slice(0, i * 40)}p${i} ${w}`);
  for (const p of pages) await p.context().close();
}
console.log(server.logs.filter((l) => l.event === "route" && /connect|joinRoom/.test(l.route)).slice(-12).map((l) => JSON.stringify(l)).join("\n"));
await browser.close(); await cleanup();

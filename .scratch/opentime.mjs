import { startServer, cleanup } from '../tests/integration/harness.mjs';
import { launchBrowser } from '../tests/browser/browser.mjs';
const server = await startServer(['--web-root', process.env.SITE || 'build/site']);
const browser = await launchBrowser();
for (let i = 0; i < 3; ++i) {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'], viewport: { width: 1000, height: 700 } });
  await context.addInitScript(() => {
    window.marks = {};
    const mo = new MutationObserver(() => {
      if (!window.marks.statusGone && !document.getElementById('status') && document.body) window.marks.statusGone = performance.now();
      const v = document.querySelector('video');
      if (v && !window.marks.videoWatch) { window.marks.videoWatch = performance.now(); v.requestVideoFrameCallback(() => { window.marks.preview = performance.now(); }); }
    });
    mo.observe(document, { childList: true, subtree: true });
    const f = window.fetch;
    window.fetch = (u, ...r) => { const s = String(u); const t0 = performance.now(); const p = f(u, ...r); p.then(() => { (window.marks.fetches ??= []).push([s.split('/').pop(), Math.round(t0), Math.round(performance.now())]); }); return p; };
    for (const name of ['measureText', 'fillText', 'getImageData']) { const orig = CanvasRenderingContext2D.prototype[name]; CanvasRenderingContext2D.prototype[name] = function (...a) { const t0 = performance.now(); const r = orig.apply(this, a); const k = (window.marks.canvas ??= {}); k[name] = (k[name] || 0) + performance.now() - t0; k[name + 'First'] ??= Math.round(t0); k[name + 'Last'] = Math.round(performance.now()); return r; }; }
    const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices); navigator.mediaDevices.getUserMedia = (c) => { const t0 = performance.now(); return gum(c).then((s) => { (window.marks.gum ??= []).push([Math.round(t0), Math.round(performance.now())]); return s; }); };
    const FF = window.FontFace; window.FontFace = function (...a) { const face = new FF(...a); const t0 = performance.now(); const l = face.load.bind(face); face.load = () => l().then((x) => { (window.marks.faces ??= []).push([Math.round(t0), Math.round(performance.now())]); return x; }); return face; };
  });
  const page = await context.newPage();
  await page.goto(`${server.http}/`);
  await page.waitForFunction(() => window.marks.preview, null, { timeout: 30000 });
  await page.waitForTimeout(300);
  const m = await page.evaluate(() => ({ ...window.marks, res: performance.getEntriesByType('resource').map((e) => [e.name.split('/').pop(), Math.round(e.startTime), Math.round(e.responseEnd)]) }));
  console.log(JSON.stringify(m));
  await context.close();
}
await browser.close();
await cleanup();

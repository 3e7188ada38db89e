// Reads the load generator's JSON lines, prints the comparison table (medians over repeats) and
// writes an SVG plot of p99 latency against offered rate for each server. No dependencies.
// Servers keep their colours whichever of them a run holds: videochat-local and node-ws as in the
// plot of docs/benchmark.md, and floor-relay (the cheapest possible relay, a reference rather than a
// contender) dashed.
import { readFileSync, writeFileSync } from 'node:fs';

const [resultsPath, svgPath] = process.argv.slice(2);
const runs = readFileSync(resultsPath, 'utf8').trim().split('\n').filter(Boolean).map(JSON.parse);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const SERIES = {
  'videochat-local': { color: '#e0524a' },
  'node-ws': { color: '#4585f5' },
  'floor-relay': { color: '#3aa655', dash: '6 4' },
  'videochat-local-c0': { color: '#e0524a', dash: '2 3' },
};
const OTHER_COLORS = ['#9b59b6', '#e69f00', '#555555'];
const rank = (label) => {
  const known = Object.keys(SERIES).indexOf(label);
  return known >= 0 ? known : Object.keys(SERIES).length;
};

const GENERATORS = {
  'videochat-bench': 'load from videochat-bench (C++, bench/load_generator.cpp)',
  node: 'load from the Node.js generator (bench/node_load_generator.mjs, with ws)',
};
const generatorOf = (run) => run.generator ?? 'videochat-bench';

function rowsOf(generatorRuns) {
  const groups = new Map();
  for (const run of generatorRuns) {
    const offered = run.clients * run.ratePerClient;
    const key = `${run.label}@${offered}`;
    if (!groups.has(key)) groups.set(key, { label: run.label, offered, runs: [] });
    groups.get(key).runs.push(run);
  }
  return [...groups.values()].map((g) => ({
    label: g.label,
    offered: g.offered,
    runs: g.runs,
    delivered: median(g.runs.map((r) => r.deliveredPerS)),
    lost: Math.max(...g.runs.map((r) => r.lost)),
    duplicated: Math.max(...g.runs.map((r) => r.duplicated)),
    p50: median(g.runs.map((r) => r.p50Ms)),
    p99: median(g.runs.map((r) => r.p99Ms)),
    cpu: median(g.runs.map((r) => r.serverCpuUsPerMessage ?? NaN)),
    user: median(g.runs.map((r) => r.serverUserUsPerMessage ?? NaN)),
    kernel: median(g.runs.map((r) => r.serverKernelUsPerMessage ?? NaN)),
    allocations: median(g.runs.map((r) => r.serverAllocationsPerMessage ?? NaN)),
  })).sort((a, b) => a.offered - b.offered || rank(a.label) - rank(b.label) ||
                    a.label.localeCompare(b.label));
}

const pad = (text, width) => String(text).padStart(width);
const fixed = (value, digits) => (Number.isNaN(value) ? '-' : value.toFixed(digits));

// videochat-local's CPU per message over another server's, at one offered rate: the median of the
// per-repeat ratios (the servers run interleaved, so the k-th run of each belongs to repeat k)
// and their spread.
function ratio(rows, offered, other) {
  const ours = rows.find((r) => r.label === 'videochat-local' && r.offered === offered);
  const theirs = rows.find((r) => r.label === other && r.offered === offered);
  if (!ours || !theirs) return null;
  const count = Math.min(ours.runs.length, theirs.runs.length);
  const ratios = [];
  for (let k = 0; k < count; k++) {
    ratios.push(ours.runs[k].serverCpuUsPerMessage / theirs.runs[k].serverCpuUsPerMessage);
  }
  return { median: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) };
}

function printTable(rows) {
  console.log(`${'server'.padEnd(20)}${pad('offered/s', 10)}${pad('delivered/s', 12)}` +
              `${pad('lost', 6)}${pad('dup', 5)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}` +
              `${pad('CPU us/msg', 12)}${pad('user', 7)}${pad('kernel', 8)}${pad('allocs', 8)}`);
  for (const r of rows) {
    console.log(`${r.label.padEnd(20)}${pad(r.offered, 10)}${pad(r.delivered.toFixed(0), 12)}` +
                `${pad(r.lost, 6)}${pad(r.duplicated, 5)}${pad(r.p50.toFixed(2), 9)}` +
                `${pad(r.p99.toFixed(2), 9)}${pad(fixed(r.cpu, 2), 12)}` +
                `${pad(fixed(r.user, 2), 7)}${pad(fixed(r.kernel, 2), 8)}` +
                `${pad(fixed(r.allocations, 2), 8)}`);
  }
  for (const offered of [...new Set(rows.map((r) => r.offered))]) {
    const parts = ['node-ws', 'floor-relay'].map((other) => {
      const found = ratio(rows, offered, other);
      return found && `/ ${other} ${found.median.toFixed(2)} ` +
                      `(repeats ${found.low.toFixed(2)}-${found.high.toFixed(2)})`;
    }).filter(Boolean);
    if (parts.length) console.log(`at ${offered}/s videochat-local's CPU per message ${parts.join(', ')}`);
  }
}

const tables = new Map();
for (const run of runs) {
  if (!tables.has(generatorOf(run))) tables.set(generatorOf(run), []);
  tables.get(generatorOf(run)).push(run);
}
for (const [generator, generatorRuns] of tables) {
  console.log(`\n${GENERATORS[generator] ?? generator}:`);
  printTable(rowsOf(generatorRuns));
}

// The verdicts and the plot are of the C++ generator's runs: it reaches the highest rates.
const rows = rowsOf(tables.get('videochat-bench') ?? runs);
const labels = [...new Set(rows.map((r) => r.label))]
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
for (const label of labels) {
  const ok = rows.filter((r) => r.label === label && r.lost === 0 && r.p99 < 50);
  const best = ok.length ? Math.max(...ok.map((r) => r.offered)) : 0;
  console.log(`${label}: highest offered rate with zero loss and p99 < 50 ms: ${best} msg/s`);
}

// The plot: p99 (log scale) against offered rate, one line per server.
const width = 640, height = 400, left = 60, right = 20, top = 30, bottom = 50;
const maxOffered = Math.max(...rows.map((r) => r.offered));
const p99s = rows.map((r) => Math.max(r.p99, 0.01));
const lo = Math.log10(Math.min(...p99s)), hi = Math.log10(Math.max(...p99s, 100));
const x = (offered) => left + (offered / maxOffered) * (width - left - right);
const y = (ms) => top + (1 - (Math.log10(Math.max(ms, 0.01)) - lo) / (hi - lo || 1)) * (height - top - bottom);
const series = (label, i) => SERIES[label] ?? { color: OTHER_COLORS[i % OTHER_COLORS.length] };
let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`;
svg += `<rect width="100%" height="100%" fill="white"/>`;
svg += `<text x="${width / 2}" y="18" text-anchor="middle">p99 latency against offered load (${runs[0]?.clients} clients)</text>`;
svg += `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="black"/>`;
svg += `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="black"/>`;
for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) {
  svg += `<text x="${left - 6}" y="${y(10 ** e) + 4}" text-anchor="end">${10 ** e} ms</text>`;
  svg += `<line x1="${left}" y1="${y(10 ** e)}" x2="${width - right}" y2="${y(10 ** e)}" stroke="#ddd"/>`;
}
for (const offered of [...new Set(rows.map((r) => r.offered))]) {
  svg += `<text x="${x(offered)}" y="${height - bottom + 16}" text-anchor="middle">${offered}</text>`;
}
svg += `<text x="${width / 2}" y="${height - 12}" text-anchor="middle">offered messages per second</text>`;
labels.forEach((label, i) => {
  const { color, dash } = series(label, i);
  const points = rows.filter((r) => r.label === label).map((r) => `${x(r.offered)},${y(r.p99)}`);
  const dashed = dash ? ` stroke-dasharray="${dash}"` : '';
  svg += `<polyline fill="none" stroke="${color}" stroke-width="2"${dashed} points="${points.join(' ')}"/>`;
  // The legend: a short stroke in the series' style, then its name.
  const ly = top + 16 * (i + 1);
  svg += `<line x1="${left + 10}" y1="${ly - 4}" x2="${left + 34}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${dashed}/>`;
  svg += `<text x="${left + 40}" y="${ly}" fill="${color}">${label}</text>`;
});
svg += '</svg>\n';
writeFileSync(svgPath, svg);
console.log(`plot: ${svgPath}`);

#!/usr/bin/env node
// npm run bench:render [-- --fixture <name>] [--points 10000,100000] [--runs 10] [--size 1920x1080] [--no-build]
// First render of a panel fixture (performance.now() from React mount to every chart drawn, taken
// inside the page) against the named baseline "bare-uplot": uPlot alone over the same points and size.
// Every run is a fresh page load, so each render is a first render with a cold JIT, as on a dashboard.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

import { buildHarness } from '../../harness/build.mjs';
import { startServer } from '../../harness/server.mjs';
import { CHROMIUM, fixtureUrl, harnessPage, launchBrowser } from './browser.mjs';

const { values: args } = parseArgs({
  options: {
    fixture: { type: 'string' },
    points: { type: 'string', default: '10000,100000' },
    runs: { type: 'string', default: '10' },
    size: { type: 'string', default: '1920x1080' },
    theme: { type: 'string', default: 'dark' },
    'no-build': { type: 'boolean', default: false },
  },
});
const runs = Number(args.runs);
const pointCounts = args.points.split(',').map(Number);
const [width, height] = args.size.split('x').map(Number);

export function quantile(sorted, q) {
  // nearest rank: the smallest value with at least q of the runs at or below it
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p95: quantile(s, 0.95) };
};

if (!args['no-build']) {
  await buildHarness({ minify: true });
}
const server = await startServer();
const browser = await launchBrowser();
const rows = [];
try {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const h = await harnessPage(context);
  const known = (await h.open(`${server.url}/`, { quiet: false })).fixtures;
  const fixture = args.fixture ?? known.find((f) => f.bench)?.name;
  if (!known.some((f) => f.name === fixture && f.bench)) {
    throw new Error(
      `"${fixture}" is not a bench fixture; bench fixtures: ${known.filter((f) => f.bench).map((f) => f.name)}`
    );
  }
  for (const points of pointCounts) {
    const samples = { panel: [], baseline: [] };
    // Alternate the two so drift in machine load hits both alike; run -1 is a discarded warm-up
    // (disk cache, first compile of the server's responses).
    for (let i = -1; i < runs; i++) {
      for (const kind of ['panel', 'baseline']) {
        const url = fixtureUrl(server.url, {
          fixture,
          theme: args.theme,
          points,
          baseline: kind === 'baseline' ? 'uplot' : undefined,
        });
        const state = await h.open(url, { quiet: false, timeoutMs: 60000 });
        if (h.problems.length) {
          throw new Error(`${url}\n  ${h.problems.join('\n  ')}`);
        }
        if (i >= 0) {
          samples[kind].push(state.timings);
        }
      }
    }
    const base = stats(samples.baseline.map((t) => t.drawn));
    for (const [kind, label] of [
      ['panel', fixture],
      ['baseline', 'bare-uplot (baseline)'],
    ]) {
      const drawn = stats(samples[kind].map((t) => t.drawn));
      const frame = stats(samples[kind].map((t) => t.frame));
      rows.push({ points, label, ...drawn, frameMedian: frame.median, ratio: drawn.median / base.median });
    }
  }
} finally {
  await browser.close();
  await server.close();
}

const version = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
console.log(
  `\nfirst render, mount -> chart drawn (ms); ${runs} runs each, ${width}x${height}, ${args.theme} theme; ${version}, headless, software raster`
);
const header = ['points', 'what', 'median', 'p95', 'next frame (median)', 'ratio vs baseline (median)'];
const table = rows.map((r) => [
  r.points.toLocaleString('en-US'),
  r.label,
  r.median.toFixed(1),
  r.p95.toFixed(1),
  r.frameMedian.toFixed(1),
  `${r.ratio.toFixed(2)}x`,
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
table.forEach((r) => console.log(line(r)));

#!/usr/bin/env node
// npm run screenshots [-- --fixture <name>] [--theme dark|light] [--size 1920x1080] [--out dir] [--no-build]
// Renders every fixture (or one) in both themes at 1920x1080 and 3840x2160 and saves
// docs/screenshots/<fixture>-<theme>-<w>x<h>.png. Exits non-zero if any page logs an error.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { buildHarness } from '../harness/build.mjs';
import { startServer } from '../harness/server.mjs';
import { fixtureUrl, harnessPage, launchBrowser } from './harness/browser.mjs';

const { values: args } = parseArgs({
  options: {
    fixture: { type: 'string', multiple: true },
    theme: { type: 'string', multiple: true },
    size: { type: 'string', multiple: true },
    out: { type: 'string', default: 'docs/screenshots' },
    'no-build': { type: 'boolean', default: false },
  },
});

const themes = args.theme ?? ['dark', 'light'];
const sizes = (args.size ?? ['1920x1080', '3840x2160']).map((s) => {
  const [width, height] = s.split('x').map(Number);
  if (!width || !height) {
    throw new Error(`bad --size ${s}, want WxH`);
  }
  return { width, height };
});

const started = Date.now();
if (!args['no-build']) {
  const b = await buildHarness();
  console.log(`build: ${b.ms} ms`);
}
const server = await startServer();
const browser = await launchBrowser();
const failures = [];
let shots = 0;
try {
  await mkdir(args.out, { recursive: true });
  for (const { width, height } of sizes) {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
    const h = await harnessPage(context);
    const known = (await h.open(`${server.url}/`)).fixtures;
    const wanted = args.fixture ?? known.filter((f) => f.screenshots).map((f) => f.name);
    for (const name of wanted) {
      if (!known.some((f) => f.name === name)) {
        throw new Error(`no fixture "${name}"; known: ${known.map((f) => f.name).join(', ')}`);
      }
      for (const theme of themes) {
        const file = path.join(args.out, `${name}-${theme}-${width}x${height}.png`);
        const t = Date.now();
        try {
          await h.open(fixtureUrl(server.url, { fixture: name, theme }));
        } catch (e) {
          h.problems.push(String(e.message ?? e));
        }
        if (h.problems.length) {
          failures.push(`${file}:\n  ${h.problems.join('\n  ')}`);
          console.log(`FAIL ${file}`);
          continue;
        }
        await h.page.screenshot({ path: file });
        shots++;
        console.log(`ok   ${file} (${Date.now() - t} ms)`);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`${shots} screenshot(s), ${failures.length} failure(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}

#!/usr/bin/env node
// node scripts/wall-frames.mjs [--anchor 2026-01-08T00:00:00Z] [--db existing-demo.db]
// Produces the frames of every panel of dashboards/ops-wall.json from the demo data set, through
// the real query path (the kaizen CLI runs the same parser and engine as the data source), and
// writes them to harness/fixtures/data/wall-<panel id>.json for the wall fixture
// (harness/fixtures/wall.ts). The demo is seed 1, three months, anchored at the end of the
// harness's default time range, so the dashboard's "now-7d to now" is that range.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import * as prettier from 'prettier';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main() {
  const { values: args } = parseArgs({
    options: {
      anchor: { type: 'string', default: '2026-01-08T00:00:00Z' },
      db: { type: 'string' },
      dashboard: { type: 'string', default: 'dashboards/ops-wall.json' },
      out: { type: 'string', default: 'harness/fixtures/data' },
    },
  });

  const anchor = new Date(args.anchor);
  if (Number.isNaN(anchor.valueOf())) {
    throw new Error(`--anchor ${args.anchor}: not an RFC 3339 time`);
  }
  const dashboard = JSON.parse(readFileSync(path.join(REPO, args.dashboard), 'utf8'));
  let kaizenBin;
  let dbPath;
  const listValues = (type, dimension) => {
    const q = {
      refId: 'V',
      queryType: type,
      metric: type === 'incidents' ? 'count' : 'deployments',
      bucket: 'none',
      groupBy: [dimension],
    };
    const argv = [
      'query',
      '--db',
      dbPath,
      '--json',
      JSON.stringify(q),
      '--from',
      '2000-01-01T00:00:00Z',
      '--to',
      anchor.toISOString(),
    ];
    return labelValues(JSON.parse(execFileSync(kaizenBin, argv, { encoding: 'utf8' })), dimension);
  };
  const work = mkdtempSync(path.join(tmpdir(), 'kaizen-wall-'));
  try {
    const kaizen = path.join(work, 'kaizen');
    kaizenBin = kaizen;
    execFileSync('go', ['build', '-o', kaizen, './cmd/kaizen'], { cwd: REPO, stdio: 'inherit' });
    let db = args.db;
    dbPath = db;
    if (!db) {
      db = path.join(work, 'demo.db');
      console.log(`demo data set (seed 1, 3 months, anchor ${args.anchor}) ...`);
      execFileSync(kaizen, ['demo', '--db', db, '--seed', '1', '--months', '3', '--anchor', args.anchor], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      dbPath = db;
    }
    const to = anchor;
    const from = relativeStart(dashboard.time?.from ?? 'now-7d', to);
    // Grafana's interval for a full-width panel over the range: range / ~2000 px, at least 1m.
    const intervalMs = Math.max(60_000, Math.round((to - from) / 2000 / 60_000) * 60_000);
    const variables = resolveVariables(dashboard.templating?.list ?? [], listValues);
    mkdirSync(path.join(REPO, args.out), { recursive: true });
    for (const panel of dashboard.panels ?? []) {
      if (panel.type === 'row') {
        continue;
      }
      // A panel's own relative time (timeFrom: "30d") replaces the dashboard's range, as in Grafana.
      const panelFrom = panel.timeFrom ? relativeStart(`now-${panel.timeFrom}`, to) : from;
      const frames = [];
      for (const target of panel.targets ?? []) {
        const out = execFileSync(
          kaizen,
          [
            'query',
            '--db',
            db,
            '--json',
            JSON.stringify(expandVariables(target, variables)),
            '--from',
            panelFrom.toISOString(),
            '--to',
            to.toISOString(),
            '--interval',
            `${intervalMs / 60_000}m`,
          ],
          { encoding: 'utf8', maxBuffer: 64 << 20 }
        );
        for (const f of JSON.parse(out)) {
          f.schema.refId = target.refId;
          frames.push(f);
        }
      }
      const file = path.join(args.out, `wall-${panel.id}.json`);
      const record = {
        dashboard: args.dashboard,
        id: panel.id,
        type: panel.type,
        title: panel.title,
        gridPos: panel.gridPos,
        from: panelFrom.toISOString(),
        to: to.toISOString(),
        frames,
      };
      const target = path.join(REPO, file);
      // Formatted as the repository's prettier config wants, so lint:fix leaves the files alone.
      const options = await prettier.resolveConfig(target);
      writeFileSync(target, await prettier.format(JSON.stringify(record), { ...options, filepath: target }));
      console.log(`${file}: ${panel.type} "${panel.title}", ${frames.length} frame(s)`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}

/**
 * Each variable's current selection as the data source's templating sees it; All (the wall's
 * default) is every value of its values(<query type>, <dimension>) query, listed from the store as
 * GET values/<type>/<dimension> would (listValues: the distinct values of the dimension).
 */
export function resolveVariables(list, listValues) {
  const out = {};
  for (const v of list) {
    const current = [v.current?.value ?? []].flat();
    if (!current.includes('$__all')) {
      out[v.name] = current;
      continue;
    }
    const m = /^values\((incidents|delivery),\s*(\w+)\)$/.exec(v.query ?? '');
    if (!m) {
      throw new Error(`variable ${v.name}: cannot list the values of ${JSON.stringify(v.query)} for All`);
    }
    out[v.name] = listValues(m[1], m[2]);
  }
  return out;
}

/** The distinct values of a label over the fields of frames (SDK frame JSON), sorted. */
export function labelValues(frames, label) {
  const all = frames.flatMap((f) => f.schema.fields.map((fl) => fl.labels?.[label]).filter((x) => x !== undefined));
  return [...new Set(all)].sort();
}

/** Replaces "$name" / "${name}" entries of string lists (the filters) by the variable's values. */
export function expandVariables(value, vars) {
  if (Array.isArray(value)) {
    return value.flatMap((x) => {
      const m = typeof x === 'string' ? /^\$\{?(\w+)\}?$/.exec(x) : null;
      return m && vars[m[1]] ? vars[m[1]] : [expandVariables(x, vars)];
    });
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, expandVariables(x, vars)]));
  }
  return value;
}

/** now-7d, now-24h, now-30m relative to the anchor (the forms dashboards use for a wall). */
export function relativeStart(expr, now) {
  const m = /^now-(\d+)([smhdw])$/.exec(expr);
  if (!m) {
    throw new Error(`dashboard time.from ${expr}: want now-<n><unit>`);
  }
  const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 }[m[2]];
  return new Date(now.valueOf() - Number(m[1]) * unit);
}

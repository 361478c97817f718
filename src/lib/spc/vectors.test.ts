import fs from 'fs';
import path from 'path';

import { computeSpc } from './compute';
import { SpcError, SpcInput, SpcOptions } from './types';

// Written by scripts/golden/spc.py (python3 scripts/golden/spc.py --write); tests never rewrite them.
const DIR = path.resolve(process.cwd(), 'testdata/spc');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface VectorCase {
  name: string;
  input: { values: Array<number | string>; sizes?: Array<number | string>; times?: string[] };
  options: Omit<SpcOptions, 'baseline'> & { baseline?: { points?: number; from?: string; to?: string } };
  expected?: Json;
  error?: { field: string };
}

interface VectorFile {
  tolerance: { relative: number; absolute: number };
  cases: VectorCase[];
}

const SPECIAL: Record<string, number> = { NaN: NaN, Inf: Infinity, '-Inf': -Infinity };

function num(v: number | string): number {
  return typeof v === 'number' ? v : SPECIAL[v];
}

function toInput(c: VectorCase): SpcInput {
  return {
    values: c.input.values.map(num),
    sizes: c.input.sizes?.map(num),
    times: c.input.times?.map((t) => Date.parse(t)),
  };
}

function toOptions(c: VectorCase): SpcOptions {
  const { baseline, ...rest } = c.options;
  const opt: SpcOptions = { ...rest };
  if (baseline) {
    opt.baseline = {
      points: baseline.points,
      from: baseline.from === undefined ? undefined : Date.parse(baseline.from),
      to: baseline.to === undefined ? undefined : Date.parse(baseline.to),
    };
  }
  return opt;
}

/** Numbers within tolerance, RFC 3339 strings against epoch ms, a missing key as null. */
function compare(
  at: string,
  got: Json | undefined,
  want: Json | undefined,
  tol: VectorFile['tolerance'],
  diffs: string[]
): void {
  const g = got ?? null;
  const w = want ?? null;
  if (typeof w === 'number') {
    const ok =
      typeof g === 'number' &&
      Math.abs(g - w) <= Math.max(tol.absolute, tol.relative * Math.max(Math.abs(g), Math.abs(w)));
    if (!ok) {
      diffs.push(`${at}: got ${g}, want ${w}`);
    }
  } else if (typeof w === 'string') {
    if (g !== w && !(typeof g === 'number' && g === Date.parse(w))) {
      diffs.push(`${at}: got ${g}, want ${w}`);
    }
  } else if (Array.isArray(w)) {
    if (!Array.isArray(g) || g.length !== w.length) {
      diffs.push(`${at}: got ${JSON.stringify(g)}, want ${JSON.stringify(w)}`);
      return;
    }
    w.forEach((wi, i) => compare(`${at}[${i}]`, g[i], wi, tol, diffs));
  } else if (w !== null && typeof w === 'object') {
    if (g === null || typeof g !== 'object' || Array.isArray(g)) {
      diffs.push(`${at}: got ${JSON.stringify(g)}, want an object`);
      return;
    }
    const keys = new Set([...Object.keys(w), ...Object.keys(g)]);
    [...keys].sort().forEach((k) => compare(`${at}.${k}`, g[k], w[k], tol, diffs));
  } else if (g !== w) {
    diffs.push(`${at}: got ${JSON.stringify(g)}, want ${JSON.stringify(w)}`);
  }
}

const FILES = ['rules', 'xmr', 'xbar', 'attributes', 'ewma', 'cusum', 'errors'];

describe.each(FILES)('golden vectors %s.json', (file) => {
  const vf: VectorFile = JSON.parse(fs.readFileSync(path.join(DIR, `${file}.json`), 'utf8'));

  it('has cases and a tolerance', () => {
    expect(vf.cases.length).toBeGreaterThan(0);
    expect(vf.tolerance.relative).toBe(1e-9);
  });

  it.each(vf.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    if (c.error) {
      let caught: unknown;
      try {
        computeSpc(toInput(c), toOptions(c));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SpcError);
      expect((caught as SpcError).field).toBe(c.error.field);
      return;
    }
    const got: Json = JSON.parse(JSON.stringify(computeSpc(toInput(c), toOptions(c))));
    const diffs: string[] = [];
    compare('', got, c.expected, vf.tolerance, diffs);
    expect(diffs.slice(0, 10)).toEqual([]);
  });
});

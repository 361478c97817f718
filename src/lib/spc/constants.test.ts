import fs from 'fs';
import path from 'path';

import { constantsFor, MAX_SUBGROUP, MIN_SUBGROUP, SpcConstants, XMR_D2 } from './constants';

const file = JSON.parse(fs.readFileSync(path.resolve(process.cwd(), 'testdata/spc/constants.json'), 'utf8')) as {
  xmrD2: number;
  table: SpcConstants[];
};

describe('SPC constants', () => {
  it('match the reference table at full precision', () => {
    expect(XMR_D2).toBe(file.xmrD2);
    expect(file.table).toHaveLength(MAX_SUBGROUP - MIN_SUBGROUP + 1);
    for (const row of file.table) {
      const k = constantsFor(row.n)!;
      for (const key of ['d2', 'd3', 'c4', 'A2', 'A3', 'D3', 'D4', 'B3', 'B4'] as const) {
        expect(Math.abs(k[key] - row[key])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(row[key])));
      }
    }
  });

  it('c4 agrees with the exact gamma ratio', () => {
    // G(n) = Γ(n/2)/Γ((n-1)/2): G(2) = 1/√π, G(3) = √π/2, G(n+2) = G(n) n/(n-1).
    const g = [0, 0, 1 / Math.sqrt(Math.PI), Math.sqrt(Math.PI) / 2];
    for (let n = 4; n <= MAX_SUBGROUP; n++) {
      g[n] = (g[n - 2] * (n - 2)) / (n - 3);
    }
    for (let n = MIN_SUBGROUP; n <= MAX_SUBGROUP; n++) {
      expect(constantsFor(n)!.c4).toBeCloseTo(Math.sqrt(2 / (n - 1)) * g[n], 14);
    }
  });

  it.each([
    [2, 1.128, 1.88, 0, 3.267],
    [5, 2.326, 0.577, 0, 2.114],
    [7, 2.704, 0.419, 0.076, 1.924],
    [25, 3.931, 0.153, 0.459, 1.541],
  ])('n=%d agrees with the printed table', (n, d2, a2, d3f, d4f) => {
    const k = constantsFor(n)!;
    expect(Math.abs(k.d2 - d2)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(k.A2 - a2)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(k.D3 - d3f)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(k.D4 - d4f)).toBeLessThanOrEqual(0.001);
  });

  it('has no constants outside 2..25', () => {
    expect(constantsFor(1)).toBeUndefined();
    expect(constantsFor(26)).toBeUndefined();
    expect(constantsFor(2.5)).toBeUndefined();
  });
});

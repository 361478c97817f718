import { computeSpc, sigmaLine } from './compute';
import { parseRules } from './rules';
import { RunRuleId, SpcError } from './types';

// Frozen center 0 and sigma 1: zone lines at exactly ±1, ±2, ±3.
const unit = { center: 0, sigma: 1 };
const rep = (v: number, n: number) => new Array<number>(n).fill(v);
const alt = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => (i % 2 ? b : a));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

describe('run rule edges', () => {
  it.each<[string, RunRuleId, number[], Array<[number, number[]]>]>([
    ['8 on one side: no nelson-2', 'nelson-2', [-1, ...rep(0.5, 8), -1], []],
    ['9 on one side', 'nelson-2', [-1, ...rep(0.5, 9)], [[9, range(1, 9)]]],
    [
      '10 on one side fires twice',
      'nelson-2',
      rep(-0.5, 10),
      [
        [8, range(0, 8)],
        [9, range(1, 9)],
      ],
    ],
    ['center line breaks a run', 'nelson-2', [...rep(0.5, 4), 0, ...rep(0.5, 8)], []],
    ['8 on one side: we-4', 'we-4', rep(0.5, 8), [[7, range(0, 7)]]],
    ['5 rising', 'nelson-3', [0.1, 0.2, 0.3, 0.4, 0.5], []],
    ['6 rising', 'nelson-3', [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [[5, range(0, 5)]]],
    ['tie breaks a trend', 'nelson-3', [0.1, 0.2, 0.3, 0.3, 0.4, 0.5], []],
    ['13 alternating', 'nelson-4', alt(0.5, -0.5, 13), []],
    ['14 alternating', 'nelson-4', alt(0.5, -0.5, 14), [[13, range(0, 13)]]],
    ['2 of 3 beyond 2σ', 'nelson-5', [2.5, 0, 2.1], [[2, [0, 2]]]],
    ['2 of 3 at the start', 'we-2', [-2.5, -2.5, 0], [[1, [0, 1]]]],
    ['exactly 2σ is not beyond', 'nelson-5', rep(2, 3), []],
    ['3 of 5 beyond 1σ', 'we-3', [1.5, 0, 1.5, 0, 1.5], []],
    ['4 of 5 beyond 1σ', 'nelson-6', [1.5, 1.5, 0, 1.5, 1.5], [[4, [0, 1, 3, 4]]]],
    ['14 within 1σ', 'nelson-7', alt(0.2, -0.3, 14), []],
    ['15 within 1σ', 'nelson-7', alt(0.2, 0.3, 15), [[14, range(0, 14)]]],
    ['7 beyond 1σ', 'nelson-8', alt(1.5, -1.5, 7), []],
    ['8 beyond 1σ either side', 'nelson-8', alt(1.5, -1.5, 8), [[7, range(0, 7)]]],
    ['on the limit is not beyond', 'nelson-1', [3, -3], []],
    [
      'beyond the limits',
      'we-1',
      [3.001, -4],
      [
        [0, [0]],
        [1, [1]],
      ],
    ],
  ])('%s', (_name, rule, values, want) => {
    const res = computeSpc({ values }, { chart: 'xmr', rules: [rule], frozen: unit });
    expect(res.violations.map((v) => [v.index, v.points])).toEqual(want);
    for (const v of res.violations) {
      expect(res.points.violations[v.index]).toContain(rule);
    }
  });
});

describe('parseRules', () => {
  it('expands groups, ignores case and space, keeps canonical order', () => {
    expect(parseRules(['we-4', ' Nelson-1', 'nelson-1'])).toEqual(['nelson-1', 'we-4']);
    expect(parseRules(['westernelectric'])).toEqual(['we-1', 'we-2', 'we-3', 'we-4']);
    expect(parseRules(['nelson'])).toHaveLength(8);
    expect(parseRules(undefined)).toEqual([]);
  });

  it('rejects unknown ids, naming the field', () => {
    expect(() => parseRules(['nelson-9'])).toThrow(SpcError);
    expect(() => parseRules(['ewma-limit'])).toThrow(/rules: unknown rule/);
  });
});

describe('results', () => {
  it('gives zone lines and hand-computed XmR limits of a signed quantity', () => {
    const res = computeSpc({ values: [1, 3, 2, 4] }, { chart: 'xmr' });
    const sigma = 5 / 3 / 1.128;
    expect(res.center).toBeCloseTo(2.5, 12);
    expect(res.lcl!).toBeCloseTo(2.5 - 3 * sigma, 12);
    expect(res.lcl!).toBeLessThan(0);
    expect(sigmaLine(res, -2)[0]).toBeCloseTo(2.5 - 2 * sigma, 12);
    expect(res.baseline).toEqual({ first: 0, last: 3 });
  });

  it('marks both ids when Nelson and Western Electric overlap', () => {
    const res = computeSpc({ values: [0, 0, 5] }, { chart: 'xmr', rules: ['nelson', 'westernelectric'], frozen: unit });
    expect(res.points.violations[2]).toEqual(['nelson-1', 'we-1']);
    expect(res.baseline).toBeNull();
  });

  it('tells data errors from option errors', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as SpcError;
      }
      throw new Error('no error');
    };
    expect(err(() => computeSpc({ values: [1, NaN] }, { chart: 'xmr' })).inData).toBe(true);
    expect(err(() => computeSpc({ values: [1, 2] }, { chart: 'xbar-r', subgroup: 1 })).inData).toBe(false);
  });
});

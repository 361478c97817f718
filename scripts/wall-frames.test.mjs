// node --test scripts/wall-frames.test.mjs: the pure parts of scripts/wall-frames.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { expandVariables, labelValues, relativeStart, resolveVariables } from './wall-frames.mjs';

test('relativeStart: now-<n><unit> before the anchor', () => {
  const now = new Date('2026-01-08T00:00:00Z');
  assert.equal(relativeStart('now-7d', now).toISOString(), '2026-01-01T00:00:00.000Z');
  assert.equal(relativeStart('now-30d', now).toISOString(), '2025-12-09T00:00:00.000Z');
  assert.equal(relativeStart('now-6h', now).toISOString(), '2026-01-07T18:00:00.000Z');
  assert.throws(() => relativeStart('now/d', now), /time.from now\/d: want now-<n><unit>/);
});

test('expandVariables: a "$name" entry of a list becomes the values, anything else stays', () => {
  const target = {
    queryType: 'slo',
    filters: { service: ['$service'], environment: ['production'], team: ['${team}'] },
    title: '$service',
  };
  const got = expandVariables(target, { service: ['checkout', 'search'], team: ['sre'] });
  assert.deepEqual(got, {
    queryType: 'slo',
    filters: { service: ['checkout', 'search'], environment: ['production'], team: ['sre'] },
    title: '$service', // only lists (filters) expand, as the data source does
  });
  assert.deepEqual(expandVariables({ filters: { service: ['$unknown'] } }, {}), { filters: { service: ['$unknown'] } });
});

test('resolveVariables: a selection as is, All from the store, anything else refused', () => {
  const asked = [];
  const list = (type, dim) => {
    asked.push(`${type}/${dim}`);
    return ['api', 'web'];
  };
  const vars = resolveVariables(
    [
      { name: 'service', query: 'values(incidents, service)', current: { value: ['$__all'] } },
      { name: 'env', query: 'values(delivery, environment)', current: { value: 'production' } },
    ],
    list
  );
  assert.deepEqual(vars, { service: ['api', 'web'], env: ['production'] });
  assert.deepEqual(asked, ['incidents/service']);
  assert.throws(
    () => resolveVariables([{ name: 'kpi', query: 'values(kpi)', current: { value: '$__all' } }], list),
    /variable kpi: cannot list the values of "values\(kpi\)" for All/
  );
});

test('labelValues: distinct label values over every field, sorted', () => {
  const frames = [
    { schema: { fields: [{ name: 'count', labels: { service: 'web' } }] } },
    { schema: { fields: [{ name: 'count', labels: { service: 'api' } }, { name: 'time' }] } },
    { schema: { fields: [{ name: 'count', labels: { service: 'web' } }] } },
  ];
  assert.deepEqual(labelValues(frames, 'service'), ['api', 'web']);
});

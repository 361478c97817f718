import { parseVariableQuery, valuesPath } from './datasource';

describe('parseVariableQuery', () => {
  it.each([
    ['service', { dimension: 'service' }],
    ['  team ', { dimension: 'team' }],
    ['values(severity)', { dimension: 'severity' }],
    ['values( detected_by )', { dimension: 'detected_by' }],
    ['values(delivery, environment)', { queryType: 'delivery', dimension: 'environment' }],
    ['values(flow,value_stream)', { queryType: 'flow', dimension: 'value_stream' }],
    ['values(kpi)', { dimension: 'kpi' }],
  ])('%s', (query, want) => {
    expect(parseVariableQuery(query)).toEqual(want);
  });
});

describe('valuesPath', () => {
  it('names the family when there is one', () => {
    expect(valuesPath({ queryType: 'delivery', dimension: 'environment' })).toBe('values/delivery/environment');
    expect(valuesPath({ dimension: 'service' })).toBe('values/service');
    expect(valuesPath({ dimension: 'a/b' })).toBe('values/a%2Fb');
  });
});

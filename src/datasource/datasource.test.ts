import { parseVariableQuery } from './datasource';

describe('parseVariableQuery', () => {
  it.each([
    ['service', 'service'],
    ['  team ', 'team'],
    ['values(severity)', 'severity'],
    ['values( detected_by )', 'detected_by'],
  ])('%s names the dimension %s', (query, dimension) => {
    expect(parseVariableQuery(query)).toBe(dimension);
  });
});

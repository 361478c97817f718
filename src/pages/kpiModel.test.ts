import {
  EMPTY_FORM,
  formToRecord,
  formatMoney,
  formatValue,
  groupByFamily,
  searchCatalog,
  thresholdSentence,
  versionChanges,
} from './kpiModel';
import type { CatalogEntry } from './kpiApi';
import { definition } from './fixtures';

describe('thresholdSentence', () => {
  it('says thresholds are reached from the target side, inclusive (higher is better)', () => {
    expect(thresholdSentence({ direction: 'higher', target: 99.9, warning: 99.5, critical: 99, unit: 'percent' })).toBe(
      'Target 99.9% (higher is better). Warning at 99.5% or below. Critical at 99% or below.'
    );
  });

  it('reads "or above" when lower is better, and says when there are no thresholds', () => {
    expect(thresholdSentence({ direction: 'lower', target: 200, warning: 300, critical: null, unit: 'ms' })).toBe(
      'Target 200 ms (lower is better). Warning at 300 ms or above.'
    );
    expect(thresholdSentence({ direction: 'lower', target: 5, warning: null, critical: null, unit: '' })).toBe(
      'Target 5 (lower is better). No thresholds: the state is always ok.'
    );
  });
});

describe('formToRecord', () => {
  const form = {
    ...EMPTY_FORM,
    id: ' availability ',
    name: 'Availability',
    target: '99.9',
    warning: '99.5',
    critical: '',
    unit: 'percent',
  };

  it('sends numbers as numbers and leaves out empty inputs', () => {
    const { record, errors } = formToRecord(form);
    expect(errors).toEqual({});
    expect(record).toEqual({
      id: 'availability',
      name: 'Availability',
      direction: 'higher',
      target: 99.9,
      warning: 99.5,
      unit: 'percent',
      status: 'active',
    });
  });

  it('names the version the edit started from', () => {
    expect(formToRecord(form, 3).record?.base_version).toBe(3);
  });

  it('names every input it cannot read', () => {
    const { record, errors } = formToRecord({ ...EMPTY_FORM, target: 'ninety', costPerUnit: '1e999' });
    expect(record).toBeUndefined();
    expect(errors).toEqual({
      id: 'Required',
      name: 'Required',
      target: '"ninety" is not a number',
      costPerUnit: '"1e999" is not a number',
    });
  });
});

describe('catalog helpers', () => {
  const entry = (family: string, metric: string, formula = ''): CatalogEntry => ({
    queryType: family.toLowerCase(),
    metric,
    name: metric.toUpperCase(),
    family,
    formula,
    unit: 's',
    description: '',
    source: 'ITIL 4',
  });
  const entries = [
    entry('Incidents', 'mttr', 'resolved_at − started_at'),
    entry('KPIs', 'attainment', 'value ÷ target'),
    entry('Incidents', 'mttd'),
  ];

  it('groups by family in catalog order', () => {
    expect(groupByFamily(entries).map((g) => [g.family, g.entries.map((e) => e.metric)])).toEqual([
      ['Incidents', ['mttr', 'mttd']],
      ['KPIs', ['attainment']],
    ]);
  });

  it('searches every word across name, formula and source', () => {
    expect(searchCatalog(entries, 'resolved').map((e) => e.metric)).toEqual(['mttr']);
    expect(searchCatalog(entries, 'itil TARGET').map((e) => e.metric)).toEqual(['attainment']);
    expect(searchCatalog(entries, '  ')).toHaveLength(3);
  });

  it('shows definition values exactly in their unit, never rounded or rescaled', () => {
    expect(formatValue(99.95, 'percent')).toBe('99.95%');
    expect(formatValue(300, 'ms')).toBe('300 ms');
    expect(formatValue(1500, 'ms')).toBe('1500 ms');
    expect(formatValue(null, 's')).toBe('—');
    expect(formatValue(3, '')).toBe('3');
    expect(formatMoney(1200, 'USD')).toBe('$1,200.00');
    expect(formatMoney(0.125, 'EUR')).toBe('€0.125');
    expect(formatMoney(40, '')).toBe('40');
  });
});

describe('versionChanges', () => {
  it('names each field a version changed, old → new', () => {
    const v1 = definition({});
    expect(versionChanges(undefined, v1)).toEqual(['created']);
    expect(
      versionChanges(
        v1,
        definition({ version: 2, target: 99.95, critical: null, owner: 'ops', description: 'new words' })
      )
    ).toEqual(['target 99.9 → 99.95', 'critical 99 → none', 'owner sre → ops', 'description']);
    expect(versionChanges(v1, definition({ version: 2, status: 'retired' }))).toEqual(['status active → retired']);
  });
});

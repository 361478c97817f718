import { CATALOG } from './fixtures';
import { BOARD, kaizenEvent } from './kaizenFixtures';
import {
  changeSentence,
  EMPTY_FORM,
  formatP,
  formatPercent,
  formFromEvent,
  formToRecord,
  neededSentence,
  stateLook,
  targetEntries,
  targetQuery,
  verdictLook,
} from './kaizenModel';

describe('kaizen event form', () => {
  it('round-trips a stored event: the record sent back is the event, with the revision it read', () => {
    const e = kaizenEvent({
      target: { queryType: 'incidents', metric: 'mttr', stat: 'median', bucket: '1d', incident: { end: 'mitigated' } },
    });
    const { record, errors } = formToRecord(formFromEvent(e), e.revision);
    expect(errors).toEqual({});
    expect(record).toEqual({
      id: 'kz-runbook',
      name: 'Checkout runbook',
      owner: 'sre',
      description: 'A step-by-step runbook for checkout payment incidents',
      hypothesis: 'Responders restore checkout faster with a runbook',
      target: { queryType: 'incidents', metric: 'mttr', stat: 'median', bucket: '1d', incident: { end: 'mitigated' } },
      expected_direction: 'lower',
      expected_change_pct: 20,
      proposed_at: '2025-01-15T00:00:00Z',
      deployed_at: '2025-03-01T00:00:00Z',
      review_days: [30, 60, 90],
      baseline_days: 30,
      after_days: 30,
      settling_days: 0,
      status: 'deployed',
      base_revision: 2,
    });
  });

  it('builds the target query from the picked metric, leaving empty filters out', () => {
    const form = {
      ...EMPTY_FORM,
      target: 'kpi/attainment',
      stat: '',
      bucket: ' ',
      filters: { kpi: ['availability'], owner: [] },
    };
    expect(targetQuery(form)).toEqual({
      queryType: 'kpi',
      metric: 'attainment',
      bucket: '1d',
      filters: { kpi: ['availability'] },
    });
    expect(targetQuery({ ...EMPTY_FORM, target: '' })).toBeUndefined();
  });

  it('reads review days as a list, "none" as no reviews, and refuses what is not whole days', () => {
    const base = { ...EMPTY_FORM, id: 'x', name: 'X', target: 'incidents/mttr' };
    expect(formToRecord({ ...base, reviewDays: '7 14,28' }).record?.review_days).toEqual([7, 14, 28]);
    expect(formToRecord({ ...base, reviewDays: 'none' }).record?.review_days).toEqual([]);
    expect(formToRecord({ ...base, reviewDays: '' }).record?.review_days).toBeUndefined();
    expect(formToRecord({ ...base, reviewDays: '30, 1.5' }).errors.reviewDays).toMatch(/Whole numbers/);
  });

  it('offers every catalog metric but kaizen, spc and annotations as a target', () => {
    const withOwn = [
      ...CATALOG,
      { ...CATALOG[0], queryType: 'kaizen', metric: 'impact' },
      { ...CATALOG[0], queryType: 'spc', metric: 'chart' },
    ];
    expect(targetEntries(withOwn).map((e) => `${e.queryType}/${e.metric}`)).toEqual([
      'incidents/mttr',
      'kpi/attainment',
      'kpi/stale',
    ]);
  });
});

describe('kaizen board wording', () => {
  it('says each verdict and state in words with an icon, never colour alone', () => {
    expect(BOARD.map((r) => verdictLook(r).text)).toEqual(['Improved', 'Worsened', 'Not enough data', 'Not deployed']);
    expect(verdictLook({ ...BOARD[0], error: 'target fails' })).toEqual({
      text: 'Cannot measure',
      color: 'red',
      icon: 'exclamation-circle',
    });
    for (const s of ['sustained', 'eroding', 'lost', 'pending', 'insufficient-data'] as const) {
      expect(stateLook(s).icon).toBeTruthy();
    }
    expect(stateLook('eroding')).toEqual({ text: 'Eroding', color: 'orange', icon: 'arrow-down' });
  });

  it('formats changes, p-values and what is missing', () => {
    expect(changeSentence(BOARD[0])).toBe('−50 % (1 hour → 30 mins)');
    expect(changeSentence(BOARD[3])).toBe('—');
    expect(formatPercent(-0.0512)).toBe('−5.1 %');
    expect(formatPercent(0)).toBe('0.0 %');
    expect(formatPercent(null)).toBe('—');
    expect(formatP(0.0421)).toBe('p = 0.04');
    expect(formatP(0.0031)).toBe('p = 0.003');
    expect(formatP(3e-7)).toBe('p < 0.0001');
    expect(neededSentence({ before: 2, after: 5 })).toBe(
      'Needs 2 more before the change and 5 more after it for a verdict.'
    );
    expect(neededSentence(undefined)).toBe('');
  });
});

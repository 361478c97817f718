import type { SLODefinition } from './sloApi';
import { budgetSentence, EMPTY_FORM, formFromDefinition, formToDefinition, slaSentence, windowMs } from './sloModel';

describe('formToDefinition', () => {
  it('reads a rolling counts SLO, defaulting the name to the id', () => {
    const { definition, errors } = formToDefinition({
      ...EMPTY_FORM,
      id: 'checkout',
      objective: '99.95',
      window: '4w',
    });
    expect(errors).toEqual({});
    expect(definition).toEqual({
      id: 'checkout',
      name: 'checkout',
      service: '',
      team: '',
      description: '',
      objective: 99.95,
      sli: 'counts',
      window: '4w',
    });
  });

  it('reads an incident-based calendar SLA with tiers', () => {
    const { definition } = formToDefinition({
      ...EMPTY_FORM,
      id: 'api',
      service: 'api',
      windowKind: 'calendar',
      calendar: 'quarter',
      sli: 'incidents',
      severities: ['sev1'],
      sla: true,
      contractValue: '12000',
      currency: 'usd',
      penaltyPerBreach: '500',
    });
    expect(definition).toMatchObject({
      calendar: 'quarter',
      incidents: { severities: ['sev1'], end: 'resolved' },
      sla: {
        period: 'month',
        tiers: [
          { below: 99.9, credit: 10 },
          { below: 99, credit: 25 },
        ],
        contract_value: 12000,
        currency: 'USD',
        penalty_per_breach: 500,
      },
    });
    expect(definition?.window).toBeUndefined();
  });

  it.each([
    ['id', { id: 'a b' }],
    ['objective', { id: 'a', objective: '0.999' }],
    ['objective', { id: 'a', objective: 'high' }],
    ['window', { id: 'a', window: '30m' }],
    ['window', { id: 'a', window: 'a month' }],
    ['service', { id: 'a', sli: 'incidents' as const }],
    ['contractValue', { id: 'a', sla: true }],
    ['tiers', { id: 'a', sla: true, contractValue: '1', tiers: [{ below: '99.95', credit: '10' }] }],
    [
      'tiers',
      {
        id: 'a',
        sla: true,
        contractValue: '1',
        tiers: [
          { below: '99.9', credit: '25' },
          { below: '99', credit: '10' },
        ],
      },
    ],
    ['currency', { id: 'a', sla: true, contractValue: '1', currency: 'euro' }],
  ])('names the field at fault: %s', (fieldName, patch) => {
    const { definition, errors } = formToDefinition({ ...EMPTY_FORM, ...patch });
    expect(definition).toBeUndefined();
    expect(Object.keys(errors)).toContain(fieldName);
  });

  it('round-trips a stored definition', () => {
    const d: SLODefinition = {
      id: 'x',
      name: 'X',
      service: 's',
      team: 't',
      description: 'd',
      objective: 99.5,
      window: '7d',
      sli: 'counts',
      sla: { period: 'quarter', tiers: [{ below: 99, credit: 5 }], contract_value: 100, currency: 'EUR' },
    };
    expect(formToDefinition(formFromDefinition(d)).definition).toEqual({
      ...d,
      sla: { ...d.sla, penalty_per_breach: undefined },
    });
  });
});

describe('sentences', () => {
  it('says what the objective allows', () => {
    // 0.1% of 30 d = 0.001 × 2,592,000 s = 2,592 s = 43.2 min
    expect(budgetSentence(99.9, 'rolling', '30d', 'month')).toBe(
      'Allows 0.1% of events to be bad: 43.2 min of full outage per 30d.'
    );
    // 0.05% of a 30-day month = 1,296 s = 21.6 min
    expect(budgetSentence(99.95, 'calendar', '', 'month')).toBe(
      'Allows 0.05% of events to be bad: 21.6 min of full outage per calendar month.'
    );
    expect(budgetSentence(100, 'rolling', '30d', 'month')).toBe('No error budget: any bad event breaches the SLO.');
    expect(windowMs('4w')).toBe(28 * 86_400_000);
  });
  it('states an SLA', () => {
    expect(
      slaSentence({
        id: 'a',
        name: 'a',
        service: '',
        team: '',
        description: '',
        objective: 99.9,
        sli: 'counts',
        sla: {
          period: 'month',
          tiers: [
            { below: 99, credit: 25 },
            { below: 99.9, credit: 10 },
          ],
          contract_value: 12000,
          currency: 'EUR',
          penalty_per_breach: 500,
        },
      })
    ).toBe('Monthly: below 99.9% → 10%, below 99% → 25% of 12,000 EUR; 500 EUR per breached month');
  });
});

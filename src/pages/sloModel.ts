// Pure functions behind the SLO page: the form's state, reading it into a definition (with the
// checks the API makes, so mistakes show beside their field before a round trip), and the
// sentences that say what an SLO allows.
import type { PenaltyTier, SLODefinition } from './sloApi';

export interface TierForm {
  below: string;
  credit: string;
}

/** The form as typed: numbers stay text until read. */
export interface SLOForm {
  id: string;
  name: string;
  service: string;
  team: string;
  description: string;
  objective: string;
  windowKind: 'rolling' | 'calendar';
  window: string;
  calendar: 'week' | 'month' | 'quarter';
  sli: 'counts' | 'incidents';
  severities: string[];
  incidentEnd: 'resolved' | 'mitigated';
  sla: boolean;
  slaPeriod: 'month' | 'quarter';
  tiers: TierForm[];
  contractValue: string;
  currency: string;
  penaltyPerBreach: string;
}

export type FormErrors = Partial<Record<keyof SLOForm | 'tiers', string>>;

export const EMPTY_FORM: SLOForm = {
  id: '',
  name: '',
  service: '',
  team: '',
  description: '',
  objective: '99.9',
  windowKind: 'rolling',
  window: '30d',
  calendar: 'month',
  sli: 'counts',
  severities: [],
  incidentEnd: 'resolved',
  sla: false,
  slaPeriod: 'month',
  tiers: [
    { below: '99.9', credit: '10' },
    { below: '99', credit: '25' },
  ],
  contractValue: '',
  currency: 'EUR',
  penaltyPerBreach: '',
};

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const WINDOW = /^(\d+)([mhdw])$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** A rolling window in ms ("30d", "4w", "12h"), or undefined when it is not one. */
export function windowMs(text: string): number | undefined {
  const m = WINDOW.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : undefined;
}

export function formFromDefinition(d: SLODefinition): SLOForm {
  return {
    id: d.id,
    name: d.name,
    service: d.service,
    team: d.team,
    description: d.description,
    objective: String(d.objective),
    windowKind: d.calendar ? 'calendar' : 'rolling',
    window: d.window ?? '30d',
    calendar: d.calendar ?? 'month',
    sli: d.sli,
    severities: d.incidents?.severities ?? [],
    incidentEnd: d.incidents?.end ?? 'resolved',
    sla: Boolean(d.sla),
    slaPeriod: d.sla?.period ?? 'month',
    tiers: d.sla?.tiers?.map((t) => ({ below: String(t.below), credit: String(t.credit) })) ?? [],
    contractValue: d.sla?.contract_value ? String(d.sla.contract_value) : '',
    currency: d.sla?.currency ?? '',
    penaltyPerBreach: d.sla?.penalty_per_breach ? String(d.sla.penalty_per_breach) : '',
  };
}

function num(text: string): number | undefined {
  const t = text.trim();
  if (t === '') {
    return undefined;
  }
  const v = Number(t);
  return Number.isFinite(v) ? v : NaN;
}

/** Reads the form into a definition, or says what is wrong with which field. */
export function formToDefinition(f: SLOForm): { definition?: SLODefinition; errors: FormErrors } {
  const errors: FormErrors = {};
  if (!ID.test(f.id.trim())) {
    errors.id = 'Letters, digits, . _ : - (at most 100), starting with a letter or digit';
  }
  const objective = num(f.objective);
  if (objective === undefined || Number.isNaN(objective) || objective <= 0 || objective > 100) {
    errors.objective = 'A percentage above 0 and at most 100, e.g. 99.9';
  } else if (objective < 1) {
    errors.objective = `That looks like a ratio; give a percentage such as ${objective * 100}`;
  }
  if (f.windowKind === 'rolling') {
    const ms = windowMs(f.window);
    if (ms === undefined || ms < 3_600_000 || ms > 366 * 86_400_000) {
      errors.window = 'Whole minutes, hours, days or weeks between 1h and 366d, e.g. 30d or 4w';
    }
  }
  if (f.sli === 'incidents' && !f.service.trim()) {
    errors.service = 'An incident-based SLO counts the downtime of this service';
  }
  let tiers: PenaltyTier[] = [];
  let contract: number | undefined;
  let perBreach: number | undefined;
  if (f.sla) {
    tiers = f.tiers
      .filter((t) => t.below.trim() !== '' || t.credit.trim() !== '')
      .map((t) => ({ below: num(t.below) ?? NaN, credit: num(t.credit) ?? NaN }));
    const sorted = [...tiers].sort((a, b) => b.below - a.below);
    for (let i = 0; i < sorted.length; i++) {
      const t = sorted[i];
      if (!(t.below > 0 && t.below <= 100) || !(t.credit > 0 && t.credit <= 100)) {
        errors.tiers = 'Each tier: below a compliance percentage, a credit of 0 to 100% of the contract value';
      } else if (objective !== undefined && t.below > objective) {
        errors.tiers = `A tier below ${t.below}% is above the objective: a period that meets it would owe a credit`;
      } else if (i > 0 && t.credit <= sorted[i - 1].credit) {
        errors.tiers = 'Lower compliance must owe a larger credit';
      }
    }
    contract = num(f.contractValue);
    if (contract !== undefined && (Number.isNaN(contract) || contract < 0)) {
      errors.contractValue = 'An amount, 0 or more';
    } else if (tiers.length > 0 && !(contract && contract > 0)) {
      errors.contractValue = 'Credits are shares of the contract value: give it';
    }
    perBreach = num(f.penaltyPerBreach);
    if (perBreach !== undefined && (Number.isNaN(perBreach) || perBreach < 0)) {
      errors.penaltyPerBreach = 'An amount, 0 or more';
    }
    if (f.currency.trim() && !/^[A-Za-z]{3}$/.test(f.currency.trim())) {
      errors.currency = 'An ISO 4217 code such as EUR or USD';
    }
  }
  if (Object.keys(errors).length > 0) {
    return { errors };
  }
  const d: SLODefinition = {
    id: f.id.trim(),
    name: f.name.trim() || f.id.trim(),
    service: f.service.trim(),
    team: f.team.trim(),
    description: f.description,
    objective: objective!,
    sli: f.sli,
  };
  if (f.windowKind === 'rolling') {
    d.window = f.window.trim();
  } else {
    d.calendar = f.calendar;
  }
  if (f.sli === 'incidents') {
    d.incidents = { severities: f.severities.length ? f.severities : undefined, end: f.incidentEnd };
  }
  if (f.sla) {
    d.sla = {
      period: f.slaPeriod,
      tiers: tiers.length ? tiers : undefined,
      contract_value: contract,
      currency: f.currency.trim().toUpperCase() || undefined,
      penalty_per_breach: perBreach,
    };
  }
  return { definition: d, errors };
}

/** "43.2 min" from seconds. */
export function humanDuration(seconds: number): string {
  const fmt = (v: number) => String(Number(v.toFixed(v >= 100 ? 0 : 1)));
  if (seconds < 90) {
    return `${fmt(seconds)} s`;
  }
  if (seconds < 2 * 3600) {
    return `${fmt(seconds / 60)} min`;
  }
  if (seconds < 3 * 86400) {
    return `${fmt(seconds / 3600)} h`;
  }
  return `${fmt(seconds / 86400)} d`;
}

const PERIOD_DAYS = { week: 7, month: 30, quarter: 91 };

/**
 * What the objective allows, in words: "Allows 0.1% of events to be bad: 43.2 min of full outage
 * per 30d." Calendar periods use a 30-day month and a 91-day quarter.
 */
export function budgetSentence(
  objective: number,
  windowKind: SLOForm['windowKind'],
  window: string,
  calendar: SLOForm['calendar']
): string {
  if (!(objective > 0 && objective <= 100)) {
    return '';
  }
  if (objective === 100) {
    return 'No error budget: any bad event breaches the SLO.';
  }
  const share = Math.round((100 - objective) * 1e6) / 1e6;
  const ms = windowKind === 'rolling' ? windowMs(window) : PERIOD_DAYS[calendar] * 86_400_000;
  const per = windowKind === 'rolling' ? window.trim() : `calendar ${calendar}`;
  if (ms === undefined) {
    return `Allows ${share}% of events to be bad.`;
  }
  return `Allows ${share}% of events to be bad: ${humanDuration(((100 - objective) / 100) * (ms / 1000))} of full outage per ${per}.`;
}

/** "monthly: below 99.9% → 10%, below 99% → 25% of 12,000 EUR" */
export function slaSentence(d: SLODefinition): string {
  if (!d.sla) {
    return '';
  }
  const parts = [...(d.sla.tiers ?? [])]
    .sort((a, b) => b.below - a.below)
    .map((t) => `below ${t.below}% → ${t.credit}%`);
  const value = d.sla.contract_value
    ? ` of ${new Intl.NumberFormat('en').format(d.sla.contract_value)}${d.sla.currency ? ` ${d.sla.currency}` : ''}`
    : '';
  const breach = d.sla.penalty_per_breach
    ? `${parts.length ? '; ' : ''}${new Intl.NumberFormat('en').format(d.sla.penalty_per_breach)}${d.sla.currency ? ` ${d.sla.currency}` : ''} per breached ${d.sla.period}`
    : '';
  return `${d.sla.period === 'quarter' ? 'Quarterly' : 'Monthly'}: ${parts.join(', ')}${value}${breach}`;
}

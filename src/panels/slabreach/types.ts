/** How the status grid orders its tiles. */
export type SortOrder = 'severity' | 'name' | 'budget' | 'burn';

export interface SLABreachOptions {
  /** Views, top to bottom: counts strip, status grid, burn-down and burn rates, breach timeline, penalties. */
  showSummary: boolean;
  showGrid: boolean;
  showBurndown: boolean;
  showBurnRates: boolean;
  showTimeline: boolean;
  showPenalties: boolean;
  /** At risk when the error budget left is below this percentage (and not breached). */
  atRiskBudget: number;
  /** At risk when the 1h burn rate is above this factor; 0 turns the rule off. */
  atRiskBurn: number;
  /** At risk while the SRE workbook's burn-rate alert says ticket or page. */
  atRiskOnAlert: boolean;
  sort: SortOrder;
  /** SLO (id) or service the burn-down and burn rates show; empty: the most urgent. */
  focus: string;
  /** Grid tiles show the SLO name instead of the service. */
  tileLabel: 'service' | 'name';
}

export const DEFAULT_OPTIONS: SLABreachOptions = {
  showSummary: true,
  showGrid: true,
  showBurndown: true,
  showBurnRates: true,
  showTimeline: true,
  showPenalties: true,
  atRiskBudget: 25,
  atRiskBurn: 0,
  atRiskOnAlert: true,
  sort: 'severity',
  focus: '',
  tileLabel: 'service',
};

export const SORT_LABELS: Record<SortOrder, string> = {
  severity: 'Most urgent first',
  name: 'Name',
  budget: 'Least budget left',
  burn: 'Fastest burn',
};

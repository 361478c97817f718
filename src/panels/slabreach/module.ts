import { FieldConfigProperty, PanelPlugin } from '@grafana/data';

import { SLABreachPanel } from './SLABreachPanel';
import { DEFAULT_OPTIONS as D, SORT_LABELS, type SLABreachOptions, type SortOrder } from './types';

const VIEWS = 'Views';
const STATUS = 'Status';

export const plugin = new PanelPlugin<SLABreachOptions>(SLABreachPanel)
  .useFieldConfig({
    // Status has its own colors, icons and words; the data's units are ratios and seconds it formats itself.
    disableStandardOptions: [FieldConfigProperty.Color, FieldConfigProperty.Thresholds, FieldConfigProperty.Mappings],
  })
  .setPanelOptions((builder) =>
    builder
      .addBooleanSwitch({
        category: [VIEWS],
        path: 'showSummary',
        name: 'Counts',
        description: 'SLOs breached, at risk and compliant, and penalties owed, in one line',
        defaultValue: D.showSummary,
      })
      .addBooleanSwitch({
        category: [VIEWS],
        path: 'showGrid',
        name: 'Status grid',
        description: 'One tile per SLO: status, compliance, budget left, 1h burn rate',
        defaultValue: D.showGrid,
      })
      .addBooleanSwitch({
        category: [VIEWS],
        path: 'showBurndown',
        name: 'Budget burn-down',
        description: 'Error budget left over the current window against the ideal even burn',
        defaultValue: D.showBurndown,
      })
      .addBooleanSwitch({
        category: [VIEWS],
        path: 'showBurnRates',
        name: 'Burn rate per window',
        description: 'With the SRE workbook alert thresholds',
        defaultValue: D.showBurnRates,
      })
      .addBooleanSwitch({
        category: [VIEWS],
        path: 'showTimeline',
        name: 'Breach timeline',
        defaultValue: D.showTimeline,
      })
      .addBooleanSwitch({
        category: [VIEWS],
        path: 'showPenalties',
        name: 'SLA penalties',
        description: 'Shown when the data has SLA periods',
        defaultValue: D.showPenalties,
      })
      .addTextInput({
        category: [VIEWS],
        path: 'focus',
        name: 'SLO in detail',
        description: 'SLO id or service for the burn-down and burn rates ($variables work); empty: the most urgent',
        defaultValue: D.focus,
      })
      .addNumberInput({
        category: [STATUS],
        path: 'atRiskBudget',
        name: 'At risk below budget (%)',
        description: 'An SLO with less error budget left than this is at risk',
        defaultValue: D.atRiskBudget,
        settings: { min: 0, max: 100 },
      })
      .addBooleanSwitch({
        category: [STATUS],
        path: 'atRiskOnAlert',
        name: 'At risk on burn-rate alert',
        description: 'While the workbook alert says ticket (3d & 6h > 1×) or page (1h & 5m > 14.4×, 6h & 30m > 6×)',
        defaultValue: D.atRiskOnAlert,
      })
      .addNumberInput({
        category: [STATUS],
        path: 'atRiskBurn',
        name: 'At risk above 1h burn rate',
        description: '0 turns this rule off',
        defaultValue: D.atRiskBurn,
        settings: { min: 0 },
      })
      .addSelect({
        category: [STATUS],
        path: 'sort',
        name: 'Sort',
        defaultValue: D.sort,
        settings: {
          options: (Object.keys(SORT_LABELS) as SortOrder[]).map((s) => ({ value: s, label: SORT_LABELS[s] })),
        },
      })
      .addRadio({
        category: [STATUS],
        path: 'tileLabel',
        name: 'Tile label',
        defaultValue: D.tileLabel,
        settings: {
          options: [
            { value: 'service', label: 'Service' },
            { value: 'name', label: 'SLO name' },
          ],
        },
      })
  );

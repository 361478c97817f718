import { FieldColorModeId, FieldConfigProperty, PanelPlugin } from '@grafana/data';

import { CHART_TYPES } from '../../lib/spc';
import { CHART_LABELS } from './chart';
import { ControlChartPanel } from './ControlChartPanel';
import { RulesEditor } from './RulesEditor';
import { DEFAULT_OPTIONS as D, type ControlChartOptions } from './types';

const CHART = 'Chart';
const BASELINE = 'Baseline (limits)';
const SERIES = 'Series';
const DISPLAY = 'Display';

export const plugin = new PanelPlugin<ControlChartOptions>(ControlChartPanel)
  .useFieldConfig({
    standardOptions: {
      // palette colors per series, as the time series panel; thresholds mode would paint it green
      [FieldConfigProperty.Color]: { defaultValue: { mode: FieldColorModeId.PaletteClassic } },
    },
  })
  .setPanelOptions((builder) =>
    builder
      .addSelect({
        category: [CHART],
        path: 'chartType',
        name: 'Chart type',
        description:
          'XmR for one value per time (latency, MTTR per week); p/np/u/c for counts; EWMA and CUSUM for small shifts',
        defaultValue: D.chartType,
        settings: { options: CHART_TYPES.map((c) => ({ value: c, label: CHART_LABELS[c] })) },
      })
      .addCustomEditor({
        category: [CHART],
        id: 'rules',
        path: 'rules',
        name: 'Run rules',
        description: 'Patterns that signal special-cause variation; each violation is marked with its rule',
        editor: RulesEditor,
        defaultValue: D.rules,
        showIf: (o) => o.chartType !== 'ewma' && o.chartType !== 'cusum',
      })
      .addNumberInput({
        category: [CHART],
        path: 'subgroup',
        name: 'Subgroup size',
        description: 'Consecutive points averaged into one subgroup (2 to 25)',
        defaultValue: D.subgroup,
        settings: { min: 2, max: 25, integer: true },
        showIf: (o) => o.chartType === 'xbar-r' || o.chartType === 'xbar-s',
      })
      .addFieldNamePicker({
        category: [CHART],
        path: 'sizeField',
        name: 'Sample size field',
        description: 'Number field with n per point (p: inspected, np: constant n, u: units)',
        showIf: (o) => o.chartType === 'p' || o.chartType === 'np' || o.chartType === 'u',
      })
      .addNumberInput({
        category: [CHART],
        path: 'sampleSize',
        name: 'Constant sample size',
        description: 'Used when no sample size field is picked',
        settings: { min: 1 },
        showIf: (o) => (o.chartType === 'p' || o.chartType === 'np' || o.chartType === 'u') && !o.sizeField,
      })
      .addNumberInput({
        category: [CHART],
        path: 'lambda',
        name: 'EWMA weight λ',
        description: 'Weight of the newest point, in (0, 1]; smaller finds smaller shifts',
        defaultValue: D.lambda,
        settings: { min: 0.01, max: 1, step: 0.05 },
        showIf: (o) => o.chartType === 'ewma',
      })
      .addNumberInput({
        category: [CHART],
        path: 'L',
        name: 'EWMA limit width L (σ)',
        defaultValue: D.L,
        settings: { min: 0.1 },
        showIf: (o) => o.chartType === 'ewma',
      })
      .addNumberInput({
        category: [CHART],
        path: 'k',
        name: 'CUSUM allowance k (σ)',
        description: 'Half the shift to detect, in sigmas',
        defaultValue: D.k,
        settings: { min: 0 },
        showIf: (o) => o.chartType === 'cusum',
      })
      .addNumberInput({
        category: [CHART],
        path: 'h',
        name: 'CUSUM decision interval h (σ)',
        defaultValue: D.h,
        settings: { min: 0.1 },
        showIf: (o) => o.chartType === 'cusum',
      })
      .addRadio({
        category: [BASELINE],
        path: 'baselineMode',
        name: 'Limits from',
        description: 'Phase I: the points the center and sigma are estimated from, then applied to every point',
        defaultValue: D.baselineMode,
        settings: {
          options: [
            { value: 'all', label: 'All points' },
            { value: 'first', label: 'First N points' },
            { value: 'range', label: 'Time range' },
            { value: 'frozen', label: 'Frozen values' },
          ],
        },
      })
      .addNumberInput({
        category: [BASELINE],
        path: 'baselinePoints',
        name: 'Baseline points',
        description: 'The first N plotted points (subgroups for X-bar charts)',
        defaultValue: D.baselinePoints,
        settings: { min: 1, integer: true },
        showIf: (o) => o.baselineMode === 'first',
      })
      .addTextInput({
        category: [BASELINE],
        path: 'baselineFrom',
        name: 'Baseline from',
        description: 'now-30d, or 2026-01-01T00:00:00Z; empty: from the first point',
        defaultValue: D.baselineFrom,
        showIf: (o) => o.baselineMode === 'range',
      })
      .addTextInput({
        category: [BASELINE],
        path: 'baselineTo',
        name: 'Baseline to',
        description: 'now-7d, or 2026-01-15T00:00:00Z; empty: to the last point',
        defaultValue: D.baselineTo,
        showIf: (o) => o.baselineMode === 'range',
      })
      .addNumberInput({
        category: [BASELINE],
        path: 'frozenCenter',
        name: 'Center',
        description: 'Known process mean (p: proportion, c/u: rate)',
        showIf: (o) => o.baselineMode === 'frozen',
      })
      .addNumberInput({
        category: [BASELINE],
        path: 'frozenSigma',
        name: 'Sigma',
        description: 'Known sigma of single observations (not for attribute charts); or give UCL and LCL instead',
        showIf: (o) => o.baselineMode === 'frozen',
      })
      .addNumberInput({
        category: [BASELINE],
        path: 'frozenUcl',
        name: 'UCL',
        showIf: (o) => o.baselineMode === 'frozen',
      })
      .addNumberInput({
        category: [BASELINE],
        path: 'frozenLcl',
        name: 'LCL',
        showIf: (o) => o.baselineMode === 'frozen',
      })
      .addRadio({
        category: [SERIES],
        path: 'fieldMode',
        name: 'Series',
        description: 'One chart per number field and frame, or only the field picked',
        defaultValue: D.fieldMode,
        settings: {
          options: [
            { value: 'repeat', label: 'One chart per series' },
            { value: 'single', label: 'One field' },
          ],
        },
      })
      .addFieldNamePicker({
        category: [SERIES],
        path: 'field',
        name: 'Field',
        showIf: (o) => o.fieldMode === 'single',
      })
      .addRadio({
        category: [SERIES],
        path: 'limitsSource',
        name: 'Limits in the data',
        description:
          'Frames from the Kaizen Ops spc query (or shaped like it) carry their limits; use them, or compute here',
        defaultValue: D.limitsSource,
        settings: {
          options: [
            { value: 'auto', label: 'Use them' },
            { value: 'compute', label: 'Compute here' },
          ],
        },
      })
      .addRadio({
        category: [SERIES],
        path: 'phases',
        name: 'Kaizen phases',
        description:
          'Split the chart at each kaizen event (a kaizen "phases" query beside the series, or kaizen annotations): limits per phase, the verdict at the boundary',
        defaultValue: D.phases,
        settings: {
          options: [
            { value: 'auto', label: 'When given' },
            { value: 'off', label: 'Off' },
          ],
        },
      })
      .addBooleanSwitch({ category: [DISPLAY], path: 'showZones', name: '1σ and 2σ zones', defaultValue: D.showZones })
      .addBooleanSwitch({
        category: [DISPLAY],
        path: 'showSummary',
        name: 'Summary',
        description: 'In control or not, points and violations, in large type',
        defaultValue: D.showSummary,
      })
      .addBooleanSwitch({ category: [DISPLAY], path: 'showLegend', name: 'Legend', defaultValue: D.showLegend })
  );

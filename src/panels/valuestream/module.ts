import { FieldConfigProperty, PanelPlugin } from '@grafana/data';

import {
  DEFAULT_OPTIONS as D,
  STAT_LABELS,
  type DurationUnit,
  type HighlightRule,
  type MapStat,
  type ValueStreamOptions,
} from './types';
import { ValueStreamPanel } from './ValueStreamPanel';

const MAP = 'Value stream map';
const SCATTER = 'Cycle-time scatter';

export const plugin = new PanelPlugin<ValueStreamOptions>(ValueStreamPanel)
  .useFieldConfig({
    // Durations follow the field's unit (seconds from the data source); color and thresholds are
    // not used: stage status has its own colors, icons and words.
    disableStandardOptions: [FieldConfigProperty.Color, FieldConfigProperty.Thresholds, FieldConfigProperty.Mappings],
  })
  .setPanelOptions((builder) =>
    builder
      .addRadio({
        category: [MAP],
        path: 'stat',
        name: 'Statistic',
        description: 'How stage, lead and cycle times of the completed items are summarized',
        defaultValue: D.stat,
        settings: {
          options: (['median', 'mean', 'p85'] as MapStat[]).map((s) => ({
            value: s,
            label: s === 'p85' ? 'p85' : STAT_LABELS[s],
          })),
        },
      })
      .addRadio({
        category: [MAP],
        path: 'unit',
        name: 'Duration unit',
        description: 'auto follows the field unit (seconds, scaled to minutes, hours or days)',
        defaultValue: D.unit,
        settings: {
          options: [
            { value: 'auto' as DurationUnit, label: 'auto' },
            { value: 'm' as DurationUnit, label: 'minutes' },
            { value: 'h' as DurationUnit, label: 'hours' },
            { value: 'd' as DurationUnit, label: 'days' },
          ],
        },
      })
      .addNumberInput({
        category: [MAP],
        path: 'decimals',
        name: 'Decimals',
        settings: { min: 0, max: 4, integer: true },
      })
      .addRadio({
        category: [MAP],
        path: 'highlight',
        name: 'Bottleneck',
        description:
          'longest wait: the stage or queue items wait in longest; WIP over limit: the most overloaded stage; both: longest wait, and every stage over its limit flagged',
        defaultValue: D.highlight,
        settings: {
          options: [
            { value: 'both' as HighlightRule, label: 'both' },
            { value: 'wait' as HighlightRule, label: 'longest wait' },
            { value: 'wip' as HighlightRule, label: 'WIP over limit' },
            { value: 'none' as HighlightRule, label: 'none' },
          ],
        },
      })
      .addBooleanSwitch({
        category: [MAP],
        path: 'showRibbon',
        name: 'Timeline ribbon',
        description: 'Wait and process steps in proportion to time',
        defaultValue: D.showRibbon,
      })
      .addBooleanSwitch({
        category: [SCATTER],
        path: 'showScatter',
        name: 'Show the scatter',
        description: 'Needs a second flow query with metric "items"; draws p50, p85 and p95 lines',
        defaultValue: D.showScatter,
      })
  );

// Shaped like src/panels/<name>/module.ts, so the harness loads it exactly as it will load real panels.
import { FieldColorModeId, FieldConfigProperty, PanelPlugin } from '@grafana/data';

import { DemoChartPanel } from './DemoChartPanel';
import type { DemoOptions } from './types';

export const plugin = new PanelPlugin<DemoOptions>(DemoChartPanel)
  .useFieldConfig({
    standardOptions: {
      [FieldConfigProperty.Color]: { defaultValue: { mode: FieldColorModeId.PaletteClassic } },
    },
  })
  .setPanelOptions((builder) =>
    builder
      .addBooleanSwitch({ path: 'showZones', name: 'Sigma zones', defaultValue: true })
      .addBooleanSwitch({ path: 'showLegend', name: 'Legend', defaultValue: true })
      .addSliderInput({
        path: 'baselineFraction',
        name: 'Baseline share',
        defaultValue: 0.5,
        settings: { min: 0.1, max: 1, step: 0.05 },
      })
  );

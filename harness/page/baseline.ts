// The render benchmark's named baseline: a bare uPlot instance over the same points and size,
// with no Grafana code in the way. Ratios against it show what the panel adds.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { FieldType, type DataFrame, type GrafanaTheme2 } from '@grafana/data';

import { uplotDrawn } from './readiness';

export function mountBareUplot(
  el: HTMLElement,
  frames: DataFrame[],
  width: number,
  height: number,
  theme: GrafanaTheme2
) {
  const frame = frames.find((f) => f.fields.some((x) => x.type === FieldType.time));
  const time = frame?.fields.find((x) => x.type === FieldType.time);
  const value = frame?.fields.find((x) => x.type === FieldType.number);
  if (!time || !value) {
    throw new Error('baseline needs a frame with a time and a number field');
  }
  const axis = { stroke: theme.colors.text.primary, grid: { stroke: theme.colors.border.weak } };
  return new uPlot(
    {
      width,
      height,
      ms: 1,
      scales: { x: { time: true } },
      series: [{}, { stroke: theme.visualization.getColorByName('green'), width: 2 }],
      axes: [axis, axis],
      legend: { show: false },
      hooks: { draw: [uplotDrawn] },
    },
    [time.values, value.values],
    el
  );
}

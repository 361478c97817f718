// uPlot hooks that draw control-chart overlays on the plot canvas. Hooks get canvas pixels
// (valToPos(..., true), u.bbox), so sizes given in CSS pixels are scaled by devicePixelRatio.
import type uPlot from 'uplot';
import { colorManipulator, type GrafanaTheme2 } from '@grafana/data';
import { UPLOT_AXIS_FONT_SIZE } from '@grafana/ui';

import type { Limits, Violation } from './limits';

export type Formatter = (v: number) => string;

const px = (cssPx: number) => Math.round(cssPx * (window.devicePixelRatio || 1));

/** Shaded 1/2/3 sigma zones; registered on 'drawClear' so grid and series draw on top. */
export function drawZones(theme: GrafanaTheme2, yKey: string, getLimits: () => Limits) {
  const zoneColors = ['green', 'yellow', 'orange'].map((c) =>
    colorManipulator.alpha(theme.visualization.getColorByName(c), theme.isDark ? 0.1 : 0.14)
  );
  return (u: uPlot) => {
    const { cl, sigma } = getLimits();
    const { ctx, bbox } = u;
    ctx.save();
    for (let k = 3; k >= 1; k--) {
      const top = u.valToPos(cl + k * sigma, yKey, true);
      const bottom = u.valToPos(cl - k * sigma, yKey, true);
      ctx.fillStyle = zoneColors[k - 1];
      ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
    }
    ctx.restore();
  };
}

/** Phase I (baseline) x-range, shaded and labelled; on 'drawClear'. */
export function drawBaseline(theme: GrafanaTheme2, getRange: () => [number, number] | null) {
  return (u: uPlot) => {
    const range = getRange();
    if (!range) {
      return;
    }
    const { ctx, bbox } = u;
    const x0 = Math.max(bbox.left, u.valToPos(range[0], 'x', true));
    const x1 = Math.min(bbox.left + bbox.width, u.valToPos(range[1], 'x', true));
    ctx.save();
    ctx.fillStyle = colorManipulator.alpha(theme.colors.text.primary, 0.05);
    ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
    ctx.strokeStyle = theme.colors.text.secondary;
    ctx.lineWidth = px(1);
    ctx.setLineDash([px(4), px(4)]);
    ctx.beginPath();
    ctx.moveTo(x1, bbox.top);
    ctx.lineTo(x1, bbox.top + bbox.height);
    ctx.stroke();
    ctx.fillStyle = theme.colors.text.secondary;
    ctx.font = `${px(UPLOT_AXIS_FONT_SIZE)}px ${theme.typography.fontFamily}`;
    ctx.textBaseline = 'top';
    ctx.fillText('Baseline (phase I)', x0 + px(6), bbox.top + px(4));
    ctx.restore();
  };
}

/** CL, UCL and LCL as horizontal lines with value labels at the right edge; on 'draw'. */
export function drawLimitLines(theme: GrafanaTheme2, yKey: string, getLimits: () => Limits, format: Formatter) {
  const red = theme.visualization.getColorByName('red');
  return (u: uPlot) => {
    const l = getLimits();
    const { ctx, bbox } = u;
    const lines: Array<[string, number, string, number[]]> = [
      ['UCL', l.ucl, red, [px(8), px(6)]],
      ['CL', l.cl, theme.colors.text.primary, []],
      ['LCL', l.lcl, red, [px(8), px(6)]],
    ];
    ctx.save();
    ctx.font = `${theme.typography.fontWeightMedium} ${px(theme.typography.fontSize)}px ${theme.typography.fontFamily}`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    for (const [name, value, color, dash] of lines) {
      const y = Math.round(u.valToPos(value, yKey, true));
      ctx.strokeStyle = color;
      ctx.lineWidth = px(2);
      ctx.setLineDash(dash);
      ctx.beginPath();
      ctx.moveTo(bbox.left, y);
      ctx.lineTo(bbox.left + bbox.width, y);
      ctx.stroke();
      ctx.fillStyle = color;
      ctx.fillText(`${name} ${format(value)}`, bbox.left + bbox.width - px(6), y - px(3));
    }
    ctx.restore();
  };
}

export type MarkerShape = 'triangle' | 'square';

/** Shape per rule, so status never relies on color alone. */
export function traceMarker(ctx: CanvasRenderingContext2D, shape: MarkerShape, x: number, y: number, r: number) {
  ctx.beginPath();
  if (shape === 'triangle') {
    ctx.moveTo(x, y - r);
    ctx.lineTo(x + r, y + r * 0.8);
    ctx.lineTo(x - r, y + r * 0.8);
    ctx.closePath();
  } else {
    ctx.rect(x - r * 0.8, y - r * 0.8, r * 1.6, r * 1.6);
  }
}

/** Violation markers over the series; on 'draw'. */
export function drawMarkers(
  theme: GrafanaTheme2,
  yKey: string,
  getViolations: () => Violation[],
  style: Record<Violation['rule'], { shape: MarkerShape; color: string }>
) {
  return (u: uPlot) => {
    const xs = u.data[0];
    const ys = u.data[1];
    const { ctx } = u;
    ctx.save();
    ctx.lineWidth = px(1.5);
    ctx.strokeStyle = theme.colors.background.primary;
    for (const v of getViolations()) {
      const yv = ys[v.index];
      if (yv == null) {
        continue;
      }
      const { shape, color } = style[v.rule];
      traceMarker(ctx, shape, u.valToPos(xs[v.index], 'x', true), u.valToPos(yv, yKey, true), px(7));
      ctx.fillStyle = color;
      ctx.fill();
      ctx.stroke();
    }
    ctx.restore();
  };
}

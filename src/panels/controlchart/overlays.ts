// uPlot hooks that draw the control chart's overlays on the plot canvas: sigma zones, baseline range,
// limit lines with their values, and a marker per violation. Hooks work in canvas pixels
// (valToPos(..., true), u.bbox); CSS sizes are scaled by devicePixelRatio and the panel's scale.
import type uPlot from 'uplot';
import { colorManipulator, type GrafanaTheme2 } from '@grafana/data';

import type { ChartModel } from './chart';
import { isRuleId, RULES, type MarkerShape } from './rules';

export interface OverlayState {
  model: ChartModel;
  showZones: boolean;
  /** Size factor for wall displays: 1 on a dashboard panel, up to 3 on a 4K screen. */
  scale: number;
  format: (v: number) => string;
}

const dpr = () => window.devicePixelRatio || 1;

function clipToPlot(u: uPlot) {
  const { ctx, bbox } = u;
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
}

function isConstant(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) {
    if (xs[i] !== xs[0]) {
      return false;
    }
  }
  return true;
}

/**
 * Vertices of a stepped line through (xs[i], ys[i]) in canvas pixels, one per change of pixel row,
 * so 100k points of a slowly changing limit cost a few hundred vertices. A constant line spans the plot.
 */
export function stepVertices(u: uPlot, xs: readonly number[], ys: readonly number[], yKey: string): number[] {
  const { bbox } = u;
  if (ys.length === 0) {
    return [];
  }
  if (isConstant(ys)) {
    const y = u.valToPos(ys[0], yKey, true);
    return [bbox.left, y, bbox.left + bbox.width, y];
  }
  const out: number[] = [];
  let lastY = NaN;
  for (let i = 0; i < ys.length; i++) {
    const x = u.valToPos(xs[i], 'x', true);
    const y = Math.round(u.valToPos(ys[i], yKey, true) * 2) / 2;
    if (y !== lastY) {
      if (out.length > 0) {
        out.push(x, lastY);
      }
      out.push(x, y);
      lastY = y;
    }
  }
  out.push(u.valToPos(xs[xs.length - 1], 'x', true), lastY);
  return out;
}

function tracePolyline(ctx: CanvasRenderingContext2D, v: number[], move = true) {
  for (let i = 0; i < v.length; i += 2) {
    if (i === 0 && move) {
      ctx.moveTo(v[0], v[1]);
    } else {
      ctx.lineTo(v[i], v[i + 1]);
    }
  }
}

/** Fills between two stepped lines. */
function fillBand(
  u: uPlot,
  xs: readonly number[],
  upper: readonly number[],
  lower: readonly number[],
  yKey: string,
  color: string
) {
  const { ctx, bbox } = u;
  ctx.fillStyle = color;
  if (isConstant(upper) && isConstant(lower)) {
    const top = u.valToPos(upper[0], yKey, true);
    const bottom = u.valToPos(lower[0], yKey, true);
    ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
    return;
  }
  const up = stepVertices(u, xs, upper, yKey);
  const low = stepVertices(u, xs, lower, yKey);
  const back: number[] = [];
  for (let i = low.length - 2; i >= 0; i -= 2) {
    back.push(low[i], low[i + 1]);
  }
  ctx.beginPath();
  tracePolyline(ctx, up);
  tracePolyline(ctx, back, false);
  ctx.closePath();
  ctx.fill();
}

/** Shaded zones: within 1σ, 1 to 2σ, 2 to 3σ; on 'drawClear', so grid and series draw on top. */
export function drawZones(theme: GrafanaTheme2, yKey: string, get: () => OverlayState) {
  const alpha = theme.isDark ? 0.12 : 0.16;
  const [c1, c2, c3] = ['green', 'yellow', 'orange'].map((c) =>
    colorManipulator.alpha(theme.visualization.getColorByName(c), alpha)
  );
  return (u: uPlot) => {
    const { model, showZones } = get();
    const z = model.zones;
    if (!showZones || !z || model.times.length === 0) {
      return;
    }
    const xs = model.times;
    u.ctx.save();
    clipToPlot(u);
    fillBand(u, xs, model.ucl, z.plus2, yKey, c3);
    fillBand(u, xs, z.minus2, model.lcl, yKey, c3);
    fillBand(u, xs, z.plus2, z.plus1, yKey, c2);
    fillBand(u, xs, z.minus1, z.minus2, yKey, c2);
    fillBand(u, xs, z.plus1, z.minus1, yKey, c1);
    u.ctx.restore();
  };
}

/** The baseline (phase I) time range: shaded, edged, and labelled at the top; on 'drawClear'. */
export function drawBaseline(theme: GrafanaTheme2, get: () => OverlayState) {
  return (u: uPlot) => {
    const { model, scale } = get();
    const range = model.baselineRange;
    if (!range) {
      return;
    }
    const { ctx, bbox } = u;
    const px = (v: number) => Math.round(v * dpr() * scale);
    const x0 = Math.max(bbox.left, u.valToPos(range[0], 'x', true));
    const x1 = Math.min(bbox.left + bbox.width, u.valToPos(range[1], 'x', true));
    if (x1 <= x0) {
      return;
    }
    ctx.save();
    ctx.fillStyle = colorManipulator.alpha(theme.colors.primary.main, theme.isDark ? 0.1 : 0.08);
    ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
    ctx.strokeStyle = theme.colors.primary.text;
    ctx.lineWidth = Math.max(1, px(1.5));
    ctx.setLineDash([px(6), px(4)]);
    ctx.beginPath();
    for (const x of [x0, x1]) {
      ctx.moveTo(Math.round(x) + 0.5, bbox.top);
      ctx.lineTo(Math.round(x) + 0.5, bbox.top + bbox.height);
    }
    ctx.stroke();
    ctx.fillStyle = theme.colors.primary.text;
    ctx.font = `${theme.typography.fontWeightMedium} ${px(13)}px ${theme.typography.fontFamily}`;
    ctx.textBaseline = 'top';
    ctx.fillText('Baseline', x0 + px(6), bbox.top + px(5));
    ctx.restore();
  };
}

/** The limit labels ("UCL 213 ms") as drawn in the gutter right of the plot. */
export function limitLabels(model: ChartModel, format: (v: number) => string): string[] {
  const last = (xs: readonly number[]) => xs[xs.length - 1];
  return [`UCL ${format(last(model.ucl))}`, `CL ${format(last(model.center))}`, `LCL ${format(last(model.lcl))}`];
}

/** Font size (CSS px) of the limit labels. */
export const limitLabelFont = (scale: number) => Math.round(14 * Math.min(scale, 2.2));

/**
 * CL, UCL, LCL (and thin ±1σ, ±2σ lines); on 'draw'. Their values at the newest point are written
 * in a gutter right of the plot (config.ts pads for it), so they never cover a point.
 */
export function drawLimitLines(theme: GrafanaTheme2, yKey: string, get: () => OverlayState) {
  const red = theme.visualization.getColorByName('red');
  return (u: uPlot) => {
    const { model, showZones, scale, format } = get();
    if (model.times.length === 0) {
      return;
    }
    const { ctx, bbox } = u;
    const px = (v: number) => Math.max(1, Math.round(v * dpr() * scale));
    const xs = model.times;
    ctx.save();
    clipToPlot(u);
    if (showZones && model.zones) {
      ctx.strokeStyle = colorManipulator.alpha(theme.colors.text.secondary, 0.6);
      ctx.lineWidth = px(1);
      ctx.setLineDash([px(2), px(4)]);
      for (const line of [model.zones.plus1, model.zones.minus1, model.zones.plus2, model.zones.minus2]) {
        ctx.beginPath();
        tracePolyline(ctx, stepVertices(u, xs, line, yKey));
        ctx.stroke();
      }
    }
    const labels = limitLabels(model, format);
    const lines: Array<[string, readonly number[], string, number[]]> = [
      [labels[0], model.ucl, red, [px(10), px(6)]],
      [labels[1], model.center, theme.colors.text.primary, []],
      [labels[2], model.lcl, red, [px(10), px(6)]],
    ];
    const ends: number[] = [];
    for (const [, ys, color, dash] of lines) {
      const v = stepVertices(u, xs, ys, yKey);
      ctx.strokeStyle = color;
      ctx.lineWidth = px(2);
      ctx.setLineDash(dash);
      ctx.beginPath();
      tracePolyline(ctx, v);
      ctx.stroke();
      ends.push(v[v.length - 1]);
    }
    ctx.restore();
    // Labels top to bottom, pushed apart when limits sit close together.
    const font = limitLabelFont(scale) * dpr();
    ctx.save();
    ctx.font = `${theme.typography.fontWeightMedium} ${Math.round(font)}px ${theme.typography.fontFamily}`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    const gap = font * 1.15;
    const ys = [...ends];
    for (let i = 1; i < ys.length; i++) {
      ys[i] = Math.max(ys[i], ys[i - 1] + gap);
    }
    lines.forEach(([label, , color], i) => {
      ctx.fillStyle = color;
      ctx.fillText(label, bbox.left + bbox.width + font * 0.5, ys[i]);
    });
    ctx.restore();
  };
}

/** What traceMarker draws on: a canvas context, or pathData's recorder for SVG legends. */
export type PathSink = Pick<CanvasRenderingContext2D, 'beginPath' | 'moveTo' | 'lineTo' | 'closePath' | 'rect' | 'arc'>;

/** Traces a marker centred at (x, y) with radius r; `up` flips triangles for points below the center. */
export function traceMarker(ctx: PathSink, shape: MarkerShape, x: number, y: number, r: number, up = true) {
  ctx.beginPath();
  switch (shape) {
    case 'triangle': {
      const d = up ? 1 : -1;
      ctx.moveTo(x, y - d * r);
      ctx.lineTo(x + r, y + d * r * 0.8);
      ctx.lineTo(x - r, y + d * r * 0.8);
      ctx.closePath();
      break;
    }
    case 'square':
      ctx.rect(x - r * 0.8, y - r * 0.8, r * 1.6, r * 1.6);
      break;
    case 'diamond':
      ctx.moveTo(x, y - r);
      ctx.lineTo(x + r, y);
      ctx.lineTo(x, y + r);
      ctx.lineTo(x - r, y);
      ctx.closePath();
      break;
    case 'circle':
      ctx.arc(x, y, r * 0.85, 0, 2 * Math.PI);
      break;
    case 'hexagon':
      for (let k = 0; k < 6; k++) {
        const a = Math.PI / 6 + (k * Math.PI) / 3;
        ctx[k === 0 ? 'moveTo' : 'lineTo'](x + r * Math.cos(a), y + r * Math.sin(a));
      }
      ctx.closePath();
      break;
    case 'star':
      for (let k = 0; k < 10; k++) {
        const a = -Math.PI / 2 + (k * Math.PI) / 5;
        const rr = k % 2 === 0 ? r * 1.1 : r * 0.45;
        ctx[k === 0 ? 'moveTo' : 'lineTo'](x + rr * Math.cos(a), y + rr * Math.sin(a));
      }
      ctx.closePath();
      break;
    case 'cross':
    case 'plus': {
      // a thick X or + as a closed outline, so it fills and strokes like the others
      const t = r * 0.32;
      const pts = [
        [t, r],
        [t, t],
        [r, t],
        [r, -t],
        [t, -t],
        [t, -r],
        [-t, -r],
        [-t, -t],
        [-r, -t],
        [-r, t],
        [-t, t],
        [-t, r],
      ];
      const rot = shape === 'cross' ? Math.PI / 4 : 0;
      pts.forEach(([px, py], k) => {
        const rx = px * Math.cos(rot) - py * Math.sin(rot);
        const ry = px * Math.sin(rot) + py * Math.cos(rot);
        ctx[k === 0 ? 'moveTo' : 'lineTo'](x + rx, y + ry);
      });
      ctx.closePath();
      break;
    }
  }
}

/** Markers drawn at one point at most; more rules there are counted in the legend. */
const MAX_STACK = 3;

/** The y value a violation is drawn at: C− for cusum-lower, the plotted value otherwise. */
function markerValue(model: ChartModel, rule: string, index: number): number {
  return rule === 'cusum-lower' && model.lower ? model.lower[index] : model.values[index];
}

/**
 * A marker per violation at the point that completes it, shape and color by rule; several rules at
 * one point stack outward from the center line. The other points of a pattern get a small dot of
 * the rule's color (skipped when there are very many violations, where dots would only blur).
 */
export function drawMarkers(theme: GrafanaTheme2, yKey: string, get: () => OverlayState) {
  const colors = new Map<string, string>();
  const colorOf = (rule: string) => {
    let c = colors.get(rule);
    if (!c) {
      c = theme.visualization.getColorByName(isRuleId(rule) ? RULES[rule].color : 'red');
      colors.set(rule, c);
    }
    return c;
  };
  return (u: uPlot) => {
    const { model, scale } = get();
    const { ctx, bbox } = u;
    const r = 6 * dpr() * scale;
    const xMin = bbox.left - r;
    const xMax = bbox.left + bbox.width + r;
    ctx.save();
    clipToPlot(u);
    if (model.violations.length <= 400) {
      for (const v of model.violations) {
        ctx.fillStyle = colorOf(v.rule);
        for (const i of v.points) {
          if (i === v.index) {
            continue;
          }
          const x = u.valToPos(model.times[i], 'x', true);
          if (x < xMin || x > xMax) {
            continue;
          }
          ctx.beginPath();
          ctx.arc(x, u.valToPos(markerValue(model, v.rule, i), yKey, true), r * 0.35, 0, 2 * Math.PI);
          ctx.fill();
        }
      }
    }
    ctx.lineWidth = Math.max(1, 1.5 * dpr() * Math.min(scale, 2));
    let stackAt = -1;
    let stack = 0;
    // Thousands of points per screen width put many markers of one rule on the same pixels; one
    // per rule and cell of half a marker looks the same and keeps 100k points fast.
    const cell = Math.max(1, r * 0.5);
    const drawn = new Set<string>();
    for (const v of model.violations) {
      stack = v.index === stackAt ? stack + 1 : 0;
      stackAt = v.index;
      if (stack >= MAX_STACK) {
        continue; // the legend still counts it; a taller pile would only hide the chart
      }
      const x = u.valToPos(model.times[v.index], 'x', true);
      if (x < xMin || x > xMax) {
        continue;
      }
      const value = markerValue(model, v.rule, v.index);
      const above = value >= model.center[v.index];
      const y = u.valToPos(value, yKey, true) + (above ? -1 : 1) * stack * r * 1.7;
      const key = `${v.rule} ${Math.round(x / cell)} ${Math.round(y / cell)}`;
      if (drawn.has(key)) {
        continue;
      }
      drawn.add(key);
      const info = isRuleId(v.rule) ? RULES[v.rule] : undefined;
      const color = colorOf(v.rule);
      traceMarker(ctx, info?.shape ?? 'circle', x, y, r, above);
      if (info?.hollow) {
        ctx.fillStyle = theme.colors.background.primary;
        ctx.fill();
        ctx.strokeStyle = color;
        ctx.lineWidth = Math.max(1.5, 2.5 * dpr() * Math.min(scale, 2));
        ctx.stroke();
        ctx.lineWidth = Math.max(1, 1.5 * dpr() * Math.min(scale, 2));
      } else {
        ctx.fillStyle = color;
        ctx.fill();
        ctx.strokeStyle = theme.colors.background.primary;
        ctx.stroke();
      }
    }
    ctx.restore();
  };
}

/** The marker as SVG path data, so the legend shows exactly the shape drawn on the chart. */
export function markerPath(shape: MarkerShape, r: number, up = true): string {
  const d: string[] = [];
  const f = (v: number) => String(Math.round(v * 100) / 100);
  const sink: PathSink = {
    beginPath: () => {},
    moveTo: (x: number, y: number) => void d.push(`M${f(x)} ${f(y)}`),
    lineTo: (x: number, y: number) => void d.push(`L${f(x)} ${f(y)}`),
    closePath: () => void d.push('Z'),
    rect: (x: number, y: number, w: number, h: number) => void d.push(`M${f(x)} ${f(y)}h${f(w)}v${f(h)}h${f(-w)}Z`),
    arc: (x: number, y: number, rr: number) =>
      void d.push(
        `M${f(x - rr)} ${f(y)}a${f(rr)} ${f(rr)} 0 1 0 ${f(2 * rr)} 0a${f(rr)} ${f(rr)} 0 1 0 ${f(-2 * rr)} 0Z`
      ),
  };
  traceMarker(sink, shape, 0, 0, r, up);
  return d.join('');
}

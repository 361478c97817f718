// uPlot hooks that draw kaizen phases: the settling period shaded, a boundary line at each event,
// and at its top the event's name with its verdict in words, a glyph and colour (no hover needed).
import type uPlot from 'uplot';
import { colorManipulator, type GrafanaTheme2 } from '@grafana/data';

import type { OverlayState } from './overlays';
import { phaseHeadline } from './phases';

const dpr = () => window.devicePixelRatio || 1;

const labelScale = (scale: number) => Math.min(scale, 2.2);

/** Height (CSS px) of the band above the plot that holds the phase labels: two lines and a margin. */
export function phaseBandHeight(scale: number): number {
  const font = 13 * labelScale(scale);
  return Math.ceil(2 * font * 1.25 + 10 * labelScale(scale));
}

/** Settling periods, shaded under the series; on 'drawClear'. */
export function drawPhaseShading(theme: GrafanaTheme2, get: () => OverlayState) {
  return (u: uPlot) => {
    const { model } = get();
    const { ctx, bbox } = u;
    const right = bbox.left + bbox.width;
    ctx.save();
    ctx.fillStyle = colorManipulator.alpha(theme.colors.text.secondary, theme.isDark ? 0.14 : 0.1);
    for (const p of model.phases ?? []) {
      if (p.end <= p.time) {
        continue;
      }
      const x0 = Math.max(bbox.left, u.valToPos(p.time, 'x', true));
      const x1 = Math.min(right, u.valToPos(p.end, 'x', true));
      if (x1 > x0) {
        ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
      }
    }
    ctx.restore();
  };
}

/** Boundary lines and their labels, over the series; on 'draw'. */
export function drawPhaseBoundaries(theme: GrafanaTheme2, get: () => OverlayState) {
  return (u: uPlot) => {
    const { model, scale } = get();
    const phases = model.phases ?? [];
    if (phases.length === 0) {
      return;
    }
    const { ctx, bbox } = u;
    const px = (v: number) => Math.max(1, Math.round(v * dpr() * labelScale(scale)));
    const right = bbox.left + bbox.width;
    const font = px(13);
    const pad = px(4);
    const lineHeight = Math.round(font * 1.25);
    // The band above the plot (config.ts pads for it).
    const bandTop = bbox.top - phaseBandHeight(scale) * dpr();
    // Labels already placed: a label that would cover one moves right of it, or down a row.
    const placed: Array<{ x0: number; x1: number; y: number }> = [];
    ctx.save();
    for (const p of phases) {
      const x = Math.round(u.valToPos(p.time, 'x', true)) + 0.5;
      if (x < bbox.left || x > right) {
        continue;
      }
      ctx.strokeStyle = theme.colors.text.primary;
      ctx.lineWidth = px(2);
      ctx.setLineDash([]);
      ctx.beginPath();
      ctx.moveTo(x, bandTop + pad);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();

      const head = phaseHeadline(p);
      ctx.font = `${theme.typography.fontWeightMedium} ${font}px ${theme.typography.fontFamily}`;
      const titleWidth = ctx.measureText(head.title).width;
      ctx.font = `${theme.typography.fontWeightBold} ${font}px ${theme.typography.fontFamily}`;
      const verdictWidth = head.verdict ? ctx.measureText(head.verdict).width : 0;
      const width = Math.max(titleWidth, verdictWidth) + 2 * pad;
      const height = (head.verdict ? 2 : 1) * lineHeight + pad;
      // Right of the line, or left of it near the plot's right edge.
      let x0 = x + width + px(4) <= right ? x + px(4) : Math.max(bbox.left, x - px(4) - width);
      let y = bandTop + pad;
      for (const b of placed) {
        if (b.x0 < x0 + width && x0 < b.x1 && Math.abs(b.y - y) < height) {
          if (b.x1 + px(6) + width <= right) {
            x0 = b.x1 + px(6);
          } else {
            y = b.y + height + px(2);
          }
        }
      }
      placed.push({ x0, x1: x0 + width, y });
      ctx.fillStyle = colorManipulator.alpha(theme.colors.background.primary, 0.88);
      ctx.fillRect(x0, y, width, height);
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      ctx.fillStyle = theme.colors.text.primary;
      ctx.font = `${theme.typography.fontWeightMedium} ${font}px ${theme.typography.fontFamily}`;
      ctx.fillText(head.title, x0 + pad, y + pad / 2);
      if (head.verdict) {
        ctx.fillStyle = theme.visualization.getColorByName(head.color ?? 'text');
        ctx.font = `${theme.typography.fontWeightBold} ${font}px ${theme.typography.fontFamily}`;
        ctx.fillText(head.verdict, x0 + pad, y + pad / 2 + lineHeight);
      }
    }
    ctx.restore();
  };
}

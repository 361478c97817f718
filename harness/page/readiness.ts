// When is a panel "drawn"? uPlot canvases count once uPlot's own 'draw' hook has fired (exact, and
// what the render benchmark times); other canvases once they have any non-transparent pixel.
import { UPlotConfigBuilder } from '@grafana/ui';

const drawnCanvases = new WeakSet<HTMLCanvasElement>();
const listeners = new Set<() => void>();
const plots: unknown[] = [];
(window as unknown as { __harnessPlots: unknown[] }).__harnessPlots = plots;

/** Adds a 'draw' hook to every uPlot config built through @grafana/ui's UPlotConfigBuilder. */
export function installDrawProbe() {
  const proto = UPlotConfigBuilder.prototype as unknown as { getConfig: () => any; __probed?: boolean };
  if (proto.__probed) {
    return;
  }
  proto.__probed = true;
  const original = proto.getConfig;
  proto.getConfig = function (this: unknown) {
    const config = original.call(this);
    const draw: Array<(u: { ctx: CanvasRenderingContext2D }) => void> = (config.hooks.draw ??= []);
    if (!draw.includes(uplotDrawn)) {
      draw.push(uplotDrawn);
    }
    return config;
  };
}

/** The probe itself; the bare-uPlot baseline registers it directly. */
export function uplotDrawn(u: { ctx: CanvasRenderingContext2D }) {
  if (!drawnCanvases.has(u.ctx.canvas)) {
    plots.push(u); // for inspection from scripts and devtools: window.__harnessPlots
  }
  drawnCanvases.add(u.ctx.canvas);
  listeners.forEach((l) => l());
}

function hasPixels(c: HTMLCanvasElement): boolean {
  if (c.width === 0 || c.height === 0) {
    return false;
  }
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx) {
    return true; // a WebGL canvas: trust that it drew
  }
  const px = ctx.getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < px.length; i += 4) {
    if (px[i] !== 0) {
      return true;
    }
  }
  return false;
}

function canvasDrawn(c: HTMLCanvasElement): boolean {
  return drawnCanvases.has(c) || (!c.closest('.uplot') && hasPixels(c));
}

export type ReadyMode = 'canvas' | 'mounted';

function panelDone(el: Element, mode: ReadyMode): boolean {
  if (mode === 'mounted') {
    return el.childElementCount > 0;
  }
  const canvases = Array.from(el.querySelectorAll('canvas'));
  return canvases.length > 0 && canvases.every(canvasDrawn);
}

/**
 * Resolves with performance.now() at the moment every panel is drawn: checked on each uPlot draw
 * (no frame delay) and on each animation frame (for other canvases). Rejects after timeoutMs.
 */
export function whenDrawn(panels: () => Array<[Element, ReadyMode]>, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let finished = false;
    const started = performance.now();
    const check = () => {
      if (finished) {
        return;
      }
      const list = panels();
      if (list.length > 0 && list.every(([el, mode]) => panelDone(el, mode))) {
        finished = true;
        listeners.delete(check);
        resolve(performance.now());
      } else if (performance.now() - started > timeoutMs) {
        finished = true;
        listeners.delete(check);
        reject(new Error(`panels not drawn after ${timeoutMs} ms`));
      }
    };
    listeners.add(check);
    const tick = () => {
      check();
      if (!finished) {
        requestAnimationFrame(tick);
      }
    };
    requestAnimationFrame(tick);
  });
}

export const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

// Harness entry. URL: /?fixture=<name>&theme=dark|light[&points=N][&baseline=uplot]
// Publishes progress on window.__harness for the Node scripts (screenshots, bench, tests).
import './bootstrap';

import React from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { createTheme, EventBusSrv, ThemeContext, type GrafanaTheme2 } from '@grafana/data';
import { GlobalStyles, PanelContextProvider, PortalContainer } from '@grafana/ui';

import fixtures from 'harness:fixtures';
import type { Fixture } from '../lib/fixture';
import { mountBareUplot } from './baseline';
import { FixtureView } from './FixtureView';
import { fixtureTimeRange, makeReplaceVariables, preparePanel } from './preparePanel';
import { initGrafanaRegistries } from './registries';
import { installDrawProbe, nextFrame, whenDrawn, type ReadyMode } from './readiness';

export interface HarnessState {
  status: 'loading' | 'ready' | 'error';
  error?: string;
  fixtures: Array<{ name: string; panels: number; bench: boolean; screenshots: boolean }>;
  /** ms from mount to every panel drawn, and to the next frame after that. */
  timings?: { drawn: number; frame: number };
}

const state: HarnessState = {
  status: 'loading',
  fixtures: fixtures.map((f) => ({
    name: f.name,
    panels: f.panels.length,
    bench: Boolean(f.bench),
    screenshots: f.screenshots !== false,
  })),
};
(window as unknown as { __harness: HarnessState }).__harness = state;

const fail = (e: unknown) => {
  state.status = 'error';
  state.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  console.error(`harness: ${state.error}`);
};
window.addEventListener('error', (e) => fail(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => fail(e.reason));

/**
 * Grafana loads its fonts at boot, before panels draw. Canvas text (uPlot axes) measured before the
 * web font loads keeps the fallback's metrics, so: declare the @font-face rules (GlobalStyles,
 * rendered synchronously), then load the faces, then mount panels.
 */
async function mountGlobals(theme: GrafanaTheme2) {
  const root = createRoot(document.getElementById('globals')!);
  flushSync(() =>
    root.render(
      <ThemeContext.Provider value={theme}>
        <GlobalStyles />
        <PortalContainer />
      </ThemeContext.Provider>
    )
  );
  const declared = Array.from(document.fonts).filter((f) => f.family.replace(/["']/g, '') === 'Inter');
  if (declared.length === 0) {
    throw new Error('GlobalStyles declared no Inter @font-face');
  }
  await Promise.all(declared.map((f) => f.load()));
}

async function run() {
  const params = new URLSearchParams(window.location.search);
  const name = params.get('fixture');
  if (!name) {
    state.status = 'ready';
    document.getElementById('root')!.textContent = `fixtures: ${fixtures.map((f) => f.name).join(', ')}`;
    return;
  }
  const fixture: Fixture | undefined = fixtures.find((f) => f.name === name);
  if (!fixture) {
    throw new Error(`no fixture "${name}"; known: ${fixtures.map((f) => f.name).join(', ')}`);
  }
  const points = params.has('points') ? Number(params.get('points')) : undefined;
  const theme = createTheme({ colors: { mode: params.get('theme') === 'light' ? 'light' : 'dark' } });
  initGrafanaRegistries();
  installDrawProbe();
  await mountGlobals(theme);

  const range = fixtureTimeRange(fixture);
  const replaceVariables = makeReplaceVariables(fixture.variables ?? {}, range);
  const frames = fixture.panels.map((p) => p.data({ timeRange: range, points }));
  const root = document.getElementById('root')!;
  const { innerWidth: width, innerHeight: height } = window;
  let mount: () => void;

  if (params.get('baseline') === 'uplot') {
    const gap = theme.spacing.gridSize;
    mount = () => mountBareUplot(root, frames[0], width - 2 * gap, height - 2 * gap, theme);
    root.style.padding = `${gap}px`;
  } else {
    // Module loading, option defaults and field overrides happen before the mark: in Grafana they
    // precede the panel's render too (plugin import, query pipeline).
    const panels = await Promise.all(
      fixture.panels.map((p, i) => preparePanel(p, frames[i], range, theme, replaceVariables))
    );
    const eventBus = new EventBusSrv();
    const view = (
      <ThemeContext.Provider value={theme}>
        <PanelContextProvider value={{ eventsScope: 'global', eventBus }}>
          <FixtureView
            panels={panels}
            columns={fixture.columns}
            width={width}
            height={height}
            theme={theme}
            eventBus={eventBus}
            replaceVariables={replaceVariables}
          />
        </PanelContextProvider>
      </ThemeContext.Provider>
    );
    mount = () => createRoot(root).render(view);
  }

  const panelElements = (): Array<[Element, ReadyMode]> =>
    params.get('baseline')
      ? [[root, 'canvas']]
      : Array.from(root.querySelectorAll('[data-harness-panel]')).map((el) => [
          el,
          el.getAttribute('data-harness-ready') as ReadyMode,
        ]);

  // Let the page settle (global styles applied, first paint done) so the timing is the panel's alone.
  await nextFrame();
  await nextFrame();
  performance.mark('harness:mount');
  const t0 = performance.now();
  const drawn = whenDrawn(panelElements, 15000);
  mount();
  const tDrawn = await drawn;
  performance.mark('harness:drawn');
  await nextFrame();
  const tFrame = performance.now();
  state.timings = { drawn: tDrawn - t0, frame: tFrame - t0 };
  await document.fonts.ready;
  await nextFrame();
  state.status = state.status === 'loading' ? 'ready' : state.status;
}

run().catch(fail);

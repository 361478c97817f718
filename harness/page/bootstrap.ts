// Globals Grafana sets before any plugin code runs. Imported first by main.tsx: @grafana/runtime reads
// grafanaBootData when it is evaluated, @grafana/ui reads the public path to find icons and fonts.
const params = new URLSearchParams(window.location.search);
const mode = params.get('theme') === 'light' ? 'light' : 'dark';

const w = window as unknown as Record<string, unknown>;
w.__grafana_public_path__ = '/public/';
w.grafanaBootData = {
  assets: { dark: '', light: '' },
  settings: { buildInfo: { version: '12.4.10', commit: 'harness', env: 'production' }, featureToggles: {} },
  user: { theme: mode, lightTheme: mode === 'light', language: 'en-US', regionalFormat: 'en-US', timezone: 'utc' },
  navTree: [],
};

export {};

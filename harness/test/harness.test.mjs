// The harness's own test: `npm run test:harness` (node's test runner, about 15 s).
// The browser part skips itself where Debian's chromium is not installed.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { buildHarness, OUT_DIR } from '../build.mjs';
import { resolveRequest, startServer } from '../server.mjs';
import { CHROMIUM, fixtureUrl, harnessPage, launchBrowser } from '../../scripts/harness/browser.mjs';

describe('server routes', () => {
  const dist = '/srv/dist';
  test('icons come from @grafana/ui', () => {
    const f = resolveRequest('/public/build/img/icons/unicons/info-circle.svg', dist);
    assert.match(f, /@grafana\/ui\/dist\/public\/img\/icons\/unicons\/info-circle\.svg$/);
    assert.ok(existsSync(f), f);
  });
  test('Inter woff2 requests map to OTF faces', () => {
    const candidates = resolveRequest('/public/fonts/inter/Inter-Medium.woff2', dist);
    assert.ok(candidates.every((c) => c.endsWith('/Inter-Medium.otf')));
  });
  test('never leaves its roots', () => {
    assert.equal(resolveRequest('/../../etc/passwd', dist), path.join(dist, 'etc/passwd'));
    assert.equal(resolveRequest('/%2e%2e/%2e%2e/etc/passwd', dist), path.join(dist, 'etc/passwd'));
    const icon = resolveRequest('/public/build/img/icons/../../../../../package.json', dist);
    assert.ok(icon === null || icon.includes(`${path.sep}icons${path.sep}`), icon);
  });
});

describe('harness page in chromium', { skip: !existsSync(CHROMIUM) && `no ${CHROMIUM}` }, () => {
  let server;
  let browser;
  let h;
  before(async () => {
    await buildHarness();
    server = await startServer({ distDir: OUT_DIR });
    browser = await launchBrowser();
    h = await harnessPage(await browser.newContext({ viewport: { width: 1000, height: 600 } }));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('lists the fixtures from harness/fixtures', async () => {
    const state = await h.open(`${server.url}/`, { quiet: false });
    assert.ok(state.fixtures.some((f) => f.name === 'demo-controlchart' && f.bench));
  });

  // theme.colors.background.canvas in @grafana/data 12.4.10: palette.gray05 and gray90
  for (const [theme, canvasColor] of [
    ['dark', 'rgb(17, 18, 23)'],
    ['light', 'rgb(251, 251, 251)'],
  ]) {
    test(`renders the demo fixture in the ${theme} theme`, async () => {
      const state = await h.open(fixtureUrl(server.url, { fixture: 'demo-controlchart', theme }));
      assert.deepEqual(h.problems, []);
      assert.equal(state.status, 'ready');
      const page = await h.page.evaluate(() => ({
        background: getComputedStyle(document.body).backgroundColor,
        interLoaded: Array.from(document.fonts).some((f) => f.family.includes('Inter') && f.status === 'loaded'),
        // an Icon is an <svg data-testid="icon-..."> once its SVG file has been fetched
        icons: Array.from(document.querySelectorAll('svg[data-testid^="icon-"]')).filter((e) => e.querySelector('path'))
          .length,
        canvases: document.querySelectorAll('.uplot canvas').length,
        plots: window.__harnessPlots.length,
      }));
      assert.equal(page.background, canvasColor);
      assert.ok(page.interLoaded, 'Inter web font loaded');
      assert.ok(page.icons >= 2, `icons rendered: ${page.icons}`);
      assert.equal(page.canvases, 1);
      assert.equal(page.plots, 1);
      assert.ok(state.timings.drawn > 0);
    });
  }

  test('an unknown fixture is an error, not a blank page', async () => {
    const state = await h.open(fixtureUrl(server.url, { fixture: 'nope' }), { quiet: false });
    assert.equal(state.status, 'error');
    assert.match(state.error, /no fixture "nope"; known: .*demo-controlchart/);
    assert.ok(h.problems.some((p) => p.startsWith('console.error')));
  });
});

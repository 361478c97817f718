// Drives the harness page in Debian's Chromium through playwright-core. Any console error, page
// error or failed request on a page is collected and fails that page.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { FONT_DIRS } from '../../harness/server.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps calling out to a network that is closed here.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium fonts-inter (or set CHROMIUM_PATH)`);
  }
  if (!FONT_DIRS.some((d) => existsSync(path.join(d, 'Inter-Regular.otf')))) {
    throw new Error(
      `no Inter-Regular.otf in ${FONT_DIRS.join(', ')}: apt-get install -y fonts-inter (or set HARNESS_FONT_DIR)`
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export function fixtureUrl(base, { fixture, theme = 'dark', points, baseline }) {
  const q = new URLSearchParams({ fixture, theme });
  if (points) {
    q.set('points', String(points));
  }
  if (baseline) {
    q.set('baseline', baseline);
  }
  return `${base}/?${q}`;
}

/** A page that records every problem it sees; `problems` is reset on each `open`. */
export async function harnessPage(context) {
  const page = await context.newPage();
  const problems = [];
  let inflight = 0;
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.stack ?? e.message}`));
  page.on('request', () => inflight++);
  page.on('requestfinished', () => inflight--);
  page.on('requestfailed', (r) => {
    inflight--;
    problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));

  /** Icons load by fetch after mount; wait until no request has been in flight for 150 ms. */
  async function networkQuiet(timeoutMs = 5000) {
    const end = Date.now() + timeoutMs;
    let quietSince = Date.now();
    while (Date.now() < end) {
      if (inflight > 0) {
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= 150) {
        return;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  return {
    page,
    problems,
    /** Navigates and waits until the harness reports ready (all panels drawn, fonts loaded). */
    async open(url, { timeoutMs = 20000, quiet = true } = {}) {
      problems.length = 0;
      await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
      await page.waitForFunction(() => window.__harness && window.__harness.status !== 'loading', null, {
        timeout: timeoutMs,
        polling: 50,
      });
      if (quiet) {
        await networkQuiet();
        // Two frames for late state updates (an icon's SVG arriving) to reach the screen.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      }
      const state = await page.evaluate(() => window.__harness);
      if (state.status === 'error') {
        problems.push(`harness: ${state.error}`);
      }
      return state;
    },
  };
}

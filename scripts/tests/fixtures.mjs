// Fixture plugin trees and repositories for the packaging and Docker check tests: a small
// but complete app (an app, a backend data source with linux amd64/arm64 executables, a
// panel), built in memory and written as a zip or a directory in a temporary folder.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { writeZip } from '../lib/zip.mjs';

export const APP_ID = 'kaizenops-suite-app';
export const VERSION = '1.2.3';

const ELF_AMD64 = 62;
const ELF_ARM64 = 183;

/** The first bytes of a 64-bit little-endian ELF executable; interp adds a PT_INTERP header (dynamic linking). */
export function fakeElf(machine, { interp = false } = {}) {
  const buf = Buffer.alloc(256);
  buf.write('\x7fELF', 0, 'latin1');
  buf[4] = 2; // 64-bit
  buf[5] = 1; // little endian
  buf[6] = 1; // ELF version
  buf.writeUInt16LE(2, 16); // ET_EXEC
  buf.writeUInt16LE(machine, 18);
  buf.writeBigUInt64LE(64n, 32); // program headers right after the ELF header
  buf.writeUInt16LE(56, 54);
  buf.writeUInt16LE(interp ? 2 : 1, 56);
  buf.writeUInt32LE(1, 64); // PT_LOAD
  if (interp) {
    buf.writeUInt32LE(3, 120); // PT_INTERP
  }
  return buf;
}

export const ELF = {
  amd64: () => fakeElf(ELF_AMD64),
  arm64: () => fakeElf(ELF_ARM64),
  amd64Dynamic: () => fakeElf(ELF_AMD64, { interp: true }),
};

export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
export const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" fill="#f60"/></svg>\n';
export const LICENSE =
  'Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\n\nTERMS AND CONDITIONS\n';
export const README = '# Kaizen Ops\n\nOperational excellence metrics for Grafana.\n';
export const CHANGELOG = `# Changelog\n\n## ${VERSION}\n\n- Control charts over any series.\n\n## 1.2.2\n\n- Incident metrics.\n`;

const json = (v) => `${JSON.stringify(v, null, 2)}\n`;
const map = (file) =>
  json({ version: 3, file, sources: [`webpack://${APP_ID}/./${file.replace(/\.js$/, '.ts')}`], mappings: 'AAAA' });

function meta(id, type, name, extra = {}) {
  return {
    type,
    name,
    id,
    ...extra.top,
    info: {
      keywords: ['sre'],
      description: name,
      author: { name: 'Kaizen Ops' },
      logos: { small: 'img/logo.svg', large: 'img/logo.svg' },
      ...extra.info,
      version: VERSION,
      updated: '2026-11-23',
    },
    ...extra.bottom,
    dependencies: { grafanaDependency: '>=12.3.0', plugins: [] },
    buildMode: 'production',
  };
}

/** The valid fixture plugin: path (under the top folder) -> { data, mode }. Tests edit a copy. */
export function pluginTree() {
  const t = new Map();
  const put = (p, data, mode = 0o644) => t.set(p, { data: Buffer.isBuffer(data) ? data : Buffer.from(data), mode });
  put(
    'plugin.json',
    json(
      meta(APP_ID, 'app', 'Kaizen Ops', {
        info: { screenshots: [{ name: 'Wall display', path: 'img/screenshot.png' }] },
        bottom: {
          includes: [
            { type: 'page', name: 'Setup', path: `/a/${APP_ID}/setup`, addToNav: true, defaultNav: true },
            { type: 'datasource', name: 'Kaizen Ops metrics', path: 'datasource/plugin.json' },
            { type: 'panel', name: 'Control chart', path: 'panels/chart/plugin.json' },
          ],
        },
      })
    )
  );
  put('module.js', '/* app */ define([], function () { return {}; });\n');
  put('module.js.map', map('module.js'));
  put('README.md', README);
  put('CHANGELOG.md', CHANGELOG);
  put('LICENSE', LICENSE);
  put('img/logo.svg', SVG);
  put('img/screenshot.png', PNG);
  put('go_plugin_build_manifest', `${'a'.repeat(64)}:pkg/main.go\n`);
  put(
    'datasource/plugin.json',
    json(
      meta('kaizenops-metrics-datasource', 'datasource', 'Kaizen Ops metrics', {
        top: { metrics: true, backend: true, alerting: true, executable: 'gpx_fixture' },
      })
    )
  );
  put('datasource/module.js', '/* datasource */\n');
  put('datasource/module.js.map', map('datasource/module.js'));
  put('datasource/img/logo.svg', SVG);
  put('datasource/gpx_fixture_linux_amd64', ELF.amd64(), 0o755);
  put('datasource/gpx_fixture_linux_arm64', ELF.arm64(), 0o755);
  put('panels/chart/plugin.json', json(meta('kaizenops-chart-panel', 'panel', 'Control chart')));
  put('panels/chart/module.js', '/* panel */\n');
  put('panels/chart/module.js.map', map('panels/chart/module.js'));
  put('panels/chart/img/logo.svg', SVG);
  return t;
}

/** Edits one plugin.json of a tree in place. */
export function editJson(tree, p, fn) {
  const v = JSON.parse(tree.get(p).data.toString('utf8'));
  fn(v);
  tree.set(p, { data: Buffer.from(json(v)), mode: tree.get(p).mode });
}

/** A temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'kaizen-pkg-') {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Writes a tree as <dir>/<name> with one top folder (root), and .sha1/.md5 beside it unless
 * checksums is false. Returns the zip's path.
 */
export function writePluginZip(dir, tree, { root = APP_ID, name = `${APP_ID}-${VERSION}.zip`, checksums = true } = {}) {
  const entries = [{ name: `${root}/`, dir: true }];
  const dirs = new Set();
  for (const [p, { data, mode }] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!dirs.has(d)) {
        dirs.add(d);
        entries.push({ name: `${root}/${d}/`, dir: true });
      }
    }
    entries.push({ name: root ? `${root}/${p}` : p, data, mode });
  }
  const buf = writeZip(root ? entries : entries.slice(1).filter((e) => !e.dir));
  const file = path.join(dir, name);
  writeFileSync(file, buf);
  if (checksums) {
    for (const algo of ['sha1', 'md5']) {
      writeFileSync(`${file}.${algo}`, `${createHash(algo).update(buf).digest('hex')}  ${name}\n`);
    }
  }
  return file;
}

/** Writes a tree as files under dir, with their modes. */
export function writeTree(dir, tree) {
  for (const [p, { data, mode }] of tree) {
    const file = path.join(dir, p);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, data);
    chmodSync(file, mode);
  }
}

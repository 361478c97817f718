#!/usr/bin/env node
// npm run check:package -- <zip> [--platforms linux/amd64,linux/arm64] [--source .] [--strict]
//
// Checks a plugin archive the way Grafana's plugin validator (github.com/grafana/plugin-validator)
// does, for the analyzers that work offline: archive structure and name, metadata (the fields
// Grafana's plugin.json schema requires, id naming, version, grafanaDependency), logos and
// screenshots, nested plugins and includes, module.js and source maps, backend executables
// (present per platform, run bit 0755, right format, static), README, CHANGELOG, LICENSE,
// signature (MANIFEST.txt), Go build manifest, unsafe SVG, jargon and template leftovers, plus
// files that do not belong in a release. Prints every problem; exits 1 when there is an error
// (or, with --strict, a warning), 2 on bad usage. Warnings are what the validator only warns
// about (an unsigned plugin is always one here). docs/packaging.md explains each rule.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

import { readZip } from './lib/zip.mjs';
import {
  DEFAULT_PLATFORMS,
  binaryFormat,
  executableName,
  forbiddenReason,
  isStrayMap,
  platformFromName,
} from './lib/package-rules.mjs';

const ID_PATTERN = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource|secretsmanager|transformer)$/;
const PLUGIN_TYPES = ['app', 'datasource', 'panel', 'renderer', 'secretsmanager', 'transformer'];
const INCLUDE_TYPES = ['dashboard', 'page', 'panel', 'datasource', 'secretsmanager'];
const TEMPLATE_TOKENS = ['%PLUGIN_ID%', '%VERSION%', '%TODAY%'];
// The org name create-plugin wrote into the scaffold; the product is spelled "Kaizen Ops".
const SCAFFOLD_TEXT = [
  [/\bKaizenops\b/, 'the scaffold\'s org name "Kaizenops" (the product is "Kaizen Ops")'],
  [/Grafana (Panel|Data Source|Datasource|App|Data Source Backend) Plugin Template/i, "create-plugin's template text"],
  [/This template is a starting point/i, "create-plugin's template text"],
];
const JARGON = ['yarn', 'nodejs']; // the validator's developer-jargon list for README.md
const TEXT_FILE = /\.(md|json|js|css|html|svg|txt)$/;
const IMAGE_EXT = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.gif': 'gif', '.svg': 'svg' };

function imageType(buf) {
  if (buf.length >= 8 && buf.toString('latin1', 0, 8) === '\x89PNG\r\n\x1a\n') {
    return 'png';
  }
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) {
    return 'jpeg';
  }
  if (buf.length >= 4 && buf.toString('latin1', 0, 4) === 'GIF8') {
    return 'gif';
  }
  if (/<svg[\s>]/.test(buf.toString('utf8', 0, Math.min(buf.length, 1024)))) {
    return 'svg';
  }
  return null;
}

// An SVG can run script in the catalog page: allow drawing only.
function svgHazard(text) {
  const hazards = [
    [/<script[\s>]/i, '<script>'],
    [/<foreignObject[\s>]/i, '<foreignObject>'],
    [/<(iframe|embed|object)[\s>]/i, 'embedded content'],
    [/\son[a-z]+\s*=/i, 'an on* event handler attribute'],
    [/javascript:/i, 'a javascript: URL'],
    [/(xlink:)?href\s*=\s*["']\s*(https?:)?\/\//i, 'an external reference'],
  ];
  return hazards.filter(([re]) => re.test(text)).map(([, what]) => what);
}

function licenseKind(text) {
  if (/Apache License/i.test(text) && /Version 2\.0/.test(text)) {
    return 'Apache-2.0';
  }
  if (/GNU AFFERO GENERAL PUBLIC LICENSE/i.test(text) && /Version 3/i.test(text)) {
    return 'AGPL-3.0';
  }
  if (/GNU LESSER GENERAL PUBLIC LICENSE/i.test(text) && /Version 3/i.test(text)) {
    return 'LGPL-3.0';
  }
  if (/GNU GENERAL PUBLIC LICENSE/i.test(text) && /Version 3/i.test(text)) {
    return 'GPL-3.0';
  }
  if (/Permission is hereby granted, free of charge/i.test(text)) {
    return 'MIT';
  }
  if (/Redistribution and use in source and binary forms/i.test(text)) {
    return 'BSD';
  }
  return null;
}

/** The CHANGELOG's entry for a version: the text under a heading naming it, or null. */
export function changelogEntry(text, version) {
  const v = version.replace(/[.+]/g, (c) => `\\${c}`);
  const heading = new RegExp(`^#{1,3}\\s*\\[?v?${v}\\]?(?=[\\s(:—-]|$)`, 'm');
  const m = heading.exec(text);
  if (!m) {
    return null;
  }
  const rest = text.slice(m.index + m[0].length);
  const body = rest.slice(rest.indexOf('\n') + 1);
  const next = body.search(/^#{1,3}\s/m);
  return (next < 0 ? body : body.slice(0, next)).trim();
}

// A clearsigned MANIFEST.txt: the signed JSON (dash-escaping undone), or null.
function signedManifest(text) {
  const m = text.match(
    /-----BEGIN PGP SIGNED MESSAGE-----\r?\n(?:[^\n]+\r?\n)*\r?\n([\s\S]*?)\r?\n-----BEGIN PGP SIGNATURE-----/
  );
  if (!m) {
    return null;
  }
  try {
    return JSON.parse(m[1].replace(/^- /gm, ''));
  } catch {
    return null;
  }
}

function sha256(buf) {
  return createHash('sha256').update(buf).digest('hex');
}

function hashFile(file, algo) {
  return createHash(algo).update(readFileSync(file)).digest('hex');
}

// Go build manifest lines are `<sha256 of the file, LF line endings>:<path>` (grafana-plugin-sdk-go).
function goSourceHashes(dir) {
  const out = new Map();
  const walk = (rel) => {
    for (const d of readdirSafe(path.join(dir, rel))) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (d.name !== 'node_modules' && d.name !== '.git') {
          walk(r);
        }
      } else if (d.isFile() && d.name.endsWith('.go')) {
        const text = readFileSync(path.join(dir, r), 'utf8').replace(/\r\n/g, '\n');
        out.set(r, sha256(Buffer.from(text, 'utf8')));
      }
    }
  };
  walk('');
  return out;
}

function readdirSafe(dir) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * Checks one plugin archive. Returns { problems: [{ severity: 'error'|'warning', rule, message }], id, version }.
 * opts.platforms: required 'os/arch' list for every declared executable (DEFAULT_PLATFORMS).
 * opts.source: the source tree the archive was built from, to verify the Go build manifest.
 */
export function checkPackage(zipPath, opts = {}) {
  const platforms = opts.platforms ?? DEFAULT_PLATFORMS;
  const problems = [];
  const error = (rule, message) => problems.push({ severity: 'error', rule, message });
  const warn = (rule, message) => problems.push({ severity: 'warning', rule, message });
  const result = { problems, id: null, version: null };

  if (!existsSync(zipPath)) {
    error('archive', `${zipPath}: no such file (build it with npm run package)`);
    return result;
  }
  let entries;
  try {
    entries = readZip(readFileSync(zipPath));
  } catch (e) {
    error('archive', `${zipPath}: ${e.message}`);
    return result;
  }
  if (entries.length === 0) {
    error('archive', 'the archive is empty');
    return result;
  }

  // Archive structure: safe names, one top folder, no symlinks or duplicates.
  const names = new Set();
  for (const e of entries) {
    if (e.name.startsWith('/') || e.name.includes('\\') || e.name.split('/').includes('..')) {
      error('archive', `${e.name}: unsafe entry name (absolute, '..' or backslash); Grafana refuses to extract it`);
    }
    if (names.has(e.name)) {
      error('archive', `${e.name}: appears twice in the archive`);
    }
    names.add(e.name);
    if (e.symlink) {
      error('archive', `${e.name}: a symbolic link; Grafana's installer skips links, so the file would be missing`);
    }
  }
  const tops = new Set(entries.map((e) => e.name.split('/')[0]));
  if (tops.size !== 1) {
    error(
      'archive',
      `the archive holds ${tops.size} top-level entries (${[...tops].join(', ')}); it must hold one folder named by the app id`
    );
    return result;
  }
  const root = [...tops][0];
  if (!entries.some((e) => e.name.startsWith(`${root}/`))) {
    error('archive', `the archive's only entry ${root} is a file; it must be a folder named by the app id`);
    return result;
  }
  const prefix = `${root}/`;
  const files = new Map(); // path under the root folder -> entry
  for (const e of entries) {
    if (!e.dir && e.name.startsWith(prefix)) {
      files.set(e.name.slice(prefix.length), e);
    }
  }
  if ([...files.keys()].some((f) => f.startsWith('dist/'))) {
    error('archive', `${root}/dist/: the build folder was zipped as is; its contents belong directly under ${root}/`);
  }
  const paths = new Set(files.keys());
  const read = (rel) => files.get(rel)?.data();
  const text = (rel) => read(rel)?.toString('utf8');

  // Metadata: every plugin.json.
  const metas = new Map(); // dir ('' for the root) -> metadata
  for (const rel of [...paths].filter((p) => p === 'plugin.json' || p.endsWith('/plugin.json')).sort()) {
    let meta;
    try {
      meta = JSON.parse(text(rel));
    } catch (e) {
      error('metadata', `${rel}: not valid JSON (${e.message})`);
      continue;
    }
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
      error('metadata', `${rel}: not a JSON object`);
      continue;
    }
    metas.set(path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel), meta);
  }
  const app = metas.get('');
  if (!app) {
    error('metadata', `${root}/plugin.json is missing: Grafana finds a plugin by its plugin.json`);
  }
  const appId = app?.id;
  const version = app?.info?.version;
  result.id = typeof appId === 'string' ? appId : null;
  result.version = typeof version === 'string' ? version : null;
  if (typeof appId === 'string' && root !== appId) {
    error('archive-name', `the top folder is ${root}/ but the plugin id is ${appId}: name the folder ${appId}/`);
  }
  if (result.id && result.version) {
    const want = `${result.id}-${result.version}.zip`;
    if (path.basename(zipPath) !== want) {
      warn('archive-name', `the archive is named ${path.basename(zipPath)}; releases are named ${want}`);
    }
  }

  for (const [dir, meta] of metas) {
    const at = dir ? `${dir}/plugin.json` : 'plugin.json';
    const where = `${at}${typeof meta.id === 'string' ? ` (${meta.id})` : ''}`;
    for (const field of ['id', 'type', 'name']) {
      if (typeof meta[field] !== 'string' || meta[field].trim() === '') {
        error('metadata', `${where}: "${field}" is required (a non-empty string)`);
      }
    }
    if (typeof meta.type === 'string' && !PLUGIN_TYPES.includes(meta.type)) {
      error('metadata', `${where}: type "${meta.type}" is not one of ${PLUGIN_TYPES.join(', ')}`);
    }
    if (typeof meta.id === 'string') {
      if (!ID_PATTERN.test(meta.id)) {
        error('metadata', `${where}: id must be <org>-<name>-<type> in lower case letters and digits`);
      } else if (typeof meta.type === 'string' && meta.id.split('-').pop() !== meta.type) {
        error('metadata', `${where}: id must end with its type (-${meta.type})`);
      }
      if (meta.id === meta.name) {
        error('metadata', `${where}: name must be human-friendly, not the id`);
      }
      if (dir && typeof appId === 'string' && meta.id.split('-')[0] !== appId.split('-')[0]) {
        warn(
          'metadata',
          `${where}: nested plugin's org (${meta.id.split('-')[0]}) differs from the app's (${appId.split('-')[0]})`
        );
      }
    }
    const info = meta.info;
    if (info === null || typeof info !== 'object') {
      error('metadata', `${where}: "info" is required (version, updated, keywords, logos)`);
    } else {
      if (typeof info.version !== 'string' || !semver.valid(info.version)) {
        error(
          'metadata',
          `${where}: info.version ${JSON.stringify(info.version)} is not a semantic version (was %VERSION% replaced at build time?)`
        );
      } else if (dir && typeof version === 'string' && info.version !== version) {
        error(
          'version',
          `${where}: info.version ${info.version} differs from the app's ${version}: a stale build was packaged`
        );
      }
      if (
        typeof info.updated !== 'string' ||
        !/^\d{4}-\d{2}-\d{2}$/.test(info.updated) ||
        Number.isNaN(Date.parse(info.updated))
      ) {
        error(
          'metadata',
          `${where}: info.updated ${JSON.stringify(info.updated)} is not a YYYY-MM-DD date (was %TODAY% replaced at build time?)`
        );
      }
      if (
        !Array.isArray(info.keywords) ||
        info.keywords.length === 0 ||
        !info.keywords.every((k) => typeof k === 'string')
      ) {
        error('metadata', `${where}: info.keywords must list at least one keyword`);
      }
      for (const size of ['small', 'large']) {
        const logo = info.logos?.[size];
        if (typeof logo !== 'string' || logo.trim() === '') {
          error('logos', `${where}: info.logos.${size} is required`);
        } else {
          checkImage(`${size} logo`, dir, logo, where);
        }
      }
      if (info.screenshots !== undefined && !Array.isArray(info.screenshots)) {
        error('screenshots', `${where}: info.screenshots must be a list of {name, path}`);
      }
      for (const s of Array.isArray(info.screenshots) ? info.screenshots : []) {
        if (typeof s?.path !== 'string' || s.path.trim() === '') {
          error('screenshots', `${where}: screenshot ${JSON.stringify(s?.name ?? '')} has no path`);
        } else {
          checkImage('screenshot', dir, s.path, where);
        }
      }
      if (!dir && (!Array.isArray(info.screenshots) || info.screenshots.length === 0)) {
        warn(
          'screenshots',
          `${where}: info.screenshots is empty; the plugin catalog shows the screenshots listed there`
        );
      }
    }
    const dep = meta.dependencies?.grafanaDependency;
    if (typeof dep !== 'string' || !semver.validRange(dep) || !/^(<=|>=|<|>|=|~|\^)?\d+(\.[0-9x*]+){1,2}/.test(dep)) {
      error(
        'metadata',
        `${where}: dependencies.grafanaDependency ${JSON.stringify(dep)} is not a version constraint such as ">=12.3.0"`
      );
    }
    if (meta.buildMode !== undefined && meta.buildMode !== 'production') {
      error(
        'metadata',
        `${where}: buildMode is "${meta.buildMode}": a development build was packaged (run npm run build)`
      );
    }
    if (meta.alerting === true && meta.backend !== true) {
      error('backend', `${where}: alerting is true but backend is not; alerting needs a backend`);
    }
    if (typeof meta.executable === 'string' && meta.executable !== '' && meta.backend !== true) {
      error('backend', `${where}: declares executable "${meta.executable}" but backend is not true`);
    }
    if (meta.backend === true && (typeof meta.executable !== 'string' || meta.executable === '')) {
      error('backend', `${where}: backend is true but no executable is declared`);
    }
    if (!paths.has(dir ? `${dir}/module.js` : 'module.js')) {
      error(
        'modulejs',
        `${where}: ${dir ? `${dir}/` : ''}module.js is missing; Grafana loads every plugin from its module.js`
      );
    }
  }

  function checkImage(kind, dir, p, where) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(p)) {
      error('metadata-paths', `${where}: ${kind} path ${p} must be a path inside the archive, not a URL`);
      return;
    }
    if (p.startsWith('.') || p.startsWith('/')) {
      error('metadata-paths', `${where}: ${kind} path ${p} must be relative without a leading '.' or '/'`);
      return;
    }
    const rel = path.posix.normalize(dir ? `${dir}/${p}` : p);
    const buf = read(rel);
    if (!buf) {
      error('metadata-paths', `${where}: ${kind} ${rel} is not in the archive`);
      return;
    }
    const want = IMAGE_EXT[path.posix.extname(rel).toLowerCase()];
    const got = imageType(buf);
    if (!got) {
      error('metadata-paths', `${where}: ${kind} ${rel} is not a PNG, JPEG, GIF or SVG image`);
    } else if (want !== got) {
      error(
        'metadata-paths',
        `${where}: ${kind} ${rel} is a ${got.toUpperCase()} with a ${path.posix.extname(rel) || 'missing'} extension`
      );
    }
  }

  // Nested plugins and the app's includes.
  if (app) {
    const includes = Array.isArray(app.includes) ? app.includes : [];
    if (app.includes !== undefined && !Array.isArray(app.includes)) {
      error('includes', 'plugin.json: includes must be a list');
    }
    if (app.type !== 'app' && metas.size > 1) {
      error('includes', `plugin.json: only an app may hold nested plugins, and this is a ${app.type}`);
    }
    for (const [dir, meta] of metas) {
      if (!dir) {
        continue;
      }
      const rel = `${dir}/plugin.json`;
      const inc = includes.find((i) => i?.path === rel);
      if (meta.type === 'app') {
        error('includes', `${rel}: an app cannot be nested inside another app`);
      }
      if (!inc) {
        const suggestion = JSON.stringify({ type: meta.type, name: meta.name, path: rel });
        error(
          'includes',
          `${rel} (${meta.id}) is in the archive but not in the app's includes; add ${suggestion} to src/plugin.json`
        );
      } else if (!inc.type) {
        error('includes', `plugin.json: the include of ${rel} has no type (it is a ${meta.type})`);
      } else if (inc.type !== meta.type) {
        error('includes', `plugin.json: ${rel} is included as a ${inc.type} but is a ${meta.type}`);
      }
    }
    for (const inc of includes) {
      if (inc === null || typeof inc !== 'object') {
        error('includes', 'plugin.json: every include must be an object');
        continue;
      }
      if (!INCLUDE_TYPES.includes(inc.type)) {
        error(
          'includes',
          `plugin.json: include ${JSON.stringify(inc.name ?? inc.path)} has type ${JSON.stringify(inc.type)}, not one of ${INCLUDE_TYPES.join(', ')}`
        );
        continue;
      }
      if ((inc.type === 'panel' || inc.type === 'datasource') && typeof inc.path === 'string') {
        if (!paths.has(inc.path)) {
          error('includes', `plugin.json: includes ${inc.type} ${inc.path}, which is not in the archive`);
        }
      }
      if (inc.type === 'dashboard' && typeof inc.path === 'string' && !paths.has(inc.path)) {
        error('includes', `plugin.json: includes dashboard ${inc.path}, which is not in the archive`);
      }
      if (
        inc.type === 'page' &&
        typeof inc.path === 'string' &&
        typeof appId === 'string' &&
        !inc.path.startsWith(`/a/${appId}/`)
      ) {
        warn(
          'includes',
          `plugin.json: page ${JSON.stringify(inc.name)} has path ${inc.path}; app pages live under /a/${appId}/`
        );
      }
    }
  }

  // Backend executables: every declared executable, per platform, with its run bit.
  const executables = new Set();
  for (const [dir, meta] of metas) {
    if (typeof meta.executable !== 'string' || meta.executable === '') {
      continue;
    }
    const where = `${dir ? `${dir}/` : ''}plugin.json (${meta.id})`;
    const exeDir = path.posix.normalize(path.posix.join(dir || '.', path.posix.dirname(meta.executable)));
    const base = path.posix.basename(meta.executable);
    const inDir = (p) => (exeDir === '.' ? !p.includes('/') : path.posix.dirname(p) === exeDir);
    const found = [...paths].filter((p) => inDir(p) && path.posix.basename(p).startsWith(base));
    for (const platform of platforms) {
      const want = path.posix.join(exeDir, executableName(base, platform));
      if (!paths.has(want)) {
        error(
          'backend-binary',
          `${where}: ${want} is missing: Grafana on ${platform} runs ${executableName(base, platform)} (build it with scripts/build.sh backend)`
        );
      }
    }
    for (const p of found) {
      executables.add(p);
      const entry = files.get(p);
      const plat = platformFromName(path.posix.basename(p), base);
      if (!plat) {
        warn(
          'backend-binary',
          `${p}: starts with the executable name but is not <executable>_<os>_<arch>; Grafana ignores it`
        );
        continue;
      }
      if (!plat.exe && entry.mode !== 0o755) {
        const mode = entry.mode === null ? 'none recorded' : entry.mode.toString(8).padStart(4, '0');
        error(
          'binary-permissions',
          `${p}: mode ${mode}; a backend executable must be 0755 (rwxr-xr-x) or Grafana cannot start it`
        );
      }
      const fmt = binaryFormat(entry.data());
      if (!fmt) {
        error('backend-binary', `${p}: not an executable (no ELF, Mach-O or PE header)`);
      } else if (fmt.os !== plat.os || fmt.arch !== plat.arch) {
        error('backend-binary', `${p}: named for ${plat.os}/${plat.arch} but built for ${fmt.os}/${fmt.arch}`);
      } else if (fmt.os === 'linux' && fmt.static === false) {
        error(
          'backend-binary',
          `${p}: dynamically linked; build with CGO_ENABLED=0 so it runs on Alpine (musl) as well as glibc images`
        );
      }
    }
  }

  // Files: what must not ship, maps without their code, stray executables.
  for (const [p, e] of files) {
    const why = forbiddenReason(p);
    if (why) {
      error('forbidden-file', `${p}: ${why} does not belong in a release`);
    } else if (isStrayMap(p, paths)) {
      error('forbidden-file', `${p}: a source map without its ${path.posix.basename(p, '.map')}`);
    }
    if (executables.has(p)) {
      continue;
    }
    if (e.size >= 64) {
      const head = e.data().subarray(0, 4096);
      if (binaryFormat(head)) {
        error('forbidden-file', `${p}: an executable that no plugin.json declares (a CLI or a stray build?)`);
        continue;
      }
    }
    if (e.mode !== null && (e.mode & 0o111) !== 0) {
      warn(
        'file-permissions',
        `${p}: mode ${e.mode.toString(8).padStart(4, '0')} has a run bit but is not an executable; 0644 is expected`
      );
    }
  }
  for (const p of paths) {
    if (path.posix.basename(p) === 'module.js' && !paths.has(`${p}.map`)) {
      error(
        'js-source-map',
        `${p}.map is missing: Grafana's validator compares each module.js.map with the source code`
      );
    }
    if (p.endsWith('.map') && !forbiddenReason(p)) {
      try {
        const map = JSON.parse(text(p));
        if (map.version !== 3 || !Array.isArray(map.sources)) {
          error('js-source-map', `${p}: not a version 3 source map`);
        }
      } catch {
        error('js-source-map', `${p}: not valid JSON`);
      }
    }
    if (p.endsWith('.svg') && !forbiddenReason(p)) {
      const hazards = svgHazard(text(p));
      if (hazards.length) {
        error('unsafe-svg', `${p}: contains ${hazards.join(', ')}; catalog images may only draw`);
      }
    }
    if (TEXT_FILE.test(p) && !forbiddenReason(p) && !p.endsWith('.map')) {
      const t = text(p);
      for (const token of TEMPLATE_TOKENS) {
        if (t.includes(token)) {
          error(
            'template-leftover',
            `${p}: still contains ${token}; the build replaces it in plugin.json and README.md only`
          );
        }
      }
      const scaffold = [...new Set(SCAFFOLD_TEXT.filter(([re]) => re.test(t)).map(([, what]) => what))];
      if (scaffold.length) {
        error('template-leftover', `${p}: contains ${scaffold.join(' and ')}`);
      }
    }
  }

  // README, CHANGELOG, LICENSE at the top of the plugin folder.
  const readme = text('README.md');
  if (readme === undefined || readme.trim() === '') {
    error(
      'readme',
      `README.md is ${readme === undefined ? 'missing' : 'empty'}; the plugin catalog shows it as the plugin's page`
    );
  } else {
    if (/<!--[\s\S]*?-->/.test(readme)) {
      warn('readme', 'README.md contains HTML comments; the catalog page would not show them, so say it or drop it');
    }
    const jargon = JARGON.filter((w) => readme.includes(w));
    if (jargon.length) {
      warn(
        'jargon',
        `README.md contains developer jargon (${jargon.join(', ')}); move contributor notes to another file`
      );
    }
  }
  const changelog = text('CHANGELOG.md');
  if (changelog === undefined || changelog.trim() === '') {
    error('changelog', `CHANGELOG.md is ${changelog === undefined ? 'missing' : 'empty'}`);
  } else if (typeof version === 'string') {
    const entry = changelogEntry(changelog, version);
    if (entry === null) {
      error('changelog', `CHANGELOG.md has no entry for ${version}: add a "## ${version}" heading with what changed`);
    } else if (entry === '' || /^initial release\.?$/i.test(entry)) {
      error(
        'changelog',
        `CHANGELOG.md's entry for ${version} ${entry === '' ? 'is empty' : 'is the scaffold\'s "Initial release." placeholder'}: say what the release contains`
      );
    }
  }
  const license = text('LICENSE');
  if (license === undefined || license.trim() === '') {
    error('license', `LICENSE is ${license === undefined ? 'missing' : 'empty'}`);
  } else if (!licenseKind(license)) {
    error(
      'license',
      'LICENSE is not one Grafana accepts for plugins (Apache-2.0, MIT, BSD, GPL-3.0, LGPL-3.0, AGPL-3.0)'
    );
  } else if (license.includes('{name of copyright owner}') || license.includes('{yyyy}')) {
    warn('license', 'LICENSE still has the template placeholders {yyyy} / {name of copyright owner}');
  }

  // Signature: Grafana loads an unsigned plugin only when allow_loading_unsigned_plugins names it.
  const manifestTxt = text('MANIFEST.txt');
  const ids = [app, ...[...metas].filter(([dir]) => dir).map(([, m]) => m)]
    .map((m) => m?.id)
    .filter((id) => typeof id === 'string');
  if (manifestTxt === undefined) {
    warn(
      'signature',
      `unsigned: Grafana loads it only with allow_loading_unsigned_plugins = ${ids.join(',')} (or sign it with npm run sign)`
    );
  } else {
    const signed = signedManifest(manifestTxt);
    if (!signed) {
      error('signature', 'MANIFEST.txt is not a clearsigned plugin manifest');
    } else {
      if (signed.plugin !== appId || signed.version !== version) {
        error('signature', `MANIFEST.txt signs ${signed.plugin} ${signed.version}, not ${appId} ${version}`);
      }
      const listed = signed.files ?? {};
      for (const [p, hash] of Object.entries(listed)) {
        const buf = read(p);
        if (!buf) {
          error('signature', `MANIFEST.txt lists ${p}, which is not in the archive`);
        } else if (sha256(buf) !== hash) {
          error('signature', `${p} changed after signing (its sha256 differs from MANIFEST.txt)`);
        }
      }
      for (const p of paths) {
        if (p !== 'MANIFEST.txt' && !(p in listed)) {
          error('signature', `${p} is not in MANIFEST.txt: Grafana treats the plugin as modified`);
        }
      }
      warn('signature', 'MANIFEST.txt hashes match; its PGP signature itself is checked by Grafana, not here');
    }
  }

  // Go build manifest: how Grafana's review ties the executables to the submitted Go source.
  const hasBackend = [...metas.values()].some((m) => m.backend === true);
  const goManifest = text('go_plugin_build_manifest');
  if (hasBackend && goManifest === undefined) {
    warn(
      'go-manifest',
      'go_plugin_build_manifest is missing; a catalog submission needs it to match the executables to their Go source'
    );
  }
  if (goManifest !== undefined) {
    const listed = new Map();
    goManifest.split('\n').forEach((line, i) => {
      if (line.trim() === '') {
        return;
      }
      const m = line.match(/^([0-9a-f]{64}):(.+)$/);
      if (!m) {
        error('go-manifest', `go_plugin_build_manifest line ${i + 1} is not <sha256>:<path>: ${line.slice(0, 80)}`);
      } else {
        listed.set(m[2].replace(/\\/g, '/'), m[1]);
      }
    });
    if (opts.source) {
      const actual = goSourceHashes(opts.source);
      for (const [p, hash] of actual) {
        if (!listed.has(p)) {
          error(
            'go-manifest',
            `go_plugin_build_manifest does not list ${p}: the executables were built before it existed`
          );
        } else if (listed.get(p) !== hash) {
          error('go-manifest', `go_plugin_build_manifest: ${p} changed since the executables were built`);
        }
      }
      for (const p of listed.keys()) {
        if (!actual.has(p)) {
          error('go-manifest', `go_plugin_build_manifest lists ${p}, which is not in ${opts.source}`);
        }
      }
    }
  }

  // Checksums beside the archive, as npm run package writes them.
  for (const algo of ['sha1', 'md5']) {
    const sumFile = `${zipPath}.${algo}`;
    if (!existsSync(sumFile)) {
      warn('checksum', `${path.basename(sumFile)} is missing beside the archive`);
      continue;
    }
    const stated = (readFileSync(sumFile, 'utf8').trim().split(/\s+/)[0] ?? '').toLowerCase();
    const actual = hashFile(zipPath, algo);
    if (stated !== actual) {
      error(
        'checksum',
        `${path.basename(sumFile)} says ${stated || '(nothing)'} but the archive's ${algo} is ${actual}`
      );
    }
  }
  return result;
}

function parseArgs(argv) {
  const opts = { platforms: DEFAULT_PLATFORMS, strict: false, zips: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) {
        throw new Error(`${a} needs a value`);
      }
      return argv[++i];
    };
    if (a === '--platforms') {
      opts.platforms = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = opts.platforms.filter((p) => !/^[a-z0-9]+\/[a-z0-9]+$/.test(p));
      if (bad.length || opts.platforms.length === 0) {
        throw new Error(
          `--platforms takes os/arch pairs such as linux/amd64,linux/arm64 (got ${bad.join(', ') || 'none'})`
        );
      }
    } else if (a === '--source') {
      opts.source = value();
    } else if (a === '--strict') {
      opts.strict = true;
    } else if (a === '-h' || a === '--help') {
      opts.help = true;
    } else if (a.startsWith('-')) {
      throw new Error(`unknown option ${a}`);
    } else {
      opts.zips.push(a);
    }
  }
  return opts;
}

const USAGE =
  'usage: npm run check:package -- <plugin zip> [--platforms linux/amd64,linux/arm64] [--source DIR] [--strict]';

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`check-package: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  if (opts.zips.length === 0) {
    console.error(`check-package: no archive given\n${USAGE}`);
    return 2;
  }
  let failed = false;
  for (const zip of opts.zips) {
    const { problems } = checkPackage(zip, opts);
    const errors = problems.filter((p) => p.severity === 'error').length;
    const warnings = problems.length - errors;
    console.log(`check-package: ${zip}`);
    for (const p of problems) {
      console.log(`  ${p.severity === 'error' ? 'error  ' : 'warning'} [${p.rule}] ${p.message}`);
    }
    console.log(`  ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
    failed ||= errors > 0 || (opts.strict && warnings > 0);
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}

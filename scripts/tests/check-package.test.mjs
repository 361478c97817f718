// npm run test:scripts: the packaging check passes a complete fixture plugin and fails, with a
// message naming the file and the fix, on each way a release goes wrong.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { changelogEntry, checkPackage } from '../check-package.mjs';
import { crc32, crc32Table, readZip, writeZip } from '../lib/zip.mjs';
import { APP_ID, ELF, VERSION, editJson, pluginTree, tempDir, writePluginZip, writeTree } from './fixtures.mjs';

const SCRIPT = fileURLToPath(new URL('../check-package.mjs', import.meta.url));
const hasCommand = (c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0;

let tmp;
before(() => {
  tmp = tempDir();
});
after(() => tmp.cleanup());

let n = 0;
// Zips a (possibly broken) tree in a folder of its own and checks it.
function check(tree, zipOpts = {}, opts = {}) {
  const dir = path.join(tmp.dir, String(++n));
  mkdirSync(dir);
  const zip = writePluginZip(dir, tree, zipOpts);
  const { problems } = checkPackage(zip, opts);
  return {
    zip,
    problems,
    errors: problems.filter((p) => p.severity === 'error'),
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
}

// Exactly one error, of this rule, whose message matches.
function assertOnlyError(result, rule, message) {
  assert.equal(result.errors.length, 1, `expected one error, got:\n${result.errors.map((e) => e.message).join('\n')}`);
  assert.equal(result.errors[0].rule, rule);
  assert.match(result.errors[0].message, message);
}

describe('a complete plugin archive', () => {
  test('passes with no errors; the only warning is that it is unsigned', () => {
    const r = check(pluginTree());
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.warnings.map((w) => w.rule),
      ['signature']
    );
    assert.match(
      r.warnings[0].message,
      /allow_loading_unsigned_plugins = kaizenops-suite-app,kaizenops-metrics-datasource,kaizenops-chart-panel/
    );
  });

  test('the CLI prints the summary and exits 0', () => {
    const { zip } = check(pluginTree());
    const out = execFileSync(process.execPath, [SCRIPT, zip], { encoding: 'utf8' });
    assert.match(out, /0 errors, 1 warning/);
  });

  test('--strict turns the unsigned warning into a failure', () => {
    const { zip } = check(pluginTree());
    const r = spawnSync(process.execPath, [SCRIPT, zip, '--strict'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
  });

  test('bad usage exits 2 with the usage line', () => {
    const r = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no archive given\nusage: npm run check:package/);
    const bad = spawnSync(process.execPath, [SCRIPT, 'x.zip', '--platforms', 'linux'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--platforms takes os\/arch pairs/);
  });
});

describe('the failures the brief names', () => {
  test('a missing backend executable', () => {
    const t = pluginTree();
    t.delete('datasource/gpx_fixture_linux_arm64');
    assertOnlyError(
      check(t),
      'backend-binary',
      /datasource\/gpx_fixture_linux_arm64 is missing: Grafana on linux\/arm64 runs/
    );
  });

  test('an executable without its run bit (the CLI exits 1 and says so)', () => {
    const t = pluginTree();
    t.get('datasource/gpx_fixture_linux_amd64').mode = 0o644;
    const r = check(t);
    assertOnlyError(r, 'binary-permissions', /gpx_fixture_linux_amd64: mode 0644; a backend executable must be 0755/);
    const cli = spawnSync(process.execPath, [SCRIPT, r.zip], { encoding: 'utf8' });
    assert.equal(cli.status, 1);
    assert.match(cli.stdout, /error {3}\[binary-permissions\] datasource\/gpx_fixture_linux_amd64: mode 0644/);
  });

  test('a missing logo', () => {
    const t = pluginTree();
    t.delete('panels/chart/img/logo.svg');
    const r = check(t);
    // small and large name the same file: both are reported
    assert.equal(r.errors.length, 2);
    for (const e of r.errors) {
      assert.equal(e.rule, 'metadata-paths');
      assert.match(
        e.message,
        /panels\/chart\/plugin\.json \(kaizenops-chart-panel\): (small|large) logo panels\/chart\/img\/logo\.svg is not in the archive/
      );
    }
  });

  test('a nested plugin left out of the includes', () => {
    const t = pluginTree();
    editJson(t, 'plugin.json', (m) => {
      m.includes = m.includes.filter((i) => i.type !== 'panel');
    });
    assertOnlyError(
      check(t),
      'includes',
      /panels\/chart\/plugin\.json \(kaizenops-chart-panel\) is in the archive but not in the app's includes; add \{"type":"panel","name":"Control chart","path":"panels\/chart\/plugin\.json"\}/
    );
  });

  test('a CHANGELOG without an entry for the version', () => {
    const t = pluginTree();
    t.get('CHANGELOG.md').data = Buffer.from('# Changelog\n\n## 1.2.2\n\n- Incident metrics.\n');
    assertOnlyError(check(t), 'changelog', /CHANGELOG\.md has no entry for 1\.2\.3: add a "## 1\.2\.3" heading/);
  });

  test('a stray source map', () => {
    const t = pluginTree();
    t.set('chunk-17.js.map', { data: Buffer.from('{"version":3,"sources":[],"mappings":""}'), mode: 0o644 });
    assertOnlyError(check(t), 'forbidden-file', /chunk-17\.js\.map: a source map without its chunk-17\.js/);
  });

  test('a test data file', () => {
    const t = pluginTree();
    t.set('datasource/testdata/incidents.json', { data: Buffer.from('[]'), mode: 0o644 });
    assertOnlyError(
      check(t),
      'forbidden-file',
      /datasource\/testdata\/incidents\.json: test data does not belong in a release/
    );
  });
});

describe('archive structure', () => {
  test('the top folder must be named by the app id', () => {
    assertOnlyError(
      check(pluginTree(), { root: 'dist' }),
      'archive-name',
      /top folder is dist\/ but the plugin id is kaizenops-suite-app/
    );
  });

  test('files at the top level instead of one folder', () => {
    const r = check(pluginTree(), { root: '' });
    assert.equal(r.errors[0].rule, 'archive');
    assert.match(r.errors[0].message, /top-level entries .*; it must hold one folder named by the app id/);
  });

  test('a release is named <id>-<version>.zip (a warning otherwise)', () => {
    const r = check(pluginTree(), { name: 'plugin.zip' });
    assert.deepEqual(r.errors, []);
    assert.ok(r.warnings.some((w) => w.rule === 'archive-name' && w.message.includes(`${APP_ID}-${VERSION}.zip`)));
  });

  test('a checksum that does not match the archive', () => {
    const { zip } = check(pluginTree());
    writeFileSync(`${zip}.sha1`, `${'0'.repeat(40)}  x.zip\n`);
    const r = checkPackage(zip);
    assert.equal(r.problems.filter((p) => p.severity === 'error').length, 1);
    assert.match(
      r.problems.find((p) => p.rule === 'checksum').message,
      /\.sha1 says 0{40} but the archive's sha1 is [0-9a-f]{40}/
    );
  });

  test('not a zip at all', () => {
    const dir = path.join(tmp.dir, 'notzip');
    mkdirSync(dir);
    const file = path.join(dir, 'x.zip');
    writeFileSync(file, 'hello');
    assert.match(checkPackage(file).problems[0].message, /not a zip archive/);
    assert.match(checkPackage(path.join(dir, 'missing.zip')).problems[0].message, /no such file/);
  });
});

describe('metadata', () => {
  test('%VERSION% and %TODAY% left in a plugin.json', () => {
    const t = pluginTree();
    editJson(t, 'panels/chart/plugin.json', (m) => {
      m.info.version = '%VERSION%';
      m.info.updated = '%TODAY%';
    });
    const r = check(t);
    const msgs = r.errors.map((e) => `${e.rule}: ${e.message}`);
    assert.ok(
      msgs.some((m) => /^metadata: .*info\.version "%VERSION%" is not a semantic version/.test(m)),
      msgs.join('\n')
    );
    assert.ok(msgs.some((m) => /^metadata: .*info\.updated "%TODAY%" is not a YYYY-MM-DD date/.test(m)));
    assert.ok(msgs.some((m) => /^template-leftover: panels\/chart\/plugin\.json: still contains %VERSION%/.test(m)));
    assert.ok(msgs.some((m) => /^template-leftover: panels\/chart\/plugin\.json: still contains %TODAY%/.test(m)));
  });

  test('an id that does not follow <org>-<name>-<type>, or ends with another type', () => {
    const t = pluginTree();
    editJson(t, 'panels/chart/plugin.json', (m) => {
      m.id = 'kaizenops-chart-datasource';
    });
    assertOnlyError(check(t), 'metadata', /kaizenops-chart-datasource\): id must end with its type \(-panel\)/);
    const t2 = pluginTree();
    editJson(t2, 'panels/chart/plugin.json', (m) => {
      m.id = 'Chart_Panel';
    });
    assertOnlyError(check(t2), 'metadata', /id must be <org>-<name>-<type>/);
  });

  test('required fields: keywords, logos, grafanaDependency', () => {
    const t = pluginTree();
    editJson(t, 'datasource/plugin.json', (m) => {
      m.info.keywords = [];
      delete m.dependencies.grafanaDependency;
    });
    const msgs = check(t).errors.map((e) => e.message);
    assert.equal(msgs.length, 2, msgs.join('\n'));
    assert.match(msgs[0], /info\.keywords must list at least one keyword/);
    assert.match(msgs[1], /dependencies\.grafanaDependency undefined is not a version constraint/);
  });

  test('a nested plugin from a different build (version differs)', () => {
    const t = pluginTree();
    editJson(t, 'datasource/plugin.json', (m) => {
      m.info.version = '1.2.2';
    });
    assertOnlyError(
      check(t),
      'version',
      /info\.version 1\.2\.2 differs from the app's 1\.2\.3: a stale build was packaged/
    );
  });

  test('a development build', () => {
    const t = pluginTree();
    editJson(t, 'plugin.json', (m) => {
      m.buildMode = 'development';
    });
    assertOnlyError(check(t), 'metadata', /buildMode is "development": a development build was packaged/);
  });

  test('a screenshot whose content is not what its extension says', () => {
    const t = pluginTree();
    t.get('img/screenshot.png').data = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    assertOnlyError(check(t), 'metadata-paths', /screenshot img\/screenshot\.png is a SVG with a \.png extension/);
  });

  test('an SVG logo that runs script', () => {
    const t = pluginTree();
    t.get('img/logo.svg').data = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>x()</script></svg>'
    );
    assertOnlyError(check(t), 'unsafe-svg', /img\/logo\.svg: contains <script>, an on\* event handler attribute/);
  });

  test('an include that points at a plugin not in the archive', () => {
    const t = pluginTree();
    editJson(t, 'plugin.json', (m) => {
      m.includes.push({ type: 'panel', name: 'SLA breach', path: 'panels/slabreach/plugin.json' });
    });
    assertOnlyError(
      check(t),
      'includes',
      /includes panel panels\/slabreach\/plugin\.json, which is not in the archive/
    );
  });

  test('a nested plugin without module.js (and so without its map)', () => {
    const t = pluginTree();
    t.delete('panels/chart/module.js');
    t.delete('panels/chart/module.js.map');
    assertOnlyError(check(t), 'modulejs', /panels\/chart\/module\.js is missing/);
  });

  test('module.js shipped without module.js.map', () => {
    const t = pluginTree();
    t.delete('datasource/module.js.map');
    assertOnlyError(check(t), 'js-source-map', /datasource\/module\.js\.map is missing/);
  });
});

describe('backend executables', () => {
  test('named for amd64 but built for arm64', () => {
    const t = pluginTree();
    t.get('datasource/gpx_fixture_linux_amd64').data = ELF.arm64();
    assertOnlyError(
      check(t),
      'backend-binary',
      /gpx_fixture_linux_amd64: named for linux\/amd64 but built for linux\/arm64/
    );
  });

  test('dynamically linked (would not start on Alpine)', () => {
    const t = pluginTree();
    t.get('datasource/gpx_fixture_linux_amd64').data = ELF.amd64Dynamic();
    assertOnlyError(
      check(t),
      'backend-binary',
      /gpx_fixture_linux_amd64: dynamically linked; build with CGO_ENABLED=0/
    );
  });

  test('another platform on demand (--platforms)', () => {
    const r = check(pluginTree(), {}, { platforms: ['linux/amd64', 'linux/arm64', 'darwin/arm64'] });
    assertOnlyError(r, 'backend-binary', /gpx_fixture_darwin_arm64 is missing/);
  });

  test('backend true without an executable, alerting without backend', () => {
    const t = pluginTree();
    editJson(t, 'datasource/plugin.json', (m) => {
      delete m.executable;
    });
    // and its executables are now undeclared files
    assert.deepEqual(
      check(t).errors.map((e) => e.message),
      [
        'datasource/plugin.json (kaizenops-metrics-datasource): backend is true but no executable is declared',
        'datasource/gpx_fixture_linux_amd64: an executable that no plugin.json declares (a CLI or a stray build?)',
        'datasource/gpx_fixture_linux_arm64: an executable that no plugin.json declares (a CLI or a stray build?)',
      ]
    );
    const t2 = pluginTree();
    editJson(t2, 'panels/chart/plugin.json', (m) => {
      m.alerting = true;
    });
    assertOnlyError(check(t2), 'backend', /alerting is true but backend is not/);
  });

  test('an executable no plugin declares (the kaizen CLI slipped in)', () => {
    const t = pluginTree();
    t.set('kaizen_linux_amd64', { data: ELF.amd64(), mode: 0o755 });
    assertOnlyError(check(t), 'forbidden-file', /kaizen_linux_amd64: an executable that no plugin\.json declares/);
  });
});

describe('docs and leftovers', () => {
  test("the scaffold's CHANGELOG placeholder", () => {
    const t = pluginTree();
    t.get('CHANGELOG.md').data = Buffer.from(`# Changelog\n\n## ${VERSION} (Unreleased)\n\nInitial release.\n`);
    assertOnlyError(check(t), 'changelog', /entry for 1\.2\.3 is the scaffold's "Initial release\." placeholder/);
  });

  test("create-plugin's README and the scaffold org name", () => {
    const t = pluginTree();
    t.get('README.md').data = Buffer.from(
      '# Grafana app plugin template\n\nThis template is a starting point for building an app plugin for Grafana.\n'
    );
    assertOnlyError(check(t), 'template-leftover', /README\.md: contains create-plugin's template text/);
    const t2 = pluginTree();
    editJson(t2, 'plugin.json', (m) => {
      m.info.author.name = 'Kaizenops';
    });
    assertOnlyError(check(t2), 'template-leftover', /plugin\.json: contains the scaffold's org name "Kaizenops"/);
  });

  test('%PLUGIN_ID% left in a page path', () => {
    const t = pluginTree();
    editJson(t, 'plugin.json', (m) => {
      m.includes[0].path = '/a/%PLUGIN_ID%/setup';
    });
    const r = check(t);
    assertOnlyError(r, 'template-leftover', /plugin\.json: still contains %PLUGIN_ID%/);
    assert.ok(
      r.warnings.some((w) => w.rule === 'includes' && /app pages live under \/a\/kaizenops-suite-app\//.test(w.message))
    );
  });

  test('README, LICENSE missing; an unaccepted license', () => {
    const t = pluginTree();
    t.delete('README.md');
    t.delete('LICENSE');
    const msgs = check(t).errors.map((e) => e.message);
    assert.deepEqual(msgs, [
      "README.md is missing; the plugin catalog shows it as the plugin's page",
      'LICENSE is missing',
    ]);
    const t2 = pluginTree();
    t2.get('LICENSE').data = Buffer.from('All rights reserved.\n');
    assertOnlyError(check(t2), 'license', /not one Grafana accepts/);
  });

  test('developer jargon in the README is a warning', () => {
    const t = pluginTree();
    t.get('README.md').data = Buffer.from('# Kaizen Ops\n\nRun yarn install.\n');
    const r = check(t);
    assert.deepEqual(r.errors, []);
    assert.ok(r.warnings.some((w) => w.rule === 'jargon' && /\(yarn\)/.test(w.message)));
  });

  test('hidden files, databases and node_modules', () => {
    const t = pluginTree();
    t.set('.eslintcache', { data: Buffer.from('{}'), mode: 0o644 });
    t.set('datasource/kaizenops.db', { data: Buffer.from('SQLite format 3\0'), mode: 0o644 });
    t.set('node_modules/left-pad/index.js', { data: Buffer.from(''), mode: 0o644 });
    const msgs = check(t).errors.map((e) => e.message);
    assert.deepEqual(msgs.sort(), [
      '.eslintcache: a hidden file does not belong in a release',
      'datasource/kaizenops.db: a database file does not belong in a release',
      'node_modules/left-pad/index.js: dependencies: webpack bundles what the frontend needs does not belong in a release',
    ]);
  });
});

describe('signature and Go build manifest', () => {
  function clearsign(body) {
    return `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${body}\n-----BEGIN PGP SIGNATURE-----\nVersion: OpenPGP.js\n\nwsBc\n-----END PGP SIGNATURE-----\n`;
  }
  function signed(tree) {
    const files = {};
    for (const [p, { data }] of tree) {
      files[p] = createHash('sha256').update(data).digest('hex');
    }
    const body = JSON.stringify(
      { manifestVersion: '2.0.0', plugin: APP_ID, version: VERSION, signatureType: 'community', files },
      null,
      2
    );
    tree.set('MANIFEST.txt', { data: Buffer.from(clearsign(body)), mode: 0o644 });
    return tree;
  }

  test('a signed archive whose files match MANIFEST.txt', () => {
    const r = check(signed(pluginTree()));
    assert.deepEqual(r.errors, []);
    assert.match(
      r.warnings.find((w) => w.rule === 'signature').message,
      /hashes match; its PGP signature itself is checked by Grafana/
    );
  });

  test('a file changed after signing, a file added after signing', () => {
    const t = signed(pluginTree());
    t.get('module.js').data = Buffer.from('/* changed */');
    t.set('img/extra.svg', { data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), mode: 0o644 });
    const msgs = check(t).errors.map((e) => e.message);
    assert.deepEqual(msgs, [
      'module.js changed after signing (its sha256 differs from MANIFEST.txt)',
      'img/extra.svg is not in MANIFEST.txt: Grafana treats the plugin as modified',
    ]);
  });

  test('the Go build manifest against the source tree (--source)', () => {
    const src = path.join(tmp.dir, 'src-tree');
    const main = 'package main\n\nfunc main() {}\n';
    writeTree(src, new Map([['pkg/main.go', { data: Buffer.from(main), mode: 0o644 }]]));
    const t = pluginTree();
    const hash = createHash('sha256').update(main).digest('hex');
    t.get('go_plugin_build_manifest').data = Buffer.from(`${hash}:pkg/main.go\n`);
    assert.deepEqual(check(t, {}, { source: src }).errors, []);
    writeTree(src, new Map([['pkg/new.go', { data: Buffer.from('package main\n'), mode: 0o644 }]]));
    assertOnlyError(
      check(t, {}, { source: src }),
      'go-manifest',
      /does not list pkg\/new\.go: the executables were built before it existed/
    );
    t.get('go_plugin_build_manifest').data = Buffer.from('not a manifest\n');
    assertOnlyError(check(t), 'go-manifest', /line 1 is not <sha256>:<path>/);
  });
});

describe('changelogEntry', () => {
  test('finds "## 1.2.3", "## [1.2.3] - date" and "## v1.2.3 (Unreleased)", not 1.2.30', () => {
    assert.equal(changelogEntry('## 1.2.3\n\n- a\n\n## 1.2.2\n- b\n', '1.2.3'), '- a');
    assert.equal(changelogEntry('# Changelog\n## [1.2.3] - 2026-11-23\n- a\n', '1.2.3'), '- a');
    assert.equal(changelogEntry('## v1.2.3 (Unreleased)\n\n- a\n', '1.2.3'), '- a');
    assert.equal(changelogEntry('## 1.2.30\n- a\n', '1.2.3'), null);
    assert.equal(changelogEntry('## 1.2.3\n', '1.2.3'), '');
  });
});

describe('interoperability with Info-ZIP', { skip: !hasCommand('zip') && 'no zip command' }, () => {
  test('an archive made by `zip -r` of a dist tree reads the same (modes included)', () => {
    const dir = path.join(tmp.dir, 'infozip');
    writeTree(path.join(dir, APP_ID), pluginTree());
    const zip = path.join(dir, `${APP_ID}-${VERSION}.zip`);
    execFileSync('zip', ['-qr', zip, APP_ID], { cwd: dir });
    const problems = checkPackage(zip).problems;
    assert.deepEqual(
      problems.filter((p) => p.severity === 'error'),
      []
    );
  });

  test('unzip lists our executables as -rwxr-xr-x', { skip: !hasCommand('unzip') && 'no unzip command' }, () => {
    const { zip } = check(pluginTree());
    const listing = execFileSync('unzip', ['-Z', zip], { encoding: 'utf8' });
    assert.match(listing, /-rwxr-xr-x .* kaizenops-suite-app\/datasource\/gpx_fixture_linux_amd64/);
    assert.match(listing, /-rw-r--r-- .* kaizenops-suite-app\/plugin\.json/);
    execFileSync('unzip', ['-tq', zip]);
  });
});

describe('zip primitives', () => {
  test('CRC-32 of "123456789" is 0xcbf43926 (the standard check value), native and table alike', () => {
    const input = Buffer.from('123456789');
    assert.equal(crc32(input), 0xcbf43926);
    assert.equal(crc32Table(input), 0xcbf43926);
    const big = Buffer.alloc(100000, 7);
    assert.equal(crc32(big), crc32Table(big));
  });

  test('entries round-trip with their modes; corrupt data is reported by name', () => {
    const buf = writeZip([
      { name: 'a/', dir: true },
      { name: 'a/run_linux_amd64', data: Buffer.alloc(5000, 1), mode: 0o755 },
      { name: 'a/empty', data: '' },
    ]);
    const entries = readZip(buf);
    assert.deepEqual(
      entries.map((e) => [e.name, e.dir, e.mode, e.size]),
      [
        ['a/', true, 0o755, 0],
        ['a/run_linux_amd64', false, 0o755, 5000],
        ['a/empty', false, 0o644, 0],
      ]
    );
    assert.deepEqual(entries[1].data(), Buffer.alloc(5000, 1));
    const stored = Buffer.from(writeZip([{ name: 'x.txt', data: 'abc' }])); // too short to deflate: stored
    stored[30 + 'x.txt'.length] ^= 0xff; // flip the first data byte
    assert.throws(() => readZip(stored)[0].data(), /x\.txt: CRC or size mismatch/);
    assert.throws(() => writeZip([{ name: '../evil', data: 'x' }]), /never contain '\.\.'/);
  });
});

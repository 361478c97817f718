// npm run test:scripts: npm run package zips a built dist/ the way Grafana installs it, leaves
// out what does not belong in a release, and refuses a dist/ that is stale or not built.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { checkPackage } from '../check-package.mjs';
import { packagePlugin } from '../package.mjs';
import { readZip } from '../lib/zip.mjs';
import { APP_ID, CHANGELOG, LICENSE, README, VERSION, editJson, pluginTree, tempDir, writeTree } from './fixtures.mjs';

const SCRIPT = fileURLToPath(new URL('../package.mjs', import.meta.url));

let tmp;
before(() => {
  tmp = tempDir();
});
after(() => tmp.cleanup());

let n = 0;
// A repository with package.json, the docs and a built dist/ (the fixture plugin plus the
// leftovers a real build directory collects).
function repo({ tree = pluginTree(), junk = true } = {}) {
  const dir = path.join(tmp.dir, `repo${++n}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'kaizenops-suite', version: VERSION }));
  writeFileSync(path.join(dir, 'README.md'), README);
  writeFileSync(path.join(dir, 'CHANGELOG.md'), CHANGELOG);
  writeFileSync(path.join(dir, 'LICENSE'), LICENSE);
  const dist = path.join(dir, 'dist');
  writeTree(dist, tree);
  // The SDK writes its build manifest 0755.
  chmodSync(path.join(dist, 'go_plugin_build_manifest'), 0o755);
  if (junk) {
    writeTree(
      dist,
      new Map([
        ['.eslintcache', { data: Buffer.from('{}'), mode: 0o644 }],
        ['datasource/testdata/incidents.json', { data: Buffer.from('[]'), mode: 0o644 }],
        ['497.js.map', { data: Buffer.from('{"version":3,"sources":[],"mappings":""}'), mode: 0o644 }],
        ['panels/chart/chart.test.js', { data: Buffer.from(''), mode: 0o644 }],
      ])
    );
  }
  return dir;
}

describe('npm run package', () => {
  test('writes <id>-<version>.zip with one top folder, checksums beside it, and passes the check', () => {
    const dir = repo();
    const r = packagePlugin({ repo: dir });
    assert.equal(r.zip, path.join(dir, 'artifacts', `${APP_ID}-${VERSION}.zip`));
    const buf = readFileSync(r.zip);
    assert.equal(
      readFileSync(`${r.zip}.sha1`, 'utf8'),
      `${createHash('sha1').update(buf).digest('hex')}  ${APP_ID}-${VERSION}.zip\n`
    );
    assert.equal(
      readFileSync(`${r.zip}.md5`, 'utf8'),
      `${createHash('md5').update(buf).digest('hex')}  ${APP_ID}-${VERSION}.zip\n`
    );
    const names = readZip(buf).map((e) => e.name);
    assert.ok(names.every((n) => n.startsWith(`${APP_ID}/`)));
    assert.equal(r.files, pluginTree().size);
    const problems = checkPackage(r.zip).problems;
    assert.deepEqual(
      problems.filter((p) => p.severity === 'error'),
      []
    );
  });

  test('leaves out hidden files, test data, tests and maps without their code, and says so', () => {
    const r = packagePlugin({ repo: repo() });
    assert.deepEqual(r.leftOut, [
      { rel: '.eslintcache', why: 'a hidden file' },
      { rel: '497.js.map', why: 'a source map without its code' },
      { rel: 'datasource/testdata/incidents.json', why: 'test data' },
      { rel: 'panels/chart/chart.test.js', why: 'a test file' },
    ]);
    const names = readZip(readFileSync(r.zip)).map((e) => e.name);
    assert.ok(!names.some((n) => /eslintcache|testdata|497\.js\.map|\.test\.js/.test(n)), names.join('\n'));
  });

  test('executables keep their run bit; everything else, the build manifest too, is 0644', () => {
    const r = packagePlugin({ repo: repo() });
    const modes = Object.fromEntries(
      readZip(readFileSync(r.zip)).map((e) => [e.name.slice(APP_ID.length + 1), e.mode])
    );
    assert.equal(modes['datasource/gpx_fixture_linux_amd64'], 0o755);
    assert.equal(modes['datasource/gpx_fixture_linux_arm64'], 0o755);
    assert.equal(modes.go_plugin_build_manifest, 0o644);
    assert.equal(modes['plugin.json'], 0o644);
    assert.equal(modes[''], 0o755); // the top folder
    assert.equal(modes['datasource/'], 0o755);
  });

  test('an executable that lost its run bit on disk is packaged as it is, and the check catches it', () => {
    const dir = repo({ junk: false });
    chmodSync(path.join(dir, 'dist/datasource/gpx_fixture_linux_arm64'), 0o644);
    const r = packagePlugin({ repo: dir });
    const errors = checkPackage(r.zip).problems.filter((p) => p.severity === 'error');
    assert.deepEqual(
      errors.map((e) => e.rule),
      ['binary-permissions']
    );
  });

  test('SOURCE_DATE_EPOCH gives byte-identical archives', () => {
    const dir = repo();
    process.env.SOURCE_DATE_EPOCH = '1795046400';
    try {
      const a = packagePlugin({ repo: dir, out: path.join(dir, 'a') });
      const b = packagePlugin({ repo: dir, out: path.join(dir, 'b') });
      assert.equal(a.sha1, b.sha1);
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
  });

  test('refuses a dist/ that was not built, is stale, or is a development build', () => {
    const notBuilt = pluginTree();
    editJson(notBuilt, 'plugin.json', (m) => {
      m.info.version = '%VERSION%';
    });
    assert.throws(
      () => packagePlugin({ repo: repo({ tree: notBuilt }) }),
      /info\.version is "%VERSION%": dist\/ was not built by webpack/
    );

    const older = pluginTree();
    editJson(older, 'plugin.json', (m) => {
      m.info.version = '1.2.2';
    });
    assert.throws(
      () => packagePlugin({ repo: repo({ tree: older }) }),
      /was built as 1\.2\.2 but package\.json says 1\.2\.3: rebuild/
    );

    const dev = pluginTree();
    editJson(dev, 'plugin.json', (m) => {
      m.buildMode = 'development';
    });
    assert.throws(() => packagePlugin({ repo: repo({ tree: dev }) }), /is a development build/);

    const stale = repo();
    writeFileSync(path.join(stale, 'CHANGELOG.md'), `${CHANGELOG}\n## 1.2.4\n\n- more\n`);
    assert.throws(
      () => packagePlugin({ repo: stale }),
      /dist\/CHANGELOG\.md differs from .*CHANGELOG\.md: rebuild the frontend/
    );

    const empty = path.join(tmp.dir, 'empty');
    mkdirSync(empty);
    assert.throws(
      () => packagePlugin({ repo: empty }),
      /dist\/plugin\.json is missing: build first with bash scripts\/build\.sh/
    );
  });

  test('refuses a symbolic link in dist/ (Grafana would not install it)', () => {
    const dir = repo({ junk: false });
    symlinkSync('logo.svg', path.join(dir, 'dist/img/alias.svg'));
    assert.throws(() => packagePlugin({ repo: dir }), /img\/alias\.svg is a symbolic link/);
  });

  test('the CLI reports what it wrote, and exits 1 with the reason when it cannot', () => {
    const dir = repo();
    const out = path.join(dir, 'out');
    const ok = spawnSync(process.execPath, [SCRIPT, '--dist', path.join(dir, 'dist'), '--out', out], {
      encoding: 'utf8',
      cwd: dir,
    });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /package: left out \.eslintcache: a hidden file/);
    assert.match(ok.stdout, /package: out\/kaizenops-suite-app-1\.2\.3\.zip \(\d+ files, [\d.]+ MiB\)/);
    assert.match(ok.stdout, /check it with npm run check:package -- out\/kaizenops-suite-app-1\.2\.3\.zip/);
    assert.ok(existsSync(path.join(out, `${APP_ID}-${VERSION}.zip.sha1`)));

    const bad = spawnSync(process.execPath, [SCRIPT, '--dist', path.join(dir, 'nowhere')], {
      encoding: 'utf8',
      cwd: dir,
    });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^package: .*nowhere\/plugin\.json is missing/);
    const usage = spawnSync(process.execPath, [SCRIPT, '--bogus'], { encoding: 'utf8' });
    assert.equal(usage.status, 1);
    assert.match(usage.stderr, /unknown argument --bogus/);
  });
});

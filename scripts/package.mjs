#!/usr/bin/env node
// npm run package [-- --dist dist --out artifacts]
//
// Zips the built plugin (dist/, after `bash scripts/build.sh`) into
// artifacts/<app id>-<version>.zip with one top folder named by the app id, plus
// <zip>.sha1 and <zip>.md5, the way Grafana's packaging docs and its release action do.
// Executables keep their run bit (0755); every other file is 0644. Files that never belong
// in a release (scripts/lib/package-rules.mjs) are left out and listed. Set
// SOURCE_DATE_EPOCH for a byte-identical archive from the same dist/.
// Then: npm run check:package -- artifacts/<app id>-<version>.zip (docs/packaging.md).
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { forbiddenReason, isStrayMap } from './lib/package-rules.mjs';
import { writeZip } from './lib/zip.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

class PackageError extends Error {}

function fail(message) {
  throw new PackageError(message);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return fail(`${file}: ${e.code === 'ENOENT' ? 'missing' : `not valid JSON (${e.message})`}`);
  }
}

// Every file under dir, relative with '/' separators, sorted; links are refused, not followed.
function walk(dir) {
  const out = [];
  const visit = (rel) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(path.join(dir, r));
      if (st.isSymbolicLink()) {
        fail(`${path.join(dir, r)} is a symbolic link: Grafana's installer skips links, so copy the file instead`);
      } else if (st.isDirectory()) {
        visit(r);
      } else if (st.isFile()) {
        out.push({ rel: r, mode: st.mode & 0o777, mtime: st.mtime });
      }
    }
  };
  visit('');
  return out;
}

// Paths of declared backend executables' files, from every plugin.json in dist/.
function executablePrefixes(distDir, files) {
  const prefixes = [];
  for (const f of files.filter((f) => path.posix.basename(f.rel) === 'plugin.json')) {
    const meta = readJson(path.join(distDir, f.rel));
    if (typeof meta.executable === 'string' && meta.executable !== '') {
      prefixes.push(path.posix.normalize(path.posix.join(path.posix.dirname(f.rel), meta.executable)) + '_');
    }
  }
  return prefixes;
}

/**
 * Builds the archive. Returns { zip, sha1, md5, files, leftOut: [{ rel, why }] }.
 * opts.dist (<repo>/dist), opts.out (<repo>/artifacts), opts.repo (the repository dist/ was built in,
 * for its package.json version and the docs to compare; by default the folder holding dist/).
 */
export function packagePlugin(opts = {}) {
  // dist/ sits in the repository it was built from: its package.json and docs are compared.
  const repo = path.resolve(opts.repo ?? (opts.dist ? path.dirname(path.resolve(opts.dist)) : REPO));
  const distDir = path.resolve(opts.dist ?? path.join(repo, 'dist'));
  const outDir = path.resolve(opts.out ?? path.join(repo, 'artifacts'));
  if (!existsSync(path.join(distDir, 'plugin.json'))) {
    fail(`${distDir}/plugin.json is missing: build first with bash scripts/build.sh`);
  }
  const app = readJson(path.join(distDir, 'plugin.json'));
  const id = app.id;
  const version = app.info?.version;
  if (typeof id !== 'string' || !/^[0-9a-z-]+$/.test(id)) {
    fail(`${distDir}/plugin.json: id ${JSON.stringify(id)} cannot name the archive`);
  }
  if (typeof version !== 'string' || version.includes('%')) {
    fail(
      `${distDir}/plugin.json: info.version is ${JSON.stringify(version)}: dist/ was not built by webpack (npm run build)`
    );
  }
  if (app.buildMode !== undefined && app.buildMode !== 'production') {
    fail(`${distDir} is a ${app.buildMode} build: build it for production with bash scripts/build.sh frontend`);
  }
  const pkgJson = path.join(repo, 'package.json');
  if (existsSync(pkgJson)) {
    const pkgVersion = readJson(pkgJson).version;
    if (pkgVersion !== version) {
      fail(
        `${distDir} was built as ${version} but package.json says ${pkgVersion}: rebuild with bash scripts/build.sh`
      );
    }
  }
  // webpack copies these at build time (README.md with %VERSION% and %PLUGIN_ID% replaced);
  // a stale copy would ship yesterday's notes.
  for (const doc of ['README.md', 'CHANGELOG.md', 'LICENSE']) {
    // create-plugin ships src/README.md instead of the root one when it exists.
    const src =
      doc === 'README.md' && existsSync(path.join(repo, 'src', doc))
        ? path.join(repo, 'src', doc)
        : path.join(repo, doc);
    const built = path.join(distDir, doc);
    if (!existsSync(src) || !existsSync(built)) {
      continue;
    }
    const want = readFileSync(src, 'utf8')
      .replace(/%VERSION%/g, version)
      .replace(/%PLUGIN_ID%/g, id);
    if (!want.includes('%TODAY%') && want !== readFileSync(built, 'utf8')) {
      fail(`${built} differs from ${src}: rebuild the frontend (bash scripts/build.sh frontend)`);
    }
  }

  const files = walk(distDir);
  const shipped = new Set(files.map((f) => f.rel));
  const exePrefixes = executablePrefixes(distDir, files);
  const leftOut = [];
  const kept = [];
  for (const f of files) {
    const why = forbiddenReason(f.rel) ?? (isStrayMap(f.rel, shipped) ? 'a source map without its code' : null);
    if (why) {
      leftOut.push({ rel: f.rel, why });
    } else {
      kept.push(f);
    }
  }
  if (kept.length === 0) {
    fail(`${distDir} has nothing to package`);
  }

  const epoch = process.env.SOURCE_DATE_EPOCH;
  const fixed = epoch !== undefined && epoch !== '' ? new Date(Number(epoch) * 1000) : null;
  if (fixed && Number.isNaN(fixed.getTime())) {
    fail(`SOURCE_DATE_EPOCH=${epoch} is not a number of seconds`);
  }
  const entries = [];
  const dirs = new Set();
  for (const f of kept) {
    const parts = f.rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!dirs.has(d)) {
        dirs.add(d);
        entries.push({ name: `${id}/${d}/`, dir: true, mode: 0o755, mtime: fixed ?? f.mtime });
      }
    }
    // The run bit is carried over for declared executables only: the SDK writes its build
    // manifest 0755, and nothing but the plugin's executables should be runnable.
    const isExe = exePrefixes.some((p) => f.rel.startsWith(p));
    const mode = isExe && (f.mode & 0o111) !== 0 ? 0o755 : 0o644;
    entries.push({
      name: `${id}/${f.rel}`,
      data: readFileSync(path.join(distDir, f.rel)),
      mode,
      mtime: fixed ?? f.mtime,
    });
  }
  entries.unshift({ name: `${id}/`, dir: true, mode: 0o755, mtime: fixed ?? new Date() });

  const zipBuf = writeZip(entries);
  const zipName = `${id}-${version}.zip`;
  const zip = path.join(outDir, zipName);
  mkdirSync(outDir, { recursive: true });
  const tmp = `${zip}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, zipBuf);
    renameSync(tmp, zip);
  } finally {
    rmSync(tmp, { force: true });
  }
  const sha1 = createHash('sha1').update(zipBuf).digest('hex');
  const md5 = createHash('md5').update(zipBuf).digest('hex');
  // `sha1sum -c` reads this format; Grafana's validator takes the first field.
  writeFileSync(`${zip}.sha1`, `${sha1}  ${zipName}\n`);
  writeFileSync(`${zip}.md5`, `${md5}  ${zipName}\n`);
  return { zip, sha1, md5, size: zipBuf.length, files: kept.length, leftOut };
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dist' || a === '--out') {
      if (i + 1 >= argv.length) {
        throw new PackageError(`${a} needs a directory`);
      }
      opts[a.slice(2)] = argv[++i];
    } else if (a === '-h' || a === '--help') {
      opts.help = true;
    } else {
      throw new PackageError(`unknown argument ${a}`);
    }
  }
  return opts;
}

const USAGE = 'usage: npm run package [-- --dist dist --out artifacts]';

function main() {
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (opts.help) {
      console.log(USAGE);
      return 0;
    }
    const r = packagePlugin(opts);
    for (const { rel, why } of r.leftOut) {
      console.log(`package: left out ${rel}: ${why}`);
    }
    const rel = path.relative(process.cwd(), r.zip) || r.zip;
    console.log(`package: ${rel} (${r.files} files, ${(r.size / 1048576).toFixed(1)} MiB)`);
    console.log(`package: sha1 ${r.sha1} (${rel}.sha1), md5 ${r.md5} (${rel}.md5)`);
    console.log(`package: check it with npm run check:package -- ${rel}`);
    return 0;
  } catch (e) {
    if (e instanceof PackageError) {
      console.error(`package: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}

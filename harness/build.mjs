// Bundles the harness page with esbuild. The Grafana packages are bundled in (no Grafana here to
// provide them as externals). Every harness/fixtures/*.ts(x) file is a fixture module, discovered here.
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const OUT_DIR = path.join(here, 'dist');

export async function fixtureFiles() {
  const dir = path.join(here, 'fixtures');
  return (await readdir(dir))
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => path.join(dir, f));
}

const fixturesPlugin = {
  name: 'harness-fixtures',
  setup(b) {
    b.onResolve({ filter: /^harness:fixtures$/ }, () => ({ path: 'fixtures', namespace: 'harness' }));
    b.onLoad({ filter: /.*/, namespace: 'harness' }, async () => {
      const files = await fixtureFiles();
      const imports = files.map((f, i) => `import f${i} from ${JSON.stringify(f)};`).join('\n');
      const list = files.map((_, i) => `...[f${i}].flat()`).join(', ');
      // Names must be unique: they become URLs and screenshot file names.
      const check = `const all = [${list}];
const seen = new Set();
for (const f of all) {
  if (!/^[a-z0-9-]+$/.test(f.name) || seen.has(f.name)) throw new Error('bad or duplicate fixture name: ' + f.name);
  seen.add(f.name);
}
export default all;`;
      return { contents: `${imports}\n${check}`, resolveDir: here, loader: 'js', watchFiles: files };
    });
  },
};

// CSS travels with the JS that imports it, injected as a <style> on import, like the plugin build's
// style-loader. (esbuild's own CSS output would not load with lazily imported chunks.)
// url() references inside such CSS are not rewritten; uPlot's and @grafana/ui's CSS have none.
const injectCssPlugin = {
  name: 'inject-css',
  setup(b) {
    b.onLoad({ filter: /\.css$/ }, async (args) => {
      const css = await readFile(args.path, 'utf8');
      return {
        contents: `const s = document.createElement('style');
s.dataset.from = ${JSON.stringify(path.relative(path.dirname(here), args.path))};
s.textContent = ${JSON.stringify(css)};
document.head.appendChild(s);`,
        loader: 'js',
      };
    });
  },
};

export async function buildHarness({ minify = false } = {}) {
  const started = Date.now();
  await rm(OUT_DIR, { recursive: true, force: true });
  await mkdir(OUT_DIR, { recursive: true });
  const result = await build({
    entryPoints: { main: path.join(here, 'page/main.tsx') },
    outdir: OUT_DIR,
    bundle: true,
    format: 'esm',
    splitting: true, // fixtures import panel modules lazily, as Grafana loads plugins
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'linked',
    minify,
    // Production React, as in Grafana; dev-only warnings belong to the jest tests.
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: { '.svg': 'file', '.png': 'file', '.jpg': 'file', '.gif': 'file', '.woff': 'file', '.woff2': 'file' },
    tsconfig: path.join(here, 'tsconfig.json'),
    plugins: [fixturesPlugin, injectCssPlugin],
    logLevel: 'warning',
    metafile: true,
  });
  await copyFile(path.join(here, 'page/index.html'), path.join(OUT_DIR, 'index.html'));
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { ms: Date.now() - started, bytes, fixtures: (await fixtureFiles()).length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await buildHarness({ minify: process.argv.includes('--minify') });
  console.log(
    `harness built in ${r.ms} ms: ${(r.bytes / 1e6).toFixed(1)} MB, ${r.fixtures} fixture file(s) -> ${path.relative(process.cwd(), OUT_DIR)}`
  );
}

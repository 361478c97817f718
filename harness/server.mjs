// Static server for the harness page, loopback only. Serves what Grafana would serve under /public:
// @grafana/ui's icons, and the Inter font that GlobalStyles asks for.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const uiImg = path.join(path.dirname(require.resolve('@grafana/ui/package.json')), 'dist/public/img');

// GlobalStyles requests public/fonts/inter/Inter-*.woff2. Debian's fonts-inter has the same faces as
// OTF, and Chromium sniffs the font format, so the name's extension does not matter.
export const FONT_DIRS = [process.env.HARNESS_FONT_DIR, '/usr/share/fonts/opentype/inter'].filter(Boolean);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.otf': 'font/otf',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
};

/** Maps a URL path to a file, or null; never leaves the directory a route is rooted in. */
export function resolveRequest(urlPath, distDir) {
  const p = decodeURIComponent(urlPath.split('?')[0]);
  const within = (root, rel) => {
    const file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
    return file === root || file.startsWith(root + path.sep) ? file : null;
  };
  if (p.startsWith('/public/build/img/icons/')) {
    return within(path.join(uiImg, 'icons'), p.slice('/public/build/img/icons/'.length));
  }
  if (p.startsWith('/public/img/')) {
    return within(uiImg, p.slice('/public/img/'.length));
  }
  const font = /^\/public\/fonts\/inter\/(Inter-[A-Za-z]+)\.woff2$/.exec(p);
  if (font) {
    return FONT_DIRS.map((d) => path.join(d, `${font[1]}.otf`));
  }
  return within(distDir, p === '/' ? 'index.html' : p.slice(1));
}

async function firstFile(candidates) {
  for (const f of [candidates].flat()) {
    if (f && (await stat(f).catch(() => null))?.isFile()) {
      return f;
    }
  }
  return null;
}

export function startServer({ distDir = path.join(here, 'dist'), port = 0 } = {}) {
  const server = http.createServer(async (req, res) => {
    const file = await firstFile(resolveRequest(req.url ?? '/', distDir));
    if (!file || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${req.url}`);
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address();
      resolve({ url: `http://127.0.0.1:${p}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 3999);
  const { url } = await startServer({ port });
  console.log(`harness at ${url}/?fixture=<name>&theme=dark|light  (Ctrl-C stops)`);
}

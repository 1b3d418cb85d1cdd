/**
 * Serves the console's built files from `admin/dist` at `/admin/…`, with the SPA fallback: any
 * path that is not a file gets `index.html` so deep links (`/admin/transactions/ch_…`) load.
 * Hashed assets are cached for a year; `index.html` never is, so a new build shows at once.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { fail } from '../../core/errors.js';

/** src/http/admin and dist/http/admin are both three levels below the package root. */
export const ADMIN_DIST = fileURLToPath(new URL('../../../admin/dist/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.map': 'application/json',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>paygate console</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>The admin console is not built</h1><p>Run <code>npm run build:admin</code> (or <code>npm run build</code>) and reload.</p>
<p>管理后台尚未构建：请运行 <code>npm run build:admin</code> 后刷新。</p></body>`;

/** A file under the dist folder, or undefined (never a path outside it). */
function fileFor(root: string, path: string): string | undefined {
  const relative = normalize(decodeURIComponent(path)).replace(/^([/\\])+/, '');
  const full = join(root, relative);
  if (!full.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  return existsSync(full) && statSync(full).isFile() ? full : undefined;
}

export function staticRoutes(app: FastifyInstance, root: string = ADMIN_DIST): void {
  const serve = async (path: string, reply: FastifyReply) => {
    if (path.startsWith('api/') || path === 'api') fail('route_not_found', { message: `No route /admin/${path}.` });
    let file: string | undefined;
    try {
      file = path ? fileFor(root, path) : undefined;
    } catch {
      file = undefined;
    }
    const index = join(root, 'index.html');
    if (!file) {
      // A missing asset is a 404, not the SPA shell: HTML served as a script only confuses.
      if (/\.[a-z0-9]+$/i.test(path)) fail('route_not_found', { message: `No file /admin/${path}.` });
      if (!existsSync(index)) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
      file = index;
    }
    const immutable = file !== index && path.startsWith('assets/');
    reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('x-content-type-options', 'nosniff');
    if (file === index) {
      // The console loads only its own files; Element Plus sets inline styles, nothing runs inline scripts.
      reply.header('content-security-policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'");
      reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'same-origin');
    }
    return reply.type(TYPES[extname(file)] ?? 'application/octet-stream').send(createReadStream(file));
  };
  // With ignoreTrailingSlash, `/admin` and `/admin/` reach this one route: send the bare form to
  // the slashed one (the SPA's base), and serve the shell for the slashed one.
  app.get('/admin', async (request, reply) => (request.url.split('?')[0] === '/admin' ? reply.redirect('/admin/', 302) : serve('', reply)));
  app.get<{ Params: { '*': string } }>('/admin/*', async (request, reply) => serve(request.params['*'] ?? '', reply));
}

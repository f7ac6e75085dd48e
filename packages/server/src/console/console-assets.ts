import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';

/** The headers of every console response: no inline script, no framing, no sniffing, no referrer. */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
};

/** A file name the assets folder may serve: hashed build output, no path separators, no dot files. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Where the built console is: `configured` when given, else the `dist` folder of the installed `@readwire/console`
 * package; undefined when neither exists.
 */
export function resolveConsoleAssets(configured: string | undefined): string | undefined {
  if (configured !== undefined) return resolve(configured);
  try {
    const pkg = createRequire(import.meta.url).resolve('@readwire/console/package.json');
    return join(dirname(pkg), 'dist');
  } catch {
    return undefined;
  }
}

const NOT_BUILT = (dir: string | undefined) =>
  `The Readwire console is not built${dir ? ` (no ${join(dir, 'index.html')})` : ' (@readwire/console is not installed)'}.\n` +
  'Run `npm run build` in the Readwire checkout (or `npm install`, which builds it), then reload this page.\n' +
  'Its REST commands work without it: see packages/server/docs/console-api.md.\n';

function secured(reply: FastifyReply): FastifyReply {
  return reply.headers(CONSOLE_SECURITY_HEADERS);
}

/**
 * Serves the console: `GET /console` (and `/console/`) is its `index.html` (`Cache-Control: no-cache`),
 * `GET /console/assets/<name>` its hashed build files (cached for a year, immutable). Every answer carries
 * `CONSOLE_SECURITY_HEADERS`. Without a build, `/console` answers 404 with a text that says how to build it. The
 * folder is looked up per request, so a build made while the server runs is served.
 */
export function serveConsole(http: FastifyInstance, dir: string | undefined): void {
  const index = async (_req: unknown, reply: FastifyReply) => {
    const file = dir && join(dir, 'index.html');
    if (!file || !existsSync(file)) {
      return secured(reply).code(404).type('text/plain; charset=utf-8').send(NOT_BUILT(dir));
    }
    return secured(reply)
      .header('cache-control', 'no-cache')
      .type(TYPES['.html']!)
      .send(await readFile(file));
  };
  http.get('/console', index);
  http.get('/console/', index);
  http.get<{ Params: { name: string } }>('/console/assets/:name', async (req, reply) => {
    const name = req.params.name;
    const type = TYPES[extname(name)];
    if (!dir || !ASSET_NAME.test(name) || !type) return notFound(reply);
    let body: Buffer;
    try {
      body = await readFile(join(dir, 'assets', name));
    } catch {
      return notFound(reply);
    }
    return secured(reply).header('cache-control', 'public, max-age=31536000, immutable').type(type).send(body);
  });
}

function notFound(reply: FastifyReply) {
  return secured(reply).code(404).type('text/plain; charset=utf-8').send('not found\n');
}

/**
 * `/console` and `/console/assets/*`: served from the configured folder with the console's security headers,
 * `no-cache` for the page and a year for hashed assets; a helpful 404 when the console is not built; no path escapes
 * the assets folder.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startDispatchServer, type DispatchServer } from '../dispatch/helpers/dispatch-server.ts';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";

function assertSecured(res: Response): void {
  assert.equal(res.headers.get('content-security-policy'), CSP);
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
}

describe('console static files', () => {
  const assets = mkdtempSync(join(tmpdir(), 'readwire-console-assets-'));
  let built: DispatchServer;
  let missing: DispatchServer;
  let off: DispatchServer;

  before(async () => {
    mkdirSync(join(assets, 'assets'));
    writeFileSync(
      join(assets, 'index.html'),
      '<!doctype html><script type="module" src="/console/assets/app-1a2b.js"></script>',
    );
    writeFileSync(join(assets, 'assets', 'app-1a2b.js'), 'console.log(1)');
    writeFileSync(join(assets, 'assets', 'app-1a2b.css'), 'body{}');
    writeFileSync(join(assets, 'secret.txt'), 'not an asset');
    built = await startDispatchServer({ console: { assetsDir: assets } });
    missing = await startDispatchServer({ console: { assetsDir: join(assets, 'nope') } });
    off = await startDispatchServer({ console: { enabled: false, assetsDir: assets } });
  });
  after(async () => {
    await Promise.all([built.close(), missing.close(), off.close()]);
    rmSync(assets, { recursive: true, force: true });
  });

  it('serves the page with no-cache and the security headers', async () => {
    for (const path of ['/console', '/console/']) {
      const res = await fetch(`${built.server.url}${path}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      assertSecured(res);
      assert.match(await res.text(), /app-1a2b\.js/);
    }
  });

  it('serves hashed assets for a year, immutable, with their types and the security headers', async () => {
    const js = await fetch(`${built.server.url}/console/assets/app-1a2b.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assertSecured(js);
    assert.equal(await js.text(), 'console.log(1)');
    const css = await fetch(`${built.server.url}/console/assets/app-1a2b.css`);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  });

  it('answers 404 for unknown assets and for paths out of the assets folder', async () => {
    for (const path of [
      '/console/assets/nope.js',
      '/console/assets/..%2Fsecret.txt',
      '/console/assets/%2e%2e%2findex.html',
      '/console/secret.txt',
    ]) {
      const res = await fetch(`${built.server.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(await res.text(), /not an asset/);
    }
  });

  it('says how to build the console when it is not built', async () => {
    const res = await fetch(`${missing.server.url}/console`);
    assert.equal(res.status, 404);
    assertSecured(res);
    assert.match(await res.text(), /npm run build/);
  });

  it('serves nothing when the console is disabled, while its commands still answer', async () => {
    assert.equal((await fetch(`${off.server.url}/console`)).status, 404);
    const r = await off.call('readwire_console/user_overview', { Account: 'administrator' });
    assert.equal(r.ErrorCode, 0);
  });
});

/**
 * The README's example, run as written (extracted from README.md into a temporary .mjs next to the package so it
 * resolves `@readwire/client` and `@readwire/sdk` like a user's script), against a real server.
 * @module
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { APP, SECRET, startTestServer, type TestServer } from './helpers/test-server.ts';
import { after, before, describe, it } from 'node:test';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

let ts: TestServer;
before(async () => {
  ts = await startTestServer();
});
after(() => ts.close());

describe('README', () => {
  it('README example runs against a server', async () => {
    const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
    const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(code, 'README has a ```js example');
    const dir = mkdtempSync(join(packageDir, '.readme-'));
    try {
      writeFileSync(join(dir, 'example.mjs'), code);
      const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'example.mjs')], {
        env: { ...process.env, READWIRE_URL: ts.wsUrl, READWIRE_SDKAPPID: String(APP), READWIRE_SECRET_KEY: SECRET },
        timeout: 20_000,
      });
      const lines = stdout.trim().split('\n');
      assert.equal(lines[0], 'bob got "Hello Bob!" from alice; unread: 1');
      assert.match(lines[1]!, /^alice sees that bob read up to \d+$/);
      assert.equal(lines[2], 'bob: 1 conversation(s), 0 unread');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

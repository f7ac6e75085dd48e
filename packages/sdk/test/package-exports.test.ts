import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, it } from 'node:test';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8')) as {
  exports: Record<string, { types: string; default: string } | string>;
  dependencies?: object;
};

describe('@readwire/sdk as published', () => {
  it('publint (strict, down to suggestions) reports nothing', async () => {
    const { messages } = await publint({ pkgDir, level: 'suggestion', strict: true });
    assert.deepEqual(
      messages.map((m) => `${m.type}: ${formatMessage(m, pkg)}`),
      [],
    );
  });

  it('has no runtime dependencies and lists types first in every export', () => {
    assert.equal(pkg.dependencies, undefined);
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      assert.deepEqual(Object.keys(target), ['types', 'default'], subpath);
    }
  });

  it('every subpath resolves through the package name and exports its entry points', async () => {
    const expected: Record<string, string[]> = {
      '@readwire/sdk': [
        'createCallbackReceiver',
        'createRestClient',
        'genUserSig',
        'verifyUserSig',
        'tencentCallbackSign',
        'signStandardWebhook',
        'verifyStandardWebhook',
        'RestError',
        'CallbackError',
      ],
      '@readwire/sdk/node': ['createNodeListener'],
      '@readwire/sdk/express': ['createExpressMiddleware'],
      '@readwire/sdk/fastify': ['fastifyCallbackReceiver'],
      '@readwire/sdk/web': ['createWebHandler'],
      '@readwire/sdk/usersig': ['genUserSig', 'verifyUserSig'],
    };
    for (const [specifier, names] of Object.entries(expected)) {
      const mod = (await import(specifier)) as Record<string, unknown>;
      for (const name of names) assert.equal(typeof mod[name], 'function', `${specifier} ${name}`);
    }
  });
});

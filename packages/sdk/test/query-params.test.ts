import assert from 'node:assert/strict';
import fc from 'fast-check';
import { QueryParams } from '../src/receiver/callback-request.ts';
import { describe, it } from 'node:test';

const char = fc.constantFrom('a', 'B', 'z', '0', '%', '+', '&', '=', ' ', '#', 'é', '🙂', '_', '.', '*', '-');
const text = fc.string({ unit: char, maxLength: 8 });

describe('QueryParams', () => {
  it('agrees with URLSearchParams on encoded queries (first occurrence wins)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 8 }), (pairs) => {
        const query = new URLSearchParams(pairs).toString();
        const ours = new QueryParams(`/cb?${query}`);
        const reference = new URLSearchParams(query);
        for (const [name] of pairs) assert.equal(ours.get(name), reference.get(name) ?? undefined);
      }),
    );
  });

  it('agrees with URLSearchParams on raw, possibly malformed queries', () => {
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 24 }), text, (raw, name) => {
        const ours = new QueryParams(`/cb?${raw.replace(/#/g, '')}`);
        const reference = new URLSearchParams(raw.replace(/#/g, ''));
        if (reference.has(name)) assert.equal(ours.get(name), reference.get(name));
        for (const [n, v] of reference) assert.equal(ours.get(n), reference.get(n) ?? v);
      }),
    );
  });

  it('falls back to a case-insensitive name, ignores the fragment, handles absolute URLs', () => {
    const q = new QueryParams('https://example.com/cb?sdkappid=1&SdkAppid=2&Sign=abc#x=1');
    assert.equal(q.get('SdkAppid'), '2');
    assert.equal(q.get('SDKAPPID'), '1');
    assert.equal(q.get('x'), undefined);
    assert.equal(q.get('Sign'), 'abc');
    assert.equal(new QueryParams('/cb').get('Sign'), undefined);
    // A bare name is a parameter with the value '' (and it is the first occurrence, as in URLSearchParams).
    assert.equal(new QueryParams('/cb?B&B=a').get('B'), '');
    assert.equal(new QueryParams('/cb?x=1&B').get('B'), '');
    assert.equal(new QueryParams('/cb?xB=1&B=2').get('B'), '2');
    assert.equal(new QueryParams('/cb?&=a').get(''), 'a');
    assert.equal(new QueryParams('/cb?ClientIP=%3A%3A1&OptPlatform=Web+SDK').get('OptPlatform'), 'Web SDK');
    assert.deepEqual(
      [...new QueryParams('/cb?a=1&b&a=2').entries()],
      [
        ['a', '1'],
        ['b', ''],
        ['a', '2'],
      ],
    );
  });
});

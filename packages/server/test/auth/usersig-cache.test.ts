/**
 * The UserSig verifier's cache: a verified sig is remembered (also as the last one seen), but only for the app and
 * identifier it was issued to, and only until it expires.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserSigVerifier } from '../../src/auth/usersig-cache.ts';
import { ImError } from '../../src/errors/im-error.ts';
import { tencentUserSig } from '../helpers/tencent-sig.ts';

const APP = 1400000001;
const OTHER_APP = 1400000002;
const KEY = 'verifier-test-secret-key-0123456789';

async function code(p: Promise<number>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof ImError);
    return error.code;
  }
}

describe('UserSigVerifier', () => {
  it('a sig that just verified is refused for another identifier or another app', async () => {
    const v = new UserSigVerifier();
    const sig = tencentUserSig(APP, KEY, 'administrator');
    assert.equal(await code(v.verify(APP, KEY, 'administrator', sig)), 'ok');
    assert.equal(await code(v.verify(APP, KEY, 'administrator', sig)), 'ok', 'the cached hit');
    assert.equal(await code(v.verify(APP, KEY, 'alice', sig)), 'USERSIG_IDENTIFIER_MISMATCH');
    assert.equal(await code(v.verify(OTHER_APP, KEY, 'administrator', sig)), 'USERSIG_SDKAPPID_MISMATCH');
    assert.equal(await code(v.verify(APP, KEY, 'administrator', sig)), 'ok', 'still valid for its own pair');
  });

  it('answers a sig cached earlier again after another sig was the last one', async () => {
    const v = new UserSigVerifier();
    const a = tencentUserSig(APP, KEY, 'administrator');
    const b = tencentUserSig(APP, KEY, 'bob');
    const expiresA = await v.verify(APP, KEY, 'administrator', a);
    await v.verify(APP, KEY, 'bob', b);
    assert.equal(await v.verify(APP, KEY, 'administrator', a), expiresA);
    assert.equal(await code(v.verify(APP, KEY, 'bob', a)), 'USERSIG_IDENTIFIER_MISMATCH');
  });

  it('a cached sig expires: USERSIG_EXPIRED (70001) once its expiry has passed', async () => {
    const v = new UserSigVerifier();
    const sig = tencentUserSig(APP, KEY, 'administrator', 1);
    const expiresAt = await v.verify(APP, KEY, 'administrator', sig);
    await new Promise((r) => setTimeout(r, (expiresAt + 1) * 1000 - Date.now() + 50));
    assert.equal(await code(v.verify(APP, KEY, 'administrator', sig)), 'USERSIG_EXPIRED');
    assert.equal(await code(v.verify(APP, KEY, 'administrator', sig)), 'USERSIG_EXPIRED', 'also from the cache path');
  });
});

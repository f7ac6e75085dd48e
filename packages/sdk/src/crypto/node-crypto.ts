import type * as NodeCrypto from 'node:crypto';

interface ProcessWithBuiltins {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * `node:crypto` when the runtime offers it through `process.getBuiltinModule` (Node ≥ 20.16, Bun, Deno), else
 * `undefined` (browsers, Workers). Used only to hash synchronously on per-request paths; every caller falls back
 * to Web Crypto, so the SDK still needs nothing beyond Web standards.
 */
export const nodeCrypto: typeof NodeCrypto | undefined = (() => {
  try {
    const proc = (globalThis as { process?: ProcessWithBuiltins }).process;
    return proc?.getBuiltinModule?.('node:crypto') as typeof NodeCrypto | undefined;
  } catch {
    return undefined;
  }
})();

import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `condition` until it holds, or fails after `timeoutMs` with `message` (and the last value seen). Tests wait
 * for conditions, never for fixed times, so a loaded machine only makes them slower, not flaky.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  message: string | (() => string | Promise<string>),
  timeoutMs = 30_000,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) {
      const what = typeof message === 'string' ? message : await message();
      throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    }
    await sleep(intervalMs);
  }
}

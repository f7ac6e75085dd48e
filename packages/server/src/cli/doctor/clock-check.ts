import type { CheckResult, DoctorContext } from './doctor-check.ts';

/** Earliest plausible clock: before it, this machine's clock is surely wrong. */
const EARLIEST_MS = Date.UTC(2025, 0, 1);
/** Latest plausible clock. */
const LATEST_MS = Date.UTC(2100, 0, 1);
/** Receivers check `RequestTime` within 60 s (Tencent's rule, the SDK's default window). */
export const CLOCK_FAIL_SECONDS = 60;
/** Skew worth a warning: `Date` headers have one-second resolution, so smaller skews are noise. */
export const CLOCK_WARN_SECONDS = 5;

/**
 * The clock: within sane bounds, and close to the clocks of the callback endpoints that answered the probe (their
 * `Date` header), since receivers refuse a `RequestTime` or `webhook-timestamp` too far from their own time.
 */
export function clockCheck(ctx: DoctorContext, now = Date.now()): Promise<CheckResult[]> {
  const iso = new Date(now).toISOString();
  if (now < EARLIEST_MS || now >= LATEST_MS) {
    return Promise.resolve([
      {
        check: 'clock',
        status: 'fail',
        message: `this machine's clock says ${iso}`,
        fix: 'set the clock (enable NTP: timedatectl set-ntp true)',
      },
    ]);
  }
  if (ctx.remoteClocks.length === 0) {
    return Promise.resolve([
      { check: 'clock', status: 'ok', message: `${iso} (plausible; no callback endpoint's clock to compare with)` },
    ]);
  }
  return Promise.resolve(
    ctx.remoteClocks.map((c): CheckResult => {
      // A Date header has whole seconds: the remote clock was somewhere in [remoteMs, remoteMs + 1000).
      const skew = Math.round((c.localMs - c.remoteMs - 500) / 1000);
      const relation = skew === 0 ? 'within a second of' : `${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'}`;
      const text = `${iso}, ${relation} ${c.origin} (its Date header)`;
      const fix =
        'synchronise the clocks of both machines (NTP): receivers refuse callbacks whose RequestTime is more than 60 s off';
      if (Math.abs(skew) > CLOCK_FAIL_SECONDS) return { check: 'clock', status: 'fail', message: text, fix };
      if (Math.abs(skew) > CLOCK_WARN_SECONDS) return { check: 'clock', status: 'warn', message: text, fix };
      return { check: 'clock', status: 'ok', message: text };
    }),
  );
}

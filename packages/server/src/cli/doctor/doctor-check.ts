import type { Config } from '../../config/config-schema.ts';

/** How a check came out: `fail` makes `readwire doctor` exit 1, `warn` does not. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** One finding of `readwire doctor`. */
export interface CheckResult {
  /** The area: `config`, `node`, `storage`, `port`, `callback`, `clock`. */
  check: string;
  status: CheckStatus;
  message: string;
  /** What to do about a `warn` or `fail`. */
  fix?: string;
}

/** A remote clock seen in a `Date` response header, with the local time when the answer arrived. */
export interface RemoteClock {
  origin: string;
  remoteMs: number;
  localMs: number;
}

/** What the checks share: the validated configuration and what earlier checks observed. */
export interface DoctorContext {
  config: Config;
  /** Send a probe request to each callback URL. */
  probe: boolean;
  /** Clocks of the callback endpoints that answered the probe, for the clock check. */
  remoteClocks: RemoteClock[];
}

/** One check: returns one or more findings, never throws for what it checks. */
export type DoctorCheck = (ctx: DoctorContext) => Promise<CheckResult[]>;

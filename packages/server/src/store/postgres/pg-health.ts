import type { StoreHealth } from '../store-health.ts';

/** How often the database is probed while no call has succeeded lately (ms). */
export const PG_PROBE_INTERVAL_MS = 1_000;

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']);
const CONNECTION_MESSAGE = /connection terminated|connection (is )?closed|timeout exceeded when trying to connect/i;

/**
 * Whether `error` (or one of its causes) says the database cannot be reached: a refused, reset or timed-out
 * connection, a session ended by the server (SQLSTATE class 08, 57P01–57P03: shutdown, restart, not accepting
 * connections yet).
 */
export function isConnectionError(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const code = 'code' in e && typeof e.code === 'string' ? e.code : '';
    if (CONNECTION_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code)) return true;
    if ('message' in e && typeof e.message === 'string' && CONNECTION_MESSAGE.test(e.message)) return true;
    e = 'cause' in e ? e.cause : undefined;
  }
  return false;
}

/**
 * The PostgreSQL store's health, without I/O on the caller's path: every call the store makes reports its outcome
 * (`succeeded`, `failed`); a failure that says the database cannot be reached marks the store unreachable, the next
 * success marks it reachable again. While no call has succeeded for {@link PG_PROBE_INTERVAL_MS}, a probe (`SELECT 1`
 * on a pooled connection, given the same time to answer) keeps the state current on an idle node too. Each outage is
 * reported once to the `onProblem` listeners, when it starts.
 */
export class PgHealth {
  private down: string | undefined;
  private lastOk = performance.now();
  private probing = false;
  private readonly listeners: ((message: string) => void)[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly probe: () => Promise<unknown>;
  private readonly target: string;

  /** `probe` runs `SELECT 1`; `target` names the database in messages (`PostgreSQL at host:port, …`). */
  constructor(probe: () => Promise<unknown>, target: string, intervalMs = PG_PROBE_INTERVAL_MS) {
    this.probe = probe;
    this.target = target;
    this.timer = setInterval(() => this.check(intervalMs), intervalMs).unref();
  }

  /** The current state (no I/O). */
  health(): StoreHealth {
    return this.down === undefined ? { ok: true } : { ok: false, reason: this.down };
  }

  onProblem(listener: (message: string) => void): void {
    this.listeners.push(listener);
  }

  /** A call reached the database. */
  succeeded(): void {
    this.lastOk = performance.now();
    this.down = undefined;
  }

  /** A call failed; only a failure to reach the database changes the state. */
  failed(error: unknown): void {
    if (!isConnectionError(error)) return;
    const cause = error instanceof Error ? error.message : String(error);
    this.markDown(`${this.target} is unreachable: ${cause}`);
  }

  /** Stops probing. */
  close(): void {
    clearInterval(this.timer);
  }

  private markDown(reason: string): void {
    const started = this.down === undefined;
    this.down = reason;
    if (started) for (const l of this.listeners) l(reason);
  }

  private check(timeoutMs: number): void {
    if (this.probing || performance.now() - this.lastOk < timeoutMs) return;
    this.probing = true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    Promise.race([this.probe(), late])
      .then(
        () => this.succeeded(),
        (error: unknown) =>
          this.markDown(`${this.target} is unreachable: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        clearTimeout(timer);
        this.probing = false;
      });
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { InFlightSend } from './callback-sender.ts';

/**
 * The dispatcher's attempts in flight: how many are running and, for those whose request is on the wire, the handle
 * that can abort it. It is what a graceful stop waits for: `drain` lets running requests finish until a deadline,
 * aborts the rest, and resolves once every attempt has ended (so its settle is queued).
 */
export class InFlightAttempts {
  private readonly sends = new Map<number, InFlightSend>();
  private running = 0;
  private idle: (() => void) | undefined;

  /** An attempt started (its request may not be sent yet). */
  started(): void {
    this.running++;
  }

  /** The request of event `rowId`'s attempt went on the wire. */
  sent(rowId: number, send: InFlightSend): void {
    this.sends.set(rowId, send);
  }

  /** Event `rowId`'s attempt ended, whatever its outcome. */
  ended(rowId: number): void {
    this.sends.delete(rowId);
    this.running--;
    if (this.running === 0) this.idle?.();
  }

  /** Waits up to `graceMs` for requests on the wire, aborts those still running, then waits for every attempt to end. */
  async drain(graceMs: number, abortReason: string): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (this.sends.size > 0 && Date.now() < deadline) {
      await Promise.race([sleep(Math.max(0, deadline - Date.now())), ...[...this.sends.values()].map((s) => s.result)]);
    }
    for (const s of this.sends.values()) s.abort(abortReason);
    if (this.running > 0) await new Promise<void>((resolve) => (this.idle = resolve));
  }
}

import type {
  ClaimRequest,
  ClaimResult,
  ClaimedEvent,
  AttemptRecord,
  SettleOutcome,
  WriteSet,
} from '../../../dispatch/outbox.ts';

/** The delivery writes of the SQLite outbox; synchronous, valid only inside a batch's write transaction. */
export interface OutboxWriter {
  /** Claims up to `request.limit` due heads of one app for `owner`. */
  claim(owner: string, request: ClaimRequest, now: number): ClaimResult;
  /** Records an attempt and moves the event on; false when the lease was lost (someone else owns it now). */
  settle(event: ClaimedEvent, outcome: SettleOutcome, record: AttemptRecord, now: number): boolean;
  /** Returns a claimed event that was never sent; false when the lease was lost. */
  release(event: ClaimedEvent, now: number): boolean;
  /** Makes the waiting retries of these apps due now (an endpoint recovered). */
  expediteRetries(appIds: number[], now: number): number;
}

/**
 * Applies a batch's write set: settles, then releases, then the expedited retries. Returns the event ids of the
 * settles whose lease had passed to someone else (a lost release changes nothing and needs no report).
 *
 * Must run inside the batch's write transaction (`BEGIN IMMEDIATE`: the database write lock is held throughout).
 */
export function applyWrites(w: OutboxWriter, set: WriteSet, now: number): string[] {
  const lost: string[] = [];
  for (const s of set.settles) {
    if (!w.settle(s.event, s.outcome, s.record, now)) lost.push(s.event.eventId);
  }
  for (const e of set.releases) w.release(e, now);
  if (set.expedite.length > 0) w.expediteRetries(set.expedite, now);
  return lost;
}

/** An event as `list_events` and `get_event` answer it. */
export interface EventRow {
  EventId: string;
  Command: string;
  Account: string;
  State: 'pending' | 'delivered' | 'dead';
  Attempts: number;
  InFlight?: boolean | number;
  Waiting?: boolean | number;
  NextAttemptAtMs: number | null;
  CreatedAtMs: number;
  DeliveredAtMs: number | null;
  LastError: string;
  Body: unknown;
}

/** The state shown to a person: a pending event that failed at least once is "retrying". */
export function shownState(e: Pick<EventRow, 'State' | 'Attempts'>): string {
  return e.State === 'pending' && e.Attempts > 0 ? 'retrying' : e.State;
}

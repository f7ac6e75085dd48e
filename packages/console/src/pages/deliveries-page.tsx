import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../api.ts';
import type { Credentials } from '../credentials.ts';
import { shownState, type EventRow } from '../event-state.ts';
import { EmptyNote, ErrorNote, fmtTime } from '../notes.tsx';

interface Filter {
  State: string;
  Command: string;
  Account: string;
  From: string;
  To: string;
}

const EMPTY: Filter = { State: '', Command: '', Account: '', From: '', To: '' };

function query(f: Filter): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (f.Command) q.Command = f.Command;
  if (f.Account) q.Account = f.Account;
  if (f.From) q.MinTimeMs = new Date(f.From).getTime();
  if (f.To) q.MaxTimeMs = new Date(f.To).getTime();
  return q;
}

/** Deliveries: the app's callback events, filtered, with paging and "replay all dead" behind a counted confirmation. */
export function DeliveriesPage({ c }: { c: Credentials }) {
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const [rows, setRows] = useState<EventRow[]>([]);
  const [cursor, setCursor] = useState<unknown>();
  const [complete, setComplete] = useState(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();
  const [confirm, setConfirm] = useState<number>();
  const [done, setDone] = useState<string>();
  const confirmBox = useRef<HTMLDivElement>(null);
  // Keyboard users land on the confirmation's first button.
  useEffect(() => confirmBox.current?.querySelector('button')?.focus(), [confirm]);
  async function load(f: Filter, more: boolean) {
    setLoading(true);
    setError(undefined);
    try {
      const body = { ...query(f), Limit: 100, ...(f.State ? { State: f.State } : {}) };
      if (more && cursor !== undefined) Object.assign(body, { Cursor: cursor });
      const r = await call<{ Events: EventRow[]; NextCursor?: unknown; Complete?: number }>(
        c,
        'readwire_callback',
        'list_events',
        body,
      );
      setRows((old) => (more ? [...old, ...r.Events] : r.Events));
      setCursor(r.NextCursor);
      setComplete(r.Complete === 1 || r.NextCursor === undefined);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => void load(filter, false), [filter, c]);
  async function askReplayAll() {
    setDone(undefined);
    setError(undefined);
    try {
      const r = await call<{ Count: number }>(c, 'readwire_callback', 'replay', {
        AllDead: true,
        DryRun: 1,
        ...query(filter),
      });
      setConfirm(r.Count);
    } catch (e) {
      setError(e);
    }
  }
  async function replayAll() {
    setConfirm(undefined);
    try {
      const r = await call<{ Replayed: number }>(c, 'readwire_callback', 'replay', { AllDead: true, ...query(filter) });
      setDone(`${r.Replayed} dead events were queued again.`);
      await load(filter, false);
    } catch (e) {
      setError(e);
    }
  }
  const set = (k: keyof Filter) => (e: Event) =>
    setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <section>
      <h1>Deliveries</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ ...draft });
        }}
      >
        <label>
          State
          <select name="state" value={draft.State} onChange={set('State')}>
            <option value="">any</option>
            <option value="pending">pending (incl. retrying)</option>
            <option value="delivered">delivered</option>
            <option value="dead">dead</option>
          </select>
        </label>
        <label>
          Command
          <input
            name="command"
            placeholder="C2C.CallbackAfterMsgReport"
            value={draft.Command}
            onInput={set('Command')}
          />
        </label>
        <label>
          Account
          <input name="account" value={draft.Account} onInput={set('Account')} />
        </label>
        <label>
          From
          <input name="from" type="datetime-local" value={draft.From} onInput={set('From')} />
        </label>
        <label>
          To
          <input name="to" type="datetime-local" value={draft.To} onInput={set('To')} />
        </label>
        <div class="actions">
          <button type="submit">Apply</button>
          <button type="button" onClick={() => void load(filter, false)}>
            Refresh
          </button>
          <button type="button" class="danger" onClick={() => void askReplayAll()}>
            Replay all dead…
          </button>
        </div>
      </form>
      {confirm !== undefined && (
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-text" ref={confirmBox}>
          <p id="confirm-text">
            {confirm === 0
              ? 'No dead events match this filter (state is not part of it: replay always takes dead events).'
              : `Replay ${confirm} dead event${confirm === 1 ? '' : 's'} matching this filter? Receivers get them again with their original event ids.`}
          </p>
          {confirm > 0 && (
            <button type="button" class="danger" onClick={() => void replayAll()}>
              {`Replay ${confirm}`}
            </button>
          )}
          <button type="button" onClick={() => setConfirm(undefined)}>
            Cancel
          </button>
        </div>
      )}
      {done && (
        <p class="note ok" role="status">
          {done}
        </p>
      )}
      <ErrorNote error={error} />
      {rows.length === 0 ? (
        !loading &&
        !error && (
          <EmptyNote>
            No callback events match. Widen the filter, or check Callback settings: events are only made for enabled
            commands of an app with a callback URL.
          </EmptyNote>
        )
      ) : (
        <div class="scroll">
          <table class="events" aria-label="Callback events">
            <thead>
              <tr>
                <th>Created</th>
                <th>State</th>
                <th>Command</th>
                <th>Account</th>
                <th>Attempts</th>
                <th>Last error</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.EventId} data-event={e.EventId} data-state={shownState(e)}>
                  <td>
                    <a href={`#/deliveries/${encodeURIComponent(e.EventId)}`}>{fmtTime(e.CreatedAtMs)}</a>
                  </td>
                  <td>
                    <span class={`state state-${shownState(e)}`}>{shownState(e)}</span>
                  </td>
                  <td>{e.Command}</td>
                  <td>{e.Account}</td>
                  <td>{String(e.Attempts)}</td>
                  <td class="clip">{e.LastError || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loading && <p aria-live="polite">Loading…</p>}
      {!complete && !loading && (
        <button type="button" onClick={() => void load(filter, true)}>
          Load more
        </button>
      )}
    </section>
  );
}

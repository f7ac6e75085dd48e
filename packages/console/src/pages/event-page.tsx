import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.ts';
import type { Credentials } from '../credentials.ts';
import { shownState, type EventRow } from '../event-state.ts';
import { ErrorNote, fmtTime, text } from '../notes.tsx';

interface Attempt {
  Attempt: number;
  StartedAtMs: number;
  Status: number | null;
  LatencyMs: number | null;
  Outcome: string;
  ErrorCode?: number | null;
  ErrorInfo?: string | null;
  Error?: string | null;
  ResponseExcerpt?: string | null;
}

interface EventAnswer {
  Event: EventRow;
  Request: { Method: string; Url: string; Headers: Record<string, string> } | null;
  AttemptList: Attempt[];
}

/** One callback event: its body, the request headers (secrets masked), every attempt, and Replay. */
export function EventPage({ c, eventId }: { c: Credentials; eventId: string }) {
  const [ev, setEv] = useState<EventAnswer>();
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState<string>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ac = new AbortController();
    call<EventAnswer>(c, 'readwire_callback', 'get_event', { EventId: eventId }, ac.signal)
      .then((r) => {
        setEv(r);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!ac.signal.aborted) setError(e);
      });
    return () => ac.abort();
  }, [c, eventId, tick]);
  // Follow a pending event until it settles.
  const pending = ev?.Event.State === 'pending';
  useEffect(() => {
    if (!pending) return;
    const t = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [pending]);
  async function replay() {
    setNote(undefined);
    try {
      const r = await call<{ Replayed: number; PreviousState?: string }>(c, 'readwire_callback', 'replay', {
        EventId: eventId,
      });
      setNote(r.Replayed ? `Replayed (it was ${text(r.PreviousState)}).` : 'Nothing to replay: it is being sent now.');
      setTick((n) => n + 1);
    } catch (e) {
      setError(e);
    }
  }
  const e = ev?.Event;
  return (
    <section>
      <p>
        <a href="#/deliveries">← Deliveries</a>
      </p>
      <h1>
        Event <code>{eventId}</code>
      </h1>
      <ErrorNote error={error} />
      {e && (
        <>
          <dl class="facts">
            <dt>State</dt>
            <dd>
              <span class={`state state-${shownState(e)}`} data-testid="event-state">
                {shownState(e)}
              </span>
            </dd>
            <dt>Command</dt>
            <dd>{e.Command}</dd>
            <dt>Account</dt>
            <dd>{e.Account}</dd>
            <dt>Created</dt>
            <dd>{fmtTime(e.CreatedAtMs)}</dd>
            <dt>Delivered</dt>
            <dd>{fmtTime(e.DeliveredAtMs)}</dd>
            <dt>Next attempt</dt>
            <dd>{fmtTime(e.NextAttemptAtMs)}</dd>
            <dt>Last error</dt>
            <dd>{e.LastError || '—'}</dd>
          </dl>
          <div class="actions">
            <button type="button" onClick={() => void replay()}>
              Replay
            </button>
            {note && <span role="status">{note}</span>}
          </div>
          <h2>Body</h2>
          <pre class="code">{JSON.stringify(e.Body, null, 2)}</pre>
          {!ev.Request && <p class="note empty">Callbacks are off for this app, so there is no request to show.</p>}
          {ev.Request && (
            <>
              <h2>Request</h2>
              <pre class="code">{`${ev.Request.Method} ${ev.Request.Url}`}</pre>
              <table class="kv" aria-label="Request headers">
                <tbody>
                  {Object.entries(ev.Request.Headers).map(([k, v]) => (
                    <tr key={k}>
                      <th scope="row">{k}</th>
                      <td>{v}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h2>Attempts</h2>
          {ev.AttemptList.length === 0 ? (
            <p class="note empty">No attempt yet: the dispatcher sends it as soon as its endpoint has room.</p>
          ) : (
            <div class="scroll">
              <table class="attempts" aria-label="Attempts">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>Started</th>
                    <th>Outcome</th>
                    <th>HTTP</th>
                    <th>Latency</th>
                    <th>Response / error</th>
                  </tr>
                </thead>
                <tbody>
                  {ev.AttemptList.map((a) => (
                    <tr key={a.Attempt} data-outcome={a.Outcome}>
                      <td>{String(a.Attempt)}</td>
                      <td>{fmtTime(a.StartedAtMs)}</td>
                      <td>{a.Outcome}</td>
                      <td>{text(a.Status)}</td>
                      <td>{a.LatencyMs === null ? '—' : `${a.LatencyMs} ms`}</td>
                      <td class="excerpt">
                        {[a.ResponseExcerpt, a.Error, a.ErrorInfo ? `${text(a.ErrorCode)} ${a.ErrorInfo}` : '']
                          .filter((x) => x)
                          .join(' · ') || '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

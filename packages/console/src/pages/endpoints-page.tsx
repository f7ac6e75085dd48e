import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.ts';
import type { Credentials } from '../credentials.ts';
import { EmptyNote, ErrorNote, text } from '../notes.tsx';

interface Endpoint {
  Url: string;
  /** 1 for the app's current callback URL. */
  Current?: number;
  Breaker: 'closed' | 'open' | 'half-open';
  InFlight: number;
  WindowSeconds: number;
  Attempts: number;
  Delivered: number;
  Failed: number;
  SuccessRate: number | null;
  LatencyP50Ms: number | null;
  LatencyP99Ms: number | null;
  OldestPendingAgeMs: number | null;
}

function age(ms: number | null): string {
  if (ms === null) return 'none pending';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** Endpoints: breaker state, in flight, success rate and latency over the recent window, oldest pending age. */
export function EndpointsPage({ c }: { c: Credentials }) {
  const [eps, setEps] = useState<Endpoint[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let stop = false;
    const load = () =>
      call<{ Endpoints: Endpoint[] }>(c, 'readwire_callback', 'endpoint_stats')
        .then((r) => {
          if (stop) return;
          setEps(r.Endpoints);
          setError(undefined);
        })
        .catch((e: unknown) => !stop && setError(e));
    void load();
    const t = setInterval(() => void load(), 2000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [c]);
  return (
    <section>
      <h1>Endpoints</h1>
      <p>Refreshed every 2 seconds. An endpoint is the origin (scheme, host, port) of a callback URL.</p>
      <ErrorNote error={error} />
      {eps && eps.length === 0 && (
        <EmptyNote>
          No endpoint yet: set a callback URL under <a href="#/settings">Callback settings</a>.
        </EmptyNote>
      )}
      {eps && eps.length > 0 && (
        <div class="scroll">
          <table aria-label="Endpoints">
            <thead>
              <tr>
                <th>Endpoint</th>
                <th>Breaker</th>
                <th>In flight</th>
                <th>Success</th>
                <th>p50 / p99</th>
                <th>Oldest pending</th>
              </tr>
            </thead>
            <tbody>
              {eps.map((e) => (
                <tr key={e.Url}>
                  <td>
                    {e.Url}
                    {e.Current ? ' (current URL)' : ''}
                  </td>
                  <td>
                    <span class={`state breaker-${e.Breaker}`}>{e.Breaker}</span>
                  </td>
                  <td>{String(e.InFlight)}</td>
                  <td>
                    {e.SuccessRate === null
                      ? `no attempts in ${e.WindowSeconds} s`
                      : `${(e.SuccessRate * 100).toFixed(1)} % of ${e.Attempts} in ${e.WindowSeconds} s`}
                  </td>
                  <td>{`${text(e.LatencyP50Ms)} / ${text(e.LatencyP99Ms)} ms`}</td>
                  <td>{age(e.OldestPendingAgeMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

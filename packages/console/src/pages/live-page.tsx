import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api.ts';
import type { Credentials } from '../credentials.ts';
import { openLive, type LiveItem, type Tick } from '../live-stream.ts';
import { EmptyNote, ErrorNote } from '../notes.tsx';
import { ItemRow } from './live-item-row.tsx';
import { RateChart } from './rate-chart.tsx';

const WINDOW_S = 60;
const KPI_S = 10;
const MAX_ROWS = 200;

/** Live: per-second rates and latency from the server's ticks, and the latest sampled items. */
export function LivePage({ c }: { c: Credentials }) {
  const ticks = useRef<Tick[]>([]);
  const items = useRef<(LiveItem & { key: number })[]>([]);
  const seq = useRef(0);
  const [, setFrame] = useState(0);
  const [status, setStatus] = useState<'connecting' | 'live' | 'expired' | 'closed' | 'failed'>('connecting');
  const [error, setError] = useState<ApiError>();
  const [dropped, setDropped] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let close = () => {};
    // Re-render at most 5 times a second, however many items arrive.
    const schedule = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setFrame((f) => f + 1);
      }, 200);
    };
    const connect = () => {
      setStatus('connecting');
      close = openLive(c, {
        open: () => {
          setStatus('live');
          setError(undefined);
        },
        tick: (t) => {
          ticks.current = [...ticks.current, t].slice(-WINDOW_S);
          setDropped((d) => d + (t.Dropped || 0));
          schedule();
        },
        item: (i) => {
          items.current = [{ ...i, key: seq.current++ }, ...items.current].slice(0, MAX_ROWS);
          schedule();
        },
        end: (reason) => {
          if (reason === 'expired') setStatus('expired');
          else {
            const again = reason === 'closed' || reason.code === -1;
            setStatus(again ? 'closed' : 'failed');
            if (reason !== 'closed') setError(reason);
            if (again) retry = setTimeout(connect, 2000);
          }
        },
      });
    };
    connect();
    return () => {
      close();
      clearTimeout(timer);
      clearTimeout(retry);
    };
  }, [c]);
  const t = ticks.current;
  const xs = t.map((x) => Math.floor(x.T / 1000));
  const rates = [
    xs,
    t.map((x) => x.Reports),
    t.map((x) => x.Delivered),
    t.map((x) => x.Failed),
    t.map((x) => x.Retrying),
  ];
  const lat = [xs, t.map((x) => x.LatencyP50Ms), t.map((x) => x.LatencyP99Ms)];
  // Figures: mean per second over the last 10 ticks; latency: the newest second that had callbacks.
  const recent = t.slice(-KPI_S);
  const mean = (f: (x: Tick) => number) =>
    recent.length === 0 ? undefined : recent.reduce((a, x) => a + f(x), 0) / recent.length;
  const withLatency = [...t].reverse().find((x) => x.LatencyP50Ms !== null);
  return (
    <section>
      <h1>Live</h1>
      <p class="status" aria-live="polite" data-status={status}>
        {status === 'live' &&
          'Streaming: counts per second, aggregated by the server; the list shows a sample (at most 50 items a second).'}
        {status === 'connecting' && 'Connecting to the live stream…'}
        {status === 'expired' &&
          'The UserSig expired and the stream closed: log in again with a fresh link (readwire console-link).'}
        {status === 'closed' && 'The stream closed; reconnecting…'}
        {status === 'failed' && 'The live stream is not available.'}
        {dropped > 0 && ` ${dropped} items were not listed (sampled out) since this page opened.`}
      </p>
      <ErrorNote error={error} />
      <p class="hint">Rates: mean per second over the last 10 seconds. Latency: the latest second with callbacks.</p>
      <div class="kpis">
        <Kpi label="reports/s" value={mean((x) => x.Reports)} />
        <Kpi label="sends/s" value={mean((x) => x.Sends)} />
        <Kpi label="delivered/s" value={mean((x) => x.Delivered)} />
        <Kpi label="failed/s" value={mean((x) => x.Failed)} />
        <Kpi label="retrying/s" value={mean((x) => x.Retrying)} />
        <Kpi label="dead/s" value={mean((x) => x.Dead)} />
        <Kpi label="latency p50 ms" value={withLatency?.LatencyP50Ms} />
        <Kpi label="latency p99 ms" value={withLatency?.LatencyP99Ms} />
      </div>
      <div class="charts">
        <RateChart
          title="Per second: reports and callbacks"
          unit="per second"
          data={rates}
          windowSeconds={WINDOW_S}
          series={[
            { label: 'reports', color: '#2563eb' },
            { label: 'delivered', color: '#16a34a' },
            { label: 'failed', color: '#dc2626' },
            { label: 'retrying', color: '#d97706' },
          ]}
        />
        <RateChart
          title="Callback latency"
          unit="ms"
          data={lat}
          windowSeconds={WINDOW_S}
          series={[
            { label: 'p50', color: '#0891b2' },
            { label: 'p99', color: '#7c3aed' },
          ]}
        />
      </div>
      <h2>Latest</h2>
      {items.current.length === 0 ? (
        <EmptyNote>
          Nothing has happened since this page opened. Send a message or mark a conversation read (Users page, or the
          REST API) and it shows up here.
        </EmptyNote>
      ) : (
        <div class="scroll">
          <table class="items" aria-label="Latest items">
            <thead>
              <tr>
                <th>Time</th>
                <th>Kind</th>
                <th>Who</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {items.current.map((i) => (
                <ItemRow key={i.key} i={i} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Kpi({ label, value }: { label: string; value: number | null | undefined }) {
  return (
    <div class="kpi">
      <span class="kpi-value">
        {value === undefined || value === null ? '—' : value < 10 ? value.toFixed(1) : String(Math.round(value))}
      </span>
      <span class="kpi-label">{label}</span>
    </div>
  );
}

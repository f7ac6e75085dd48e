import { ApiError, authHeaders, commandUrl } from './api.ts';
import type { Credentials } from './credentials.ts';

/** One second of server-side aggregated counts. */
export interface Tick {
  T: number;
  Reports: number;
  Sends: number;
  Recalls: number;
  Delivered: number;
  Failed: number;
  Retrying: number;
  Dead: number;
  LatencyP50Ms: number | null;
  LatencyP99Ms: number | null;
  Dropped: number;
}

/** One sampled happening: a read report, a send, a recall or a callback outcome. */
export interface LiveItem {
  Kind: 'report' | 'send' | 'recall' | 'callback';
  T: number;
  [field: string]: unknown;
}

/** What the stream tells its listener. */
export interface LiveHandlers {
  tick(t: Tick): void;
  item(i: LiveItem): void;
  /** The stream ended: `expired` when the credentials expired, otherwise a reason to show. */
  end(reason: 'expired' | 'closed' | ApiError): void;
  open(): void;
}

/**
 * Opens `readwire_console/live` with fetch (the UserSig in a header, which EventSource cannot send) and parses its
 * server-sent events. Answers a function that closes it.
 */
export function openLive(c: Credentials, h: LiveHandlers): () => void {
  const ac = new AbortController();
  void run(c, h, ac.signal).catch((e: unknown) => {
    if (ac.signal.aborted) return;
    h.end(e instanceof ApiError ? e : new ApiError(-1, 'The live stream broke off; it reconnects shortly.'));
  });
  return () => ac.abort();
}

async function run(c: Credentials, h: LiveHandlers, signal: AbortSignal): Promise<void> {
  const res = await fetch(commandUrl(c, 'readwire_console', 'live'), {
    method: 'POST',
    headers: { ...authHeaders(c), Accept: 'text/event-stream' },
    body: '{}',
    signal,
    cache: 'no-store',
  });
  if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream') || !res.body) {
    const env = (await res.json().catch(() => ({}))) as { ErrorCode?: number; ErrorInfo?: string };
    throw new ApiError(env.ErrorCode ?? -1, env.ErrorInfo ?? `The live stream is not available (HTTP ${res.status}).`);
  }
  h.open();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let cut: number;
    while ((cut = buf.search(/\r?\n\r?\n/)) >= 0) {
      const frame = buf.slice(0, cut);
      buf = buf.slice(cut).replace(/^\r?\n\r?\n/, '');
      if (dispatch(frame, h) === 'expired') {
        h.end('expired');
        return;
      }
    }
  }
  h.end('closed');
}

function dispatch(frame: string, h: LiveHandlers): string | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of frame.split(/\r?\n/)) {
    if (line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (event === 'expired') return 'expired';
  if (data.length === 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.join('\n'));
  } catch {
    return undefined;
  }
  if (event === 'tick') h.tick(parsed as Tick);
  else if (event === 'item') h.item(parsed as LiveItem);
  return undefined;
}

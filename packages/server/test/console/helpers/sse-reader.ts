/** One Server-Sent Event as read. */
export interface SseFrame {
  event: string;
  data: any;
  at: number;
}

/** A live stream opened with fetch and read frame by frame (as the browser console reads it). */
export interface SseReader {
  status: number;
  contentType: string;
  frames: SseFrame[];
  /** Resolves when the stream ends (the server closed it), with the time it ended. */
  ended: Promise<number>;
  cancel(): Promise<void>;
}

/** Opens `POST /v4/readwire_console/live` with the UserSig in the Authorization header. */
export async function openLive(
  baseUrl: string,
  app: number,
  identifier: string,
  sig: string | undefined,
): Promise<SseReader | { envelope: any }> {
  const q = `sdkappid=${app}&identifier=${identifier}&random=1&contenttype=json`;
  const res = await fetch(`${baseUrl}/v4/readwire_console/live?${q}`, {
    method: 'POST',
    headers: sig === undefined ? {} : { authorization: `UserSig ${sig}` },
    body: '{}',
  });
  const contentType = res.headers.get('content-type') ?? '';
  if (!contentType.startsWith('text/event-stream')) return { envelope: await res.json() };
  const frames: SseFrame[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1];
          frames.push({ event, data: data === undefined ? undefined : JSON.parse(data), at: Date.now() });
        }
      }
    } catch {
      // cancelled
    }
    return Date.now();
  })();
  return { status: res.status, contentType, frames, ended, cancel: () => reader.cancel() };
}

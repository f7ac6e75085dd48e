/** Headers as Node (`IncomingMessage.headers`, lower-case keys) or the Fetch API (`Headers`) hold them. */
export type RequestHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** A callback request, framework-free: what an adapter hands to `receiver.handle`. */
export interface CallbackRequest {
  /** HTTP method. */
  method: string;
  /** Request target: path with query (`/cb?SdkAppid=…`) or an absolute URL. */
  url: string;
  headers: RequestHeaders;
  /** The body exactly as received. Needed for `signingSecrets`; omit only when a framework already parsed it. */
  rawBody?: string | Uint8Array;
  /** A body a framework already parsed into a value (e.g. `express.json()`), used when `rawBody` is absent. */
  parsedBody?: unknown;
  /** Set by adapters that stopped reading because the body exceeded `maxBodyBytes`. */
  bodyTooLarge?: boolean;
  /** Address of the TCP peer, when the adapter knows it (informational). */
  remoteAddress?: string;
}

/** What to answer: an adapter writes `status`, `headers` and `body` as they are. */
export interface CallbackResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON text: Tencent's `{ActionStatus, ErrorCode, ErrorInfo}` envelope, plus reply fields. */
  body: string;
  /**
   * With `ackFirst`, the handlers still running after this answer. Serverless adapters pass it to
   * `waitUntil`; it never rejects (failures go to the logger).
   */
  background?: Promise<void>;
}

/** Reads one header (case-insensitive) from either header shape; repeated headers yield the first value. */
export function getHeader(headers: RequestHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  let value = record[name];
  if (value === undefined) {
    for (const key in record) {
      if (key.toLowerCase() === name) {
        value = record[key];
        break;
      }
    }
  }
  return typeof value === 'string' ? value : value?.[0];
}

/** Query parameters of a request URL, looked up by exact name first and then case-insensitively. */
export class QueryParams {
  readonly #params: URLSearchParams;

  constructor(url: string) {
    const q = url.indexOf('?');
    this.#params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  }

  /** Value of a parameter, or `undefined`. */
  get(name: string): string | undefined {
    const exact = this.#params.get(name);
    if (exact !== null) return exact;
    const lower = name.toLowerCase();
    for (const [key, value] of this.#params) if (key.toLowerCase() === lower) return value;
    return undefined;
  }

  /** All parameters, as sent. */
  get all(): URLSearchParams {
    return this.#params;
  }
}

/** Headers as Node (`IncomingMessage.headers`, lower-case keys) or the Fetch API (`Headers`) hold them. */
export type RequestHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** A callback request, framework-free: what an adapter hands to `receiver.handle`. */
export interface CallbackRequest {
  /** HTTP method. */
  method: string;
  /** Request target: path with query (`/cb?SdkAppid=…`) or an absolute URL. */
  url: string;
  /** A `Headers` object, or a record with lower-case names (as Node's `req.headers`). */
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
  /** HTTP status (200, or the refusal's status; see the README's table). */
  status: number;
  /** Response headers, lower-case names (`content-type`, sometimes `content-length`, `allow`). */
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

function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // Malformed escapes: let URLSearchParams apply the exact WHATWG rules (rare path).
    return new URLSearchParams(`x=${text}`).get('x') ?? '';
  }
}

/**
 * Query parameters of a request URL (`application/x-www-form-urlencoded` rules, as `URLSearchParams`), looked up
 * by exact name first and then case-insensitively; the first occurrence of a repeated name wins. This runs
 * several lookups on every callback, so an exact name is found by scanning the raw query (no allocation), and the
 * query is only split and decoded when that fails.
 */
export class QueryParams {
  readonly #query: string;
  /** No `%` or `+` anywhere: names and values need no decoding, so the raw query can be scanned. */
  readonly #plain: boolean;
  #parsed: { names: string[]; values: string[] } | undefined;

  constructor(url: string) {
    const q = url.indexOf('?');
    const hash = q < 0 ? -1 : url.indexOf('#', q);
    this.#query = q < 0 ? '' : hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash);
    this.#plain = !this.#query.includes('%') && !this.#query.includes('+');
  }

  /** Value of a parameter, or `undefined`. */
  get(name: string): string | undefined {
    // An empty name is left to the full parse (an empty pair between two `&` is no parameter).
    if (this.#plain && name !== '') {
      const raw = this.#scan(name);
      if (raw !== undefined) return raw;
    }
    const { names, values } = this.#parse();
    let i = names.indexOf(name);
    if (i < 0) {
      const lower = name.toLowerCase();
      i = names.findIndex((n) => n.toLowerCase() === lower);
    }
    return i < 0 ? undefined : decodeComponent(values[i] as string);
  }

  /** All parameters in order, as sent (names may repeat). */
  *entries(): IterableIterator<[string, string]> {
    const { names, values } = this.#parse();
    for (let i = 0; i < names.length; i++) yield [names[i] as string, decodeComponent(values[i] as string)];
  }

  /**
   * Raw value of the first parameter named `name` — `name=value`, or a bare `name` (value `''`) — (only used on a
   * query without escapes).
   */
  #scan(name: string): string | undefined {
    const query = this.#query;
    for (let at = query.indexOf(name); at >= 0; at = query.indexOf(name, at + 1)) {
      if (at > 0 && query.charCodeAt(at - 1) !== 38 /* & */) continue;
      const end = at + name.length;
      if (end === query.length || query.charCodeAt(end) === 38 /* & */) return '';
      if (query.charCodeAt(end) === 61 /* = */) {
        const amp = query.indexOf('&', end);
        return query.slice(end + 1, amp < 0 ? undefined : amp);
      }
    }
    return undefined;
  }

  #parse(): { names: string[]; values: string[] } {
    if (this.#parsed) return this.#parsed;
    const names: string[] = [];
    const values: string[] = [];
    for (const pair of this.#query.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      names.push(decodeComponent(eq < 0 ? pair : pair.slice(0, eq)));
      values.push(eq < 0 ? '' : pair.slice(eq + 1));
    }
    this.#parsed = { names, values };
    return this.#parsed;
  }
}

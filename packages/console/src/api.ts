import type { Credentials } from './credentials.ts';

/** A Tencent envelope that did not answer OK, or a transport failure (ErrorCode -1). */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly info: string,
  ) {
    super(code === -1 ? info : `${info} (error ${code})`);
    this.name = 'ApiError';
  }
}

/** The REST address of a command; the UserSig is never part of it. */
export function commandUrl(c: Credentials, service: string, command: string): string {
  const q = new URLSearchParams({
    sdkappid: c.app,
    identifier: c.id,
    random: String(Math.floor(Math.random() * 4294967295)),
    contenttype: 'json',
  });
  return `/v4/${service}/${command}?${q.toString()}`;
}

/** Request headers carrying the credentials. */
export function authHeaders(c: Credentials): Record<string, string> {
  return { Authorization: `UserSig ${c.sig}`, 'Content-Type': 'application/json' };
}

/** Calls one REST command and answers its envelope, or throws {@link ApiError}. */
export async function call<T = Record<string, unknown>>(
  c: Credentials,
  service: string,
  command: string,
  body: Record<string, unknown> = {},
  signal?: AbortSignal,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(commandUrl(c, service, command), {
      method: 'POST',
      headers: authHeaders(c),
      body: JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError(-1, 'The server cannot be reached. Is `readwire serve` running?');
  }
  const text = await res.text();
  let env: { ActionStatus?: string; ErrorCode?: number; ErrorInfo?: string };
  try {
    env = JSON.parse(text) as typeof env;
  } catch {
    throw new ApiError(-1, `The server answered HTTP ${res.status} without a JSON envelope.`);
  }
  if (env.ActionStatus !== 'OK' || (env.ErrorCode ?? 0) !== 0) {
    throw new ApiError(env.ErrorCode ?? -1, env.ErrorInfo ?? `HTTP ${res.status}`);
  }
  return env as T;
}

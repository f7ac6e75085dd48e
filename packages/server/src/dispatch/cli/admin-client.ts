import { genUserSig } from '@readwire/sdk';
import { loadConfigFile } from '../../config/load-config-file.ts';

/** Where and as whom the CLI calls the REST API. */
export interface AdminTarget {
  /** Base URL of the running server, e.g. `http://127.0.0.1:5080`. */
  url: string;
  sdkAppId: number;
  secretKey: string;
  admin: string;
}

/** Default REST URL when neither `--url` nor `--config` names one. */
export const DEFAULT_URL = 'http://127.0.0.1:5080';

/**
 * Resolves the target from `--url`, and either `--config FILE` (the app `--sdkappid`, else the first one; the
 * server's host and port) or `--sdkappid N --key K`. `--admin` defaults to the app's admin (`administrator`).
 */
export function resolveTarget(o: {
  url?: string | undefined;
  config?: string | undefined;
  sdkappid?: string | undefined;
  key?: string | undefined;
  admin?: string | undefined;
}): AdminTarget {
  const wanted = o.sdkappid === undefined ? undefined : Number(o.sdkappid);
  if (wanted !== undefined && (!Number.isInteger(wanted) || wanted <= 0)) {
    throw new Error('--sdkappid must be a positive integer');
  }
  if (o.config !== undefined) {
    const config = loadConfigFile(o.config);
    const app = wanted === undefined ? config.apps[0] : config.apps.find((a) => a.sdkAppId === wanted);
    if (!app) throw new Error(`no app ${wanted} in ${o.config}`);
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const url = o.url ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
    return { url, sdkAppId: app.sdkAppId, secretKey: o.key ?? app.secretKey, admin: o.admin ?? app.admin };
  }
  if (wanted === undefined || o.key === undefined) {
    throw new Error('give --config FILE, or --sdkappid N and --key K (the app secret key)');
  }
  return { url: o.url ?? DEFAULT_URL, sdkAppId: wanted, secretKey: o.key, admin: o.admin ?? 'administrator' };
}

/**
 * POSTs `{service}/{command}` (default service `readwire_callback`) as the admin; returns the envelope, or throws
 * with its ErrorInfo. Gives up after `timeoutMs` (default 30 s).
 */
export async function callAdmin(
  target: AdminTarget,
  command: string,
  body: Record<string, unknown>,
  options: { service?: string; timeoutMs?: number } = {},
): Promise<Record<string, unknown>> {
  const sig = await genUserSig({ sdkAppId: target.sdkAppId, secretKey: target.secretKey, userId: target.admin });
  const query = new URLSearchParams({
    sdkappid: String(target.sdkAppId),
    identifier: target.admin,
    usersig: sig,
    random: String(Math.floor(Math.random() * 4294967295)),
    contenttype: 'json',
  });
  const url = `${target.url.replace(/\/$/, '')}/v4/${options.service ?? 'readwire_callback'}/${command}?${query}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new Error(`cannot reach ${target.url}: ${(error as Error).message}`, { cause: error });
  }
  const text = await res.text();
  let envelope: Record<string, unknown>;
  try {
    envelope = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${target.url} answered HTTP ${res.status} with a body that is not JSON`);
  }
  if (envelope.ErrorCode !== 0) {
    throw new Error(`${command} failed: ErrorCode ${String(envelope.ErrorCode)}: ${String(envelope.ErrorInfo)}`);
  }
  return envelope;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`/`--until`: a duration ago (`90s`, `10m`, `2h`, `7d`), an ISO date, or Unix milliseconds. */
export function parseTime(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const ago = /^(\d+)([smhd])$/.exec(value);
  if (ago) return now - Number(ago[1]) * UNIT_MS[ago[2]!]!;
  if (/^\d{12,}$/.test(value)) return Number(value);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`${value} is not a time (use 10m, 2h, 7d, an ISO date or Unix ms)`);
  return t;
}

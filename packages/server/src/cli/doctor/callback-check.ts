import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { request } from 'undici';
import type { AppConfig } from '../../config/config-schema.ts';
import { createCallbackAgent } from '../../dispatch/callback-agent.ts';
import { buildCallbackRequest } from '../../dispatch/callback-request.ts';
import { callbackUrlProblem, isPrivateAddress } from '../../dispatch/ssrf-guard.ts';
import type { CheckResult, DoctorContext } from './doctor-check.ts';

/** The command of the probe: no receiver has a handler for it, and `@readwire/sdk` answers such commands 200 OK. */
export const PROBE_COMMAND = 'Readwire.Probe';

const PRIVATE_FIX = 'use a public address, or set "allowPrivateCallbackUrls": true (development only)';

/** Resolves the URL's host as the dispatcher would connect to it; a problem is returned as a finding. */
async function resolveHost(url: URL, allowPrivate: boolean, who: string): Promise<CheckResult | undefined> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return undefined;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true });
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).message;
    return {
      check: 'callback',
      status: 'fail',
      message: `${who}: cannot resolve ${host} (${code})`,
      fix: "check the host name of callback.url and this machine's DNS",
    };
  }
  const bad = addresses.find((a) => isPrivateAddress(a.address));
  if (bad && !allowPrivate) {
    return {
      check: 'callback',
      status: 'fail',
      message: `${who}: ${host} resolves to the private address ${bad.address}; callbacks to it are refused`,
      fix: PRIVATE_FIX,
    };
  }
  return undefined;
}

/** Sends the probe exactly as a callback is sent (signed, through the SSRF-guarded agent) and describes the answer. */
async function probe(app: AppConfig, allowPrivate: boolean, ctx: DoctorContext, who: string): Promise<CheckResult> {
  const callback = app.callback!;
  const eventId = `probe-${randomUUID()}`;
  const body = JSON.stringify({ CallbackCommand: PROBE_COMMAND, EventTime: Date.now() });
  const event = { eventId, command: PROBE_COMMAND, body, clientIp: '127.0.0.1', optPlatform: 'RESTAPI', attempt: 1 };
  const req = await buildCallbackRequest(callback, app.sdkAppId, event, Date.now());
  const agent = createCallbackAgent({ allowPrivate, connections: 1, pipelining: 1, maxResponseBytes: 64 * 1024 });
  const started = performance.now();
  try {
    const res = await request(req.url, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
      dispatcher: agent,
      signal: AbortSignal.timeout(callback.timeoutMs),
    });
    const text = await res.body.text();
    const ms = Math.round(performance.now() - started);
    const date = Date.parse(String(res.headers.date ?? ''));
    if (!Number.isNaN(date)) ctx.remoteClocks.push({ origin: req.origin, remoteMs: date, localMs: Date.now() });
    const excerpt = text.length > 120 ? `${text.slice(0, 120)}…` : text;
    const said = `POST ${callback.url} answered HTTP ${res.statusCode} in ${ms} ms: ${excerpt.trim() || '(empty body)'}`;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const isObject = json !== null && typeof json === 'object' && !Array.isArray(json);
    if (res.statusCode === 200 && isObject) return { check: 'callback', status: 'ok', message: `${who}: ${said}` };
    if (res.statusCode === 401 || res.statusCode === 403) {
      return {
        check: 'callback',
        status: 'fail',
        message: `${who}: ${said}`,
        fix: "the receiver refused the signature: make callback.token (and signingSecret) match the receiver's, and its SDKAppID this app",
      };
    }
    if (res.statusCode === 404 || res.statusCode === 405) {
      return {
        check: 'callback',
        status: 'fail',
        message: `${who}: ${said}`,
        fix: 'check the path of callback.url: the receiver does not serve it',
      };
    }
    return {
      check: 'callback',
      status: 'warn',
      message: `${who}: ${said}`,
      fix: `a callback counts as delivered only on HTTP 200 with a JSON object body; a receiver should answer commands it does not handle (such as this ${PROBE_COMMAND}) with 200 {"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}, as @readwire/sdk does`,
    };
  } catch (error) {
    const e = error as Error & { code?: string; cause?: Error & { code?: string } };
    const cause = e.cause ?? e;
    const reason =
      e.name === 'TimeoutError'
        ? `no answer within ${callback.timeoutMs} ms (callback.timeoutMs)`
        : `${cause.code ? `${cause.code}: ` : ''}${cause.message}`;
    return {
      check: 'callback',
      status: 'fail',
      message: `${who}: POST ${callback.url} failed: ${reason}`,
      fix: 'start the receiver, or fix callback.url (scheme, host, port)',
    };
  } finally {
    await agent.close();
  }
}

/**
 * Each app's callback URL: allowed by the SSRF rule (literal address and DNS, as the dispatcher checks them), and
 * answering a signed probe (`Readwire.Probe`, harmless: no receiver acts on it) with HTTP 200 and a JSON body.
 */
export async function callbackCheck(ctx: DoctorContext): Promise<CheckResult[]> {
  const allowPrivate = ctx.config.allowPrivateCallbackUrls;
  const apps = ctx.config.apps.filter((a) => a.callback !== undefined);
  if (apps.length === 0) return [{ check: 'callback', status: 'skip', message: 'no app has a callback URL' }];
  const results: CheckResult[] = [];
  for (const app of apps) {
    const who = `app ${app.sdkAppId}`;
    const url = app.callback!.url;
    const problem = callbackUrlProblem(url, allowPrivate);
    if (problem !== undefined) {
      results.push({ check: 'callback', status: 'fail', message: `${who}: ${url}: ${problem}`, fix: PRIVATE_FIX });
      continue;
    }
    const dns = await resolveHost(new URL(url), allowPrivate, who);
    if (dns) results.push(dns);
    else if (!ctx.probe)
      results.push({ check: 'callback', status: 'ok', message: `${who}: ${url} is allowed (probe skipped)` });
    else results.push(await probe(app, allowPrivate, ctx, who));
  }
  return results;
}

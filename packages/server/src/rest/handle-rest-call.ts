import type { RateLimiter } from '../auth/rate-limiter.ts';
import type { UserSigVerifier } from '../auth/usersig-cache.ts';
import type { Services } from '../core/services.ts';
import { ImError } from '../errors/im-error.ts';
import { authenticate, type RestQuery } from './authenticate.ts';
import type { CommandTable } from './command-table.ts';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './exceeds-json-depth.ts';
import { errorEnvelope, okEnvelope, type Envelope } from './envelope.ts';

/** A REST call as the transport sees it. */
export interface RestCall {
  service: string;
  command: string;
  query: RestQuery;
  rawBody: string;
  clientIp: string;
}

/** What handling needs; built once per server. */
export interface RestDeps {
  services: Services;
  table: CommandTable;
  verifier: UserSigVerifier;
  limiter: RateLimiter;
}

/**
 * Handles one REST call, transport-free: command lookup (60009), authentication, per-app-per-command rate limit
 * (60007), JSON parse (90001/60003, also for nesting deeper than `MAX_JSON_DEPTH`), then the command. Always returns an envelope; never throws.
 */
export async function handleRestCall(
  deps: RestDeps,
  call: RestCall,
): Promise<{ label: string; envelope: Envelope; error?: unknown }> {
  const label = `${call.service}/${call.command}`;
  const def = deps.table.get(label);
  if (!def)
    return { label: 'unknown', envelope: errorEnvelope(new ImError('UNKNOWN_COMMAND', `unknown command ${label}`)) };
  try {
    const { app, identifier } = await authenticate(call.query, deps.services.apps, deps.verifier);
    if (!deps.limiter.take(`${app.sdkAppId}/${label}`, app.restRateLimit)) {
      throw new ImError('RATE_LIMITED', `more than ${app.restRateLimit} calls/s to ${label}`);
    }
    if (exceedsJsonDepth(call.rawBody)) {
      throw new ImError(def.jsonError, `request body nests deeper than ${MAX_JSON_DEPTH} levels`);
    }
    let body: unknown;
    try {
      body = JSON.parse(call.rawBody);
    } catch {
      throw new ImError(def.jsonError, 'request body is not valid JSON (send {} when there are no fields)');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new ImError(def.jsonError, 'request body must be a JSON object');
    }
    const fields = await def.handle({
      services: deps.services,
      app,
      identifier,
      origin: { clientIp: call.clientIp, optPlatform: 'RESTAPI' },
      body,
    });
    return { label, envelope: okEnvelope(fields) };
  } catch (error) {
    return { label, envelope: errorEnvelope(error), error };
  }
}

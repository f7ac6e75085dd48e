import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCatalog } from '../errors/error-catalog.ts';
import { ImError } from '../errors/im-error.ts';
import { clientAddress } from '../http/client-address.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { errorEnvelope, type Envelope } from './envelope.ts';
import { handleRestCall, type RestCall, type RestDeps } from './handle-rest-call.ts';
import { parseQuery } from './parse-query.ts';
import { withHeaderUserSig } from './header-usersig.ts';

/** Where a failed call's unexpected error is logged (Fastify's logger in the server). */
export interface ErrorLog {
  error(details: { err: unknown }, message: string): void;
}

/** What the REST edge needs besides the command table and services. */
export interface V4HandlerOptions {
  deps: RestDeps;
  metrics: Metrics;
  log: ErrorLog;
  /** Largest request body in bytes; a larger one is answered with 93000 (REQUEST_TOO_LARGE). */
  bodyLimit: number;
  /** Whether a peer address is one of the configured reverse proxies (`trustedProxies`). */
  isTrustedProxy: (address: string) => boolean;
  /** Called when a UserSig was signed with another key (70009), with the call's `sdkappid` (see `wrongKeyHint`). */
  onWrongKey?: ((sdkAppId: string) => void) | undefined;
}

const JSON_HEADER = 'application/json; charset=utf-8';
const WRONG_KEY = ErrorCatalog.USERSIG_BAD_SIGNATURE.code;

/**
 * Runs one REST call, transport-free, and records it: the request metric by command and ErrorCode, its latency, and a
 * log line for an error that is not an `ImError` (a bug or a storage failure, answered as 91000).
 */
export async function answerRestCall(o: V4HandlerOptions, call: RestCall): Promise<Envelope> {
  const started = performance.now();
  const r = await handleRestCall(o.deps, call);
  if (r.error !== undefined && !(r.error instanceof ImError)) o.log.error({ err: r.error }, 'REST command failed');
  if (r.envelope.ErrorCode === WRONG_KEY) o.onWrongKey?.(String(call.query.sdkappid));
  o.metrics.recordRest(r.label, r.envelope.ErrorCode, (performance.now() - started) / 1000);
  return r.envelope;
}

/** Writes `envelope` as the HTTP 200 JSON answer (Tencent answers application errors with HTTP 200 too). */
function writeEnvelope(res: ServerResponse, envelope: Envelope): void {
  const payload = JSON.stringify(envelope);
  res.writeHead(200, { 'content-type': JSON_HEADER, 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/**
 * The REST API's own node:http edge: answers `POST /v4/{service}/{command}` straight from the server's request event,
 * without a web framework's routing, hooks and reply pipeline (on the hot path those cost about as much CPU as the
 * bare HTTP work; see the README's Numbers). It reads the body (refusing one over `bodyLimit` with 93000), takes
 * `ClientIP` from the socket or, behind a trusted proxy, from `X-Forwarded-For`, and answers the Tencent envelope.
 *
 * The UserSig may come in an `Authorization: UserSig <usersig>` header instead of the query (`withHeaderUserSig`).
 *
 * Returns false, without touching the request, for anything else — other methods and paths, unknown commands, and
 * segments that need percent-decoding — which the caller hands to Fastify (health, metrics, and the same REST answers for odd paths).
 */
export function createV4Handler(o: V4HandlerOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const url = req.url ?? '';
    if (req.method !== 'POST' || !url.startsWith('/v4/')) return false;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const slash = path.indexOf('/', 4);
    if (slash < 0 || path.includes('%') || path.indexOf('/', slash + 1) >= 0) return false;
    const service = path.slice(4, slash);
    const command = path.slice(slash + 1);
    if (service === '' || command === '') return false;
    // Commands that are not answered with an envelope (the console's live stream) are Fastify routes.
    if (!o.deps.table.has(`${service}/${command}`)) return false;
    const query = withHeaderUserSig(parseQuery(q < 0 ? '' : url.slice(q + 1)), req.headers.authorization);
    const clientIp = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], o.isTrustedProxy);
    const tooLarge = () =>
      writeEnvelope(res, errorEnvelope(new ImError('REQUEST_TOO_LARGE', `request body exceeds ${o.bodyLimit} bytes`)));
    if (Number(req.headers['content-length'] ?? 0) > o.bodyLimit) {
      // Node discards the unread body once the answer is sent, keeping the connection usable.
      tooLarge();
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= o.bodyLimit) chunks.push(chunk);
      else {
        req.off('data', onData);
        req.off('end', onEnd);
        req.resume();
        tooLarge();
      }
    };
    const onEnd = () => {
      const rawBody = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      void answerRestCall(o, { service, command, query, rawBody, clientIp })
        // answerRestCall does not throw; should recording the call fail, the caller still gets an answer (91000).
        .catch((error: unknown) => errorEnvelope(error))
        .then((envelope) => {
          if (!res.destroyed) writeEnvelope(res, envelope);
        });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    // A request whose connection breaks before its body ends is never run; Node reports the break here.
    req.on('error', () => {});
    return true;
  };
}

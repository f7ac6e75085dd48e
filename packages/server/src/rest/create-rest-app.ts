import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Config } from '../config/config-schema.ts';
import { ImError } from '../errors/im-error.ts';
import { bearerCheck } from '../http/bearer-check.ts';
import { clientAddress } from '../http/client-address.ts';
import { createProxyMatcher } from '../http/trusted-proxies.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { StoreHealth } from '../store/store-health.ts';
import { errorEnvelope } from './envelope.ts';
import { wrongKeyHint } from './wrong-key-hint.ts';
import type { RestDeps } from './handle-rest-call.ts';
import { withHeaderUserSig } from './header-usersig.ts';
import { answerRestCall, createV4Handler, type ErrorLog } from './v4-http-handler.ts';

/** Where the server's JSON log lines go instead of stdout (one line per `write`). */
export interface LogStream {
  write(line: string): void;
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The HTTP edge: `POST /v4/{service}/{command}` (Tencent envelope, always HTTP 200), `GET /healthz`, `GET /metrics`
 * (behind `metrics.token` when set).
 * REST calls are answered by the node:http handler `createV4Handler` before Fastify sees them; Fastify serves the
 * rest (health, metrics, errors for other paths, and REST calls while closing, when it answers 503). All REST logic
 * is in `handleRestCall`.
 */
export function createRestApp(
  config: Config,
  deps: RestDeps,
  metrics: Metrics,
  isReady: () => boolean,
  storeHealth: () => StoreHealth = () => ({ ok: true }),
  logStream?: LogStream,
): FastifyInstance {
  const isTrustedProxy = createProxyMatcher(config.trustedProxies);
  const log: ErrorLog = { error: (details, message) => app.log.error(details, message) };
  const onWrongKey = wrongKeyHint(config, (message) => app.log.warn(message));
  const restOptions = { deps, metrics, log, bodyLimit: config.bodyLimitBytes, isTrustedProxy, onWrongKey };
  const v4 = createV4Handler(restOptions);
  let closing = false;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.query.usersig', 'req.headers.authorization'],
      ...(logStream ? { stream: logStream } : {}),
    },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Fastify's own server settings, on a server whose request event offers each request to the REST edge first.
    serverFactory: (fastify: RequestHandler, o: Record<string, unknown>) => {
      const server = createServer((req, res) => {
        if (closing || !v4(req, res)) fastify(req, res);
      });
      server.keepAliveTimeout = Number(o.keepAliveTimeout);
      server.requestTimeout = Number(o.requestTimeout);
      return server;
    },
  });
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  // REST calls the edge above leaves to Fastify: paths with percent-escapes.
  app.post<{ Params: { service: string; command: string } }>('/v4/:service/:command', async (req, reply) =>
    reply.send(
      await answerRestCall(restOptions, {
        service: req.params.service,
        command: req.params.command,
        query: withHeaderUserSig({ ...(req.query as Record<string, string>) }, req.headers.authorization),
        rawBody: typeof req.body === 'string' ? req.body : '',
        clientIp: clientAddress(req.raw.socket.remoteAddress, req.headers['x-forwarded-for'], isTrustedProxy),
      }),
    ),
  );

  app.get('/healthz', (_req, reply) => {
    if (!isReady()) return reply.code(503).send({ status: 'starting or stopping' });
    const health = storeHealth();
    return health.ok
      ? reply.send({ status: 'ok' })
      : reply.code(503).send({ status: 'failing', reason: health.reason });
  });
  const metricsAuthorized = bearerCheck(config.metrics.token);
  app.get('/metrics', async (req, reply) => {
    if (!metricsAuthorized(req.headers.authorization)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send({ error: 'unauthorized' });
    }
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/v4/')) {
      const error = req.method === 'POST' ? new ImError('UNKNOWN_COMMAND') : new ImError('HTTP_PARSE', 'POST only');
      return reply.code(200).send(errorEnvelope(error));
    }
    return reply.code(404).send({ error: 'not found' });
  });

  app.setErrorHandler((error: { code?: string; statusCode?: number }, req, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .code(200)
        .send(errorEnvelope(new ImError('REQUEST_TOO_LARGE', `request body exceeds ${config.bodyLimitBytes} bytes`)));
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return reply.code(200).send(errorEnvelope(new ImError('HTTP_PARSE', String((error as Error).message))));
    }
    req.log.error({ err: error }, 'request failed');
    return reply.code(200).send(errorEnvelope(error));
  });
  return app;
}

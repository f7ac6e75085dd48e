import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Config } from '../config/config-schema.ts';
import { ImError } from '../errors/im-error.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { errorEnvelope } from './envelope.ts';
import { handleRestCall, type RestDeps } from './handle-rest-call.ts';

/**
 * The HTTP edge: `POST /v4/{service}/{command}` (Tencent envelope, always HTTP 200), `GET /healthz`, `GET /metrics`.
 * Fastify only parses the raw body and writes the answer; all REST logic is in `handleRestCall`.
 */
export function createRestApp(
  config: Config,
  deps: RestDeps,
  metrics: Metrics,
  isReady: () => boolean,
): FastifyInstance {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.query.usersig', 'req.headers.authorization'],
    },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post<{ Params: { service: string; command: string } }>('/v4/:service/:command', async (req, reply) => {
    const started = performance.now();
    const r = await handleRestCall(deps, {
      service: req.params.service,
      command: req.params.command,
      query: req.query as Record<string, string>,
      rawBody: typeof req.body === 'string' ? req.body : '',
      clientIp: req.ip,
    });
    if (r.error !== undefined && !(r.error instanceof ImError)) req.log.error({ err: r.error }, 'REST command failed');
    metrics.recordRest(r.label, r.envelope.ErrorCode, (performance.now() - started) / 1000);
    return reply.send(r.envelope);
  });

  app.get('/healthz', (_req, reply) =>
    isReady() ? reply.send({ status: 'ok' }) : reply.code(503).send({ status: 'starting or stopping' }),
  );
  app.get('/metrics', async (_req, reply) =>
    reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

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

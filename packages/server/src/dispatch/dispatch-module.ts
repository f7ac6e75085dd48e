import type { Agent } from 'undici';
import { allowAll } from '../core/before-send-hook.ts';
import { admitAll } from '../core/write-admission.ts';
import type { Services } from '../core/services.ts';
import type { ClusterBus } from '../cluster/cluster-bus.ts';
import type { CommandDef } from '../rest/command.ts';
import type { ModuleContext, ServerModule } from '../server-module.ts';
import type { ServerStore } from '../store/server-store.ts';
import { createBeforeSendHook } from './before-send-callback.ts';
import { createCallbackAgent } from './callback-agent.ts';
import { CallbackDispatcher } from './callback-dispatcher.ts';
import type { CallbackAdminContext } from './commands/admin-context.ts';
import { getConfigCommand } from './commands/get-config-command.ts';
import { listAttemptsCommand } from './commands/list-attempts-command.ts';
import { listEventsCommand } from './commands/list-events-command.ts';
import { replayCommand } from './commands/replay-command.ts';
import { setConfigCommand } from './commands/set-config-command.ts';
import { DeliveredPruner } from './delivered-pruner.ts';
import { loadSavedConfigs, reloadConfigs } from './saved-configs.ts';
import { DispatchMetrics } from './dispatch-metrics.ts';
import { callbackUrlProblem } from './ssrf-guard.ts';
import { AttemptObserver } from './attempt-observer.ts';
import { buildCallbackRequest } from './callback-request.ts';
import { sendCallback } from './callback-sender.ts';
import { endpointStatsCommand } from './commands/endpoint-stats-command.ts';
import { getEventCommand } from './commands/get-event-command.ts';
import { testCallbackCommand } from './commands/test-callback-command.ts';
import { ImError } from '../errors/im-error.ts';
import { refusePrivateFileUrls } from './refuse-private-file-urls.ts';

/** How often the admission's backlog estimate is set to the store's pending count while there is a backlog. */
const ADMISSION_RESYNC_MS = 2000;

/** Connections per endpoint for the synchronous before-send callback (kept apart from the delivery pool). */
const BEFORE_SEND_CONNECTIONS = 64;

/**
 * The callback dispatcher as a server module: the `readwire_callback/*` admin commands, the delivery loop woken by
 * the store's commits, the synchronous before-send hook, pruning and metrics. Stopping lets in-flight attempts
 * finish (or releases them) before the store closes.
 */
export function dispatchModule(): ServerModule {
  let dispatcher: CallbackDispatcher | undefined;
  let pruner: DeliveredPruner | undefined;
  let agents: Agent[] = [];
  let services: Services | undefined;
  let resync: NodeJS.Timeout | undefined;
  const sources = new Map<number, 'file' | 'set_config'>();
  const seen = new Map<number, string>();
  let observer: AttemptObserver | undefined;
  const admin = (ctx: {
    store: ServerStore;
    services: Services;
    config: ModuleContext['config'];
    cluster: ClusterBus;
  }): CallbackAdminContext => ({
    outbox: ctx.store.outbox,
    apps: ctx.services.apps,
    allowPrivateCallbackUrls: ctx.config.allowPrivateCallbackUrls,
    sources,
    wake: () => {
      dispatcher?.wake();
      ctx.cluster.publish('events');
    },
    configSaved: () => ctx.cluster.publish('config'),
    observer: (observer ??= new AttemptObserver(ctx.services.events)),
    endpointOf: (url) => dispatcher?.endpointFor(url),
    async sendNow(config, sdkAppId, event) {
      const agent = agents[0];
      if (!agent) throw new ImError('INTERNAL', 'the callback dispatcher is not running');
      const built = buildCallbackRequest(config, sdkAppId, event, Date.now());
      const req = built instanceof Promise ? await built : built;
      const result = await sendCallback(agent, req, config.timeoutMs).result;
      return { ...result, url: req.url };
    },
  });

  return {
    name: 'dispatch',
    commands(ctx): CommandDef[] {
      const a = admin(ctx);
      return [
        getConfigCommand(a),
        setConfigCommand(a),
        listEventsCommand(a),
        listAttemptsCommand(a),
        replayCommand(a),
        getEventCommand(a),
        endpointStatsCommand(a),
        testCallbackCommand(a),
      ];
    },
    async start(ctx) {
      const o = ctx.store.outbox;
      const options = ctx.config.dispatcher;
      const allowPrivate = ctx.config.allowPrivateCallbackUrls;
      refusePrivateFileUrls(ctx.config);
      await loadSavedConfigs(o, ctx.services, sources, ctx.log, seen);
      for (const app of ctx.services.apps.all()) {
        const problem = app.callback && callbackUrlProblem(app.callback.url, allowPrivate);
        if (problem) ctx.log.error({ app: app.sdkAppId }, `callback URL refused, attempts will fail: ${problem}`);
      }
      const agent = createCallbackAgent({
        allowPrivate,
        connections: options.concurrencyPerEndpoint,
        pipelining: options.pipelining,
        maxResponseBytes: options.maxResponseBytes,
      });
      const syncAgent = createCallbackAgent({
        allowPrivate,
        connections: BEFORE_SEND_CONNECTIONS,
        pipelining: 1,
        maxResponseBytes: options.maxResponseBytes,
      });
      agents = [agent, syncAgent];
      const metrics = new DispatchMetrics(ctx.metrics.registry, {
        stats: () => o.stats(),
        endpoints: () =>
          (dispatcher?.allEndpoints() ?? []).map((e) => ({
            origin: e.origin,
            active: e.active,
            open: e.breaker.state !== 'closed',
          })),
        admission: () => ({
          writes: dispatcher?.admission.waited.writes ?? 0,
          ms: dispatcher?.admission.waited.ms ?? 0,
          waiting: dispatcher?.admission.waiting ?? 0,
        }),
      });
      observer ??= new AttemptObserver(ctx.services.events);
      const d = new CallbackDispatcher({
        outbox: o,
        apps: ctx.services.apps,
        options,
        agent,
        metrics,
        log: ctx.log,
        onAttempt: observer.observe,
      });
      dispatcher = d;
      services = ctx.services;
      ctx.store.onCommit((max) => d.onCommit(max));
      ctx.cluster.on('events', () => d.claimSoon());
      ctx.cluster.onNodeGone(() => d.recoverLeases());
      ctx.cluster.on(
        'config',
        reloadConfigs(ctx, seen, sources, () => d.wake()),
      );
      if (options.claimOnInsert) ctx.store.claimOnInsert(d.insertClaims);
      ctx.services.beforeSend = createBeforeSendHook({
        agent: syncAgent,
        endpointFor: (url) => d.endpointFor(url),
        metrics,
        log: ctx.log,
      });
      ctx.services.admission = d.admission.admit;
      const resyncAdmission = async () => {
        const stats = await o.stats();
        d.admission.resync(new Map(stats.map((st) => [st.appId, st.pending])));
      };
      await resyncAdmission();
      resync = setInterval(() => {
        if (d.admission.busy)
          resyncAdmission().catch((err: unknown) => ctx.log.warn({ err }, 'admission resync failed'));
      }, ADMISSION_RESYNC_MS);
      resync.unref();
      await d.start();
      pruner = new DeliveredPruner(
        o,
        { retentionDays: options.retentionDays, intervalMs: options.pruneIntervalMs },
        ctx.log,
      );
      pruner.start();
    },
    async stop() {
      if (resync) clearInterval(resync);
      if (services) {
        services.beforeSend = allowAll;
        services.admission = admitAll;
      }
      await pruner?.stop();
      await dispatcher?.stop();
      await Promise.all(agents.map((a) => a.destroy()));
    },
  };
}

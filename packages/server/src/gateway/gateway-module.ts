import { UserSigVerifier } from '../auth/usersig-cache.ts';
import type { CoreEventMap } from '../core/core-events.ts';
import type { ServerModule } from '../server-module.ts';
import type { SharedPresence } from '../store/shared-presence.ts';
import { GatewayMetrics } from './gateway-metrics.ts';
import { onlineMessageFrame } from './push-frames.ts';
import { SyncHub } from './sync-hub.ts';
import { WsGateway } from './ws-gateway.ts';

/** How often old sync-log entries are pruned. */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * The client gateway as a server module: a WebSocket endpoint (`config.gateway.path`, default `/v1/client`) on the
 * server's port where end users log in with a UserSig, send, mark read, list conversations and messages, and receive
 * pushes — including those caused through the REST API — resuming from a cursor after reconnecting.
 * See `packages/server/docs/client-protocol.md`.
 */
export function gatewayModule(): ServerModule {
  let gateway: WsGateway | undefined;
  let hub: SyncHub | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let presence: SharedPresence | undefined;
  return {
    name: 'gateway',
    async start(ctx) {
      const config = ctx.config.gateway;
      const onError = (error: unknown) => {
        // After stop, the store may close under a prune or a replay in progress: nothing to report.
        if (!stopped) ctx.log.error({ err: error }, 'client gateway error');
      };
      const syncHub = new SyncHub(ctx.store, {
        maxReplayEvents: config.maxReplayEvents,
        maxBufferedBytes: config.maxBufferedBytes,
        onError,
      });
      hub = syncHub;
      await syncHub.start();
      ctx.store.onCommit(() => syncHub.notify());
      ctx.cluster.on('sync', () => syncHub.notify());
      const shared = ctx.store.sharedPresence?.(ctx.cluster.nodeId, (error) => {
        if (!stopped) ctx.log.warn({ err: error }, 'shared presence write failed (rewritten at the next heartbeat)');
      });
      if (shared) {
        await shared.start();
        presence = shared;
        syncHub.watch(shared);
        ctx.services.presence = { devices: (appId, userIds) => shared.devices(appId, userIds) };
      } else {
        ctx.services.presence = {
          devices: (appId, userIds) =>
            Promise.resolve(
              new Map(userIds.map((u) => [u, syncHub.devices(appId, u)] as const).filter(([, d]) => d.length > 0)),
            ),
        };
      }
      ctx.services.events.on('message', (e: CoreEventMap['message'][0]) => {
        if (!e.onlineOnly) return;
        for (const r of e.results) {
          const m = r.message;
          syncHub.pushToUser(e.appId, m.to, (viewer) => onlineMessageFrame(m, viewer));
          if (m.from !== m.to && e.syncOtherMachine !== 2) {
            syncHub.pushToUser(e.appId, m.from, (viewer) => onlineMessageFrame(m, viewer));
          }
        }
      });
      const metrics = new GatewayMetrics(ctx.metrics.registry);
      const deps = { services: ctx.services, verifier: new UserSigVerifier(), hub: syncHub, config, metrics, onError };
      const ws = new WsGateway(deps, ctx.config.trustedProxies);
      gateway = ws;
      ws.attach(ctx.http.server);
      // Open WebSockets would keep the HTTP server from closing: close them first.
      ctx.http.addHook('preClose', async () => {
        await ws.close();
      });
      const prune = () => {
        const cutoff = Date.now() - config.syncRetentionHours * 3600_000;
        ctx.store.pruneSyncEvents(cutoff).catch(onError);
      };
      prune();
      pruneTimer = setInterval(prune, PRUNE_INTERVAL_MS);
      pruneTimer.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(pruneTimer);
      await gateway?.close();
      hub?.stop();
      await presence?.stop();
    },
  };
}

import { UserSigVerifier } from '../auth/usersig-cache.ts';
import type { ServerModule } from '../server-module.ts';
import { ActivityBus } from './activity-bus.ts';
import { resolveConsoleAssets, serveConsole } from './console-assets.ts';
import { LiveStreams } from './live-stream.ts';
import { userOverviewCommand } from './user-overview-command.ts';

/**
 * The console as a server module: the `readwire_console/*` REST commands (`user_overview`, and the `live` event
 * stream), and the browser console's files at `/console` (unless `console.enabled` is false). Stopping ends every
 * open live stream before the HTTP server waits for its connections.
 */
export function consoleModule(): ServerModule {
  let bus: ActivityBus | undefined;
  return {
    name: 'console',
    commands: () => [userOverviewCommand],
    start(ctx) {
      const o = ctx.config.console;
      const activity = new ActivityBus(ctx.services.events, o.liveItemsPerSecond);
      bus = activity;
      const streams = new LiveStreams({
        apps: ctx.services.apps,
        verifier: new UserSigVerifier(),
        bus: activity,
        itemsPerSecond: o.liveItemsPerSecond,
      });
      ctx.http.post('/v4/readwire_console/live', streams.handle);
      ctx.http.addHook('preClose', (done) => {
        streams.closeAll();
        done();
      });
      if (o.enabled) serveConsole(ctx.http, resolveConsoleAssets(o.assetsDir));
      return Promise.resolve();
    },
    stop() {
      bus?.stop();
      return Promise.resolve();
    },
  };
}

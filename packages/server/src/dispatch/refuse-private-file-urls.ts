import type { Config } from '../config/config-schema.ts';
import { callbackUrlProblem } from './ssrf-guard.ts';

/**
 * Refuses to start when a callback URL in the configuration file targets a private, loopback or link-local address
 * while `allowPrivateCallbackUrls` is off: every callback to it would fail, so the mistake is reported at once,
 * naming the app, the URL and the way out. (A URL saved by `set_config` was checked when it was set.)
 */
export function refusePrivateFileUrls(config: Config): void {
  config.apps.forEach((app, i) => {
    const problem = app.callback && callbackUrlProblem(app.callback.url, config.allowPrivateCallbackUrls);
    if (problem) {
      throw new Error(
        `apps[${i}].callback.url ${app.callback!.url} (app ${app.sdkAppId}) is refused: ${problem}. ` +
          'Use a public address, or set "allowPrivateCallbackUrls": true in the configuration file (development only).',
      );
    }
  });
}

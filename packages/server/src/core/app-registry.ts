import type { AppConfig, CallbackConfig } from '../config/config-schema.ts';

/** One app at run time. `callback` may change while the server runs (`readwire_callback/set_config`). */
export interface AppRuntime {
  readonly sdkAppId: number;
  readonly secretKey: string;
  readonly admin: string;
  readonly restRateLimit: number;
  callback: CallbackConfig | undefined;
}

/** The apps this server serves, by SDKAppID. Apps share nothing. */
export class AppRegistry {
  private readonly apps = new Map<number, AppRuntime>();

  constructor(configs: AppConfig[]) {
    for (const c of configs) {
      this.apps.set(c.sdkAppId, {
        sdkAppId: c.sdkAppId,
        secretKey: c.secretKey,
        admin: c.admin,
        restRateLimit: c.restRateLimit,
        callback: c.callback,
      });
    }
  }

  /** The app with this SDKAppID, if served here. */
  get(sdkAppId: number): AppRuntime | undefined {
    return this.apps.get(sdkAppId);
  }

  /** Every app. */
  all(): AppRuntime[] {
    return [...this.apps.values()];
  }
}

import { genUserSig } from '@readwire/sdk';
import { request } from 'undici';

/** An admin's view of one Readwire (Tencent IM REST) endpoint. */
export class RestApi {
  readonly origin: string;
  readonly sdkAppId: number;
  readonly admin: string;
  private readonly userSig: string;

  private constructor(origin: string, sdkAppId: number, admin: string, userSig: string) {
    this.origin = origin;
    this.sdkAppId = sdkAppId;
    this.admin = admin;
    this.userSig = encodeURIComponent(userSig);
  }

  /** Signs an admin UserSig with `genUserSig` from `@readwire/sdk`. */
  static async create(origin: string, sdkAppId: number, secretKey: string, admin = 'administrator'): Promise<RestApi> {
    return new RestApi(origin, sdkAppId, admin, await genUserSig({ sdkAppId, secretKey, userId: admin }));
  }

  /** `/v4/{service}/{command}?sdkappid=&identifier=&usersig=&random=&contenttype=json`, with a fresh random. */
  path(command: string): string {
    const random = Math.floor(Math.random() * 4294967295);
    return `/v4/${command}?sdkappid=${this.sdkAppId}&identifier=${this.admin}&usersig=${this.userSig}&random=${random}&contenttype=json`;
  }

  /** One call; throws unless `ActionStatus` is OK. */
  async call(command: string, body: unknown): Promise<Record<string, unknown>> {
    const r = await request(this.origin + this.path(command), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await r.body.json()) as Record<string, unknown>;
    if (json.ActionStatus !== 'OK') throw new Error(`${command} failed: ${JSON.stringify(json)}`);
    return json;
  }

  /** Imports accounts through `im_open_login_svc/multiaccount_import`, 100 per call. */
  async importAccounts(userIds: string[]): Promise<void> {
    for (let i = 0; i < userIds.length; i += 100) {
      const r = await this.call('im_open_login_svc/multiaccount_import', { Accounts: userIds.slice(i, i + 100) });
      const failed = r.FailAccounts as string[] | undefined;
      if (failed && failed.length > 0) throw new Error(`accounts not imported: ${failed.join(', ')}`);
    }
  }
}

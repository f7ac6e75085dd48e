import type { AppRegistry, AppRuntime } from '../core/app-registry.ts';
import type { UserSigVerifier } from '../auth/usersig-cache.ts';
import { ImError } from '../errors/im-error.ts';

/** The REST query parameters (`sdkappid`, `identifier`, `usersig`, `random`, `contenttype`). */
export type RestQuery = Record<string, string | string[] | undefined>;

function single(q: RestQuery, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Authenticates a REST call as Tencent does: URL parameters present (60025; an empty usersig is 70002), a known
 * SDKAppID (60006), a UserSig valid for that app and identifier (7000x), and the identifier is the app admin (60010).
 * Resolves with the UserSig's expiry (Unix seconds) too.
 */
export async function authenticate(
  query: RestQuery,
  apps: AppRegistry,
  verifier: UserSigVerifier,
): Promise<{ app: AppRuntime; identifier: string; expiresAt: number }> {
  const sdkappid = single(query, 'sdkappid');
  const identifier = single(query, 'identifier');
  const usersig = single(query, 'usersig');
  const contenttype = single(query, 'contenttype');
  if (!sdkappid || !/^\d{1,10}$/.test(sdkappid))
    throw new ImError('URL_PARAMETER', 'sdkappid is missing or not a number');
  if (!identifier) throw new ImError('URL_PARAMETER', 'identifier is missing');
  if (usersig === undefined) throw new ImError('URL_PARAMETER', 'usersig is missing');
  if (contenttype !== undefined && contenttype.toLowerCase() !== 'json') {
    throw new ImError('URL_PARAMETER', 'contenttype must be json');
  }
  const app = apps.get(Number(sdkappid));
  if (!app) throw new ImError('INVALID_SDKAPPID', `SDKAppID ${sdkappid} is not served here`);
  const expiresAt = await verifier.verify(app.sdkAppId, app.secretKey, identifier, usersig);
  if (identifier !== app.admin) throw new ImError('ADMIN_REQUIRED', `identifier ${identifier} is not the App admin`);
  return { app, identifier, expiresAt };
}

import type { UserSigVerifier } from '../auth/usersig-cache.ts';
import { userSigIssuedAt } from '../auth/usersig-issued-at.ts';
import type { AppRuntime } from '../core/app-registry.ts';
import type { Services } from '../core/services.ts';
import { ImError } from '../errors/im-error.ts';

/** Who a connection logged in as. */
export interface ClientIdentity {
  app: AppRuntime;
  userId: string;
  /** When the UserSig expires (Unix seconds); the connection is closed after it. */
  expiresAt: number;
}

/**
 * Authenticates a client exactly as the REST API authenticates its caller — a served SDKAppID (60006) and a UserSig
 * valid for it and the UserID (70001 expired, 70002 empty, 70003 garbled, 70009 wrong key, 70013/70014 mismatch) —
 * except that any UserID may log in, not only the admin, and that a UserSig issued at or before the account's last
 * kick (`im_open_login_svc/kick`) is refused as expired (70001). As in Tencent IM, a first login imports the account; it also
 * starts the user's sync log, before the session takes its starting cursor, so nothing after it can be missed.
 */
export async function authenticateClient(
  services: Services,
  verifier: UserSigVerifier,
  login: { sdkAppId: number; userId: string; userSig: string },
): Promise<ClientIdentity> {
  const app = services.apps.get(login.sdkAppId);
  if (!app) throw new ImError('INVALID_SDKAPPID', `SDKAppID ${login.sdkAppId} is not served here`);
  const expiresAt = await verifier.verify(app.sdkAppId, app.secretKey, login.userId, login.userSig);
  const kickedAt = await services.store.sigsValidAfter(app.sdkAppId, login.userId);
  if (kickedAt > 0 && userSigIssuedAt(login.userSig) <= kickedAt) {
    throw new ImError('USERSIG_EXPIRED', 'UserSig issued before the account was kicked: log in with a new UserSig');
  }
  const existing = await services.store.existingAccounts(app.sdkAppId, [login.userId]);
  if (!existing.has(login.userId)) await services.store.importAccounts(app.sdkAppId, [{ userId: login.userId }]);
  await services.store.startSyncLog(app.sdkAppId, login.userId);
  return { app, userId: login.userId, expiresAt };
}

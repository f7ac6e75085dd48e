import { genUserSig } from '@readwire/sdk';

/** How long the UserSig of a console login link is valid by default (one hour). */
export const CONSOLE_LINK_TTL_SECONDS = 3600;

/**
 * A console login link: `<url>/console#app=APP&id=ADMIN&sig=USERSIG`, with a fresh admin UserSig valid for
 * `ttlSeconds`. The credentials are in the fragment, which browsers never send to a server, so they stay out of
 * request lines, logs and Referer headers; the console moves them to the tab's session storage and clears the
 * fragment.
 */
export async function consoleLink(
  url: string,
  app: { sdkAppId: number; secretKey: string; admin: string },
  ttlSeconds = CONSOLE_LINK_TTL_SECONDS,
): Promise<string> {
  const sig = await genUserSig({
    sdkAppId: app.sdkAppId,
    secretKey: app.secretKey,
    userId: app.admin,
    expireSeconds: ttlSeconds,
  });
  const fragment = new URLSearchParams({ app: String(app.sdkAppId), id: app.admin, sig });
  return `${url.replace(/\/$/, '')}/console#${fragment}`;
}

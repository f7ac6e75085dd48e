import type { RestQuery } from './authenticate.ts';

const SCHEME = /^usersig[ \t]+/i;

/**
 * Takes the UserSig from an `Authorization: UserSig <usersig>` header when the query has no `usersig`, so a browser
 * never puts it in a URL (where logs, history and proxies keep it). A `usersig` in the query wins; another scheme is
 * ignored. Mutates and returns `query`.
 */
export function withHeaderUserSig(query: RestQuery, authorization: string | undefined): RestQuery {
  if (query.usersig === undefined && authorization !== undefined && SCHEME.test(authorization)) {
    query.usersig = authorization.replace(SCHEME, '').trim();
  }
  return query;
}

/** One app's admin credentials, kept in this tab's session storage only. */
export interface Credentials {
  /** SDKAppID. */
  app: string;
  /** The app's admin identifier. */
  id: string;
  /** An admin UserSig; sent only in the `Authorization` header. */
  sig: string;
}

const KEY = 'readwire.console.credentials';
const CURRENT = 'readwire.console.current';

/** Every app this tab has credentials for. */
export function loadAll(): Credentials[] {
  try {
    const v: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? '[]');
    return Array.isArray(v) ? v.filter(isCredentials) : [];
  } catch {
    return [];
  }
}

function isCredentials(v: unknown): v is Credentials {
  const c = v as Partial<Credentials> | null;
  return typeof c?.app === 'string' && typeof c.id === 'string' && typeof c.sig === 'string';
}

/** Adds (or replaces) an app's credentials and makes it the current app. */
export function save(c: Credentials): void {
  const all = loadAll().filter((x) => x.app !== c.app);
  all.push(c);
  sessionStorage.setItem(KEY, JSON.stringify(all));
  sessionStorage.setItem(CURRENT, c.app);
}

/** The current app's credentials, if any. */
export function current(): Credentials | undefined {
  const all = loadAll();
  const app = sessionStorage.getItem(CURRENT);
  return all.find((c) => c.app === app) ?? all[0];
}

/** Switches the current app. */
export function select(app: string): void {
  sessionStorage.setItem(CURRENT, app);
}

/** Forgets one app's credentials. */
export function forget(app: string): void {
  sessionStorage.setItem(KEY, JSON.stringify(loadAll().filter((c) => c.app !== app)));
  if (sessionStorage.getItem(CURRENT) === app) sessionStorage.removeItem(CURRENT);
}

/**
 * Takes `#app=..&id=..&sig=..` from the address (a login link), stores it and removes it from the address and the
 * history entry, so the UserSig is in no URL afterwards. Answers whether a login was taken.
 */
export function takeFromFragment(): boolean {
  const hash = location.hash.replace(/^#\/?/, '');
  if (!hash.includes('sig=')) return false;
  const p = new URLSearchParams(hash);
  const app = p.get('app');
  const id = p.get('id');
  const sig = p.get('sig');
  history.replaceState(null, '', location.pathname + location.search + '#/live');
  if (!app || !id || !sig) return false;
  save({ app, id, sig });
  return true;
}

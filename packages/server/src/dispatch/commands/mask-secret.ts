/** What a masked secret looks like: `••••` and its last four characters. */
export function maskSecret(secret: string | undefined): string | null {
  if (secret === undefined) return null;
  return `••••${secret.length > 8 ? secret.slice(-4) : ''}`;
}

const SECRET_PARAMS: ReadonlySet<string> = new Set(['sign', 'token', 'signature', 'secret', 'key', 'password']);

/** A URL with the values of its secret-looking query parameters (`Sign`, `token`, …) and its password masked. */
export function maskUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (u.password) u.password = '••••';
  for (const name of [...u.searchParams.keys()]) {
    if (SECRET_PARAMS.has(name.toLowerCase())) u.searchParams.set(name, '••••');
  }
  return u.toString();
}

/** Request headers as shown: `webhook-signature` and authorization-like headers masked. */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[name] = lower.includes('signature') || lower === 'authorization' || lower.includes('token') ? '••••' : value;
  }
  return out;
}

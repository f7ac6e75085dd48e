/** What a masked secret looks like: `••••` and its last four characters. */
export function maskSecret(secret: string | undefined): string | null {
  if (secret === undefined) return null;
  return `••••${secret.length > 8 ? secret.slice(-4) : ''}`;
}

/** Query parameters whose values are secrets (case-insensitive). */
const SECRET_PARAM = /([?&](?:sign|token|signature|secret|key|password)=)[^&#]*/gi;

/** A URL with the values of its secret-looking query parameters (`Sign`, `token`, …) and its password masked. */
export function maskUrl(url: string): string {
  const masked = url.replace(SECRET_PARAM, '$1••••');
  return masked.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*:)[^/@]*@/i, '$1••••@');
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

import type { RestQuery } from './authenticate.ts';

function decode(part: string): string {
  const spaced = part.includes('+') ? part.replaceAll('+', ' ') : part;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // Malformed percent-encoding is kept as sent (an unknown value then fails authentication, not the parser).
    return spaced;
  }
}

/**
 * Parses a URL query string (without the `?`) as the REST edge reads it: `+` is a space, percent-escapes are
 * decoded, a name without `=` has the value `''`, and a repeated name collects its values in order in an array.
 * Names are stored on a prototype-less object, so `__proto__` and friends are plain keys.
 */
export function parseQuery(search: string): RestQuery {
  const query = Object.create(null) as RestQuery;
  if (search === '') return query;
  for (const pair of search.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const seen = query[name];
    if (seen === undefined) query[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else query[name] = [seen, value];
  }
  return query;
}

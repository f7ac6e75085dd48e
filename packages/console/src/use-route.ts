import { useEffect, useState } from 'preact/hooks';
import { takeFromFragment } from './credentials.ts';

/** The hash route as path segments: `#/deliveries/ev1` → `['deliveries', 'ev1']`. */
export function useRoute(): string[] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => {
      // A login link opened in a tab that already shows the console arrives as a hash change.
      takeFromFragment();
      setHash(location.hash);
    };
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
}

/** Goes to a hash route. */
export function go(...segments: string[]): void {
  location.hash = '#/' + segments.map((s) => encodeURIComponent(s)).join('/');
}

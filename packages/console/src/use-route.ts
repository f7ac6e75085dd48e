import { useEffect, useState } from 'preact/hooks';
import { takeFromFragment } from './credentials.ts';

/** The hash route as path segments: `#/deliveries/ev1` → `['deliveries', 'ev1']`. */
export function useRoute(): string[] {
  const [hash, setHash] = useState(location.hash);
  const [, setTaken] = useState(0);
  useEffect(() => {
    const on = () => {
      // A login link opened in a tab that already shows the console arrives as a hash change.
      if (takeFromFragment()) setTaken((n) => n + 1);
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

import { fromBase64, toBase64 } from '../crypto/bytes.ts';

/** TLSSigAPIv2's URL-safe base64: standard base64 with `+`→`*`, `/`→`-`, `=`→`_`. */
export function encodeUserSigBase64(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

/** Reverses {@link encodeUserSigBase64}; `undefined` when the text is not valid. */
export function decodeUserSigBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9*\-_]+$/.test(text)) return undefined;
  return fromBase64(text.replace(/_/g, '=').replace(/-/g, '/').replace(/\*/g, '+'));
}

import type { ComponentChildren } from 'preact';
import { ApiError } from './api.ts';

/** An error said plainly, with what to do about it. */
export function ErrorNote({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  const msg = error instanceof Error ? error.message : typeof error === 'string' ? error : 'Something went wrong.';
  let hint = 'Try again; if it persists, check the server log.';
  if (error instanceof ApiError) {
    if (error.code === 60009) hint = "This server does not know the command: update Readwire to the console's version.";
    else if (
      error.code === 60025 ||
      error.code === 70001 ||
      error.code === 70003 ||
      error.code === 70009 ||
      error.code === 70013 ||
      error.code === 70014
    )
      hint = 'The UserSig was refused or has expired: log in again with a fresh one (readwire console-link).';
    else if (error.code === -1) hint = 'Check that the server is running and reachable from this browser.';
    else if (error.code === 70107 || error.code === 70402) hint = 'Check the account identifier.';
  }
  return (
    <div class="note error" role="alert">
      <strong>{msg}</strong>
      <div>{hint}</div>
    </div>
  );
}

/** An empty state that says what to do. */
export function EmptyNote({ children }: { children: ComponentChildren }) {
  return <div class="note empty">{children}</div>;
}

/** A unix-ms time as a local date-time, or a dash. */
export function fmtTime(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return '—';
  return new Date(ms).toLocaleString(undefined, { hour12: false });
}

/** A unix-seconds time (Tencent's MsgTime, read times) as a local date-time, or a dash. */
export function fmtSeconds(s: unknown): string {
  return typeof s === 'number' && s > 0 ? fmtTime(s * 1000) : '—';
}

/** Any value as display text (objects as JSON). */
export function text(v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

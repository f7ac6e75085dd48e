/**
 * Readwire's callback administration commands (`v4/readwire_callback/*`), beyond Tencent's API: the callback
 * configuration, the delivery log, and replay.
 * @module
 */
import type { KnownCallbackCommand } from '../receiver/callback-payloads.ts';

/** An app's callback configuration, as in Readwire's configuration file. */
export interface CallbackConfig {
  /** http(s) URL of the app backend's receiver; its query string is kept. */
  url: string;
  /** Enabled callbacks; Readwire's default is `['C2C.CallbackAfterMsgReport']`. */
  commands?: KnownCallbackCommand[];
  /** Tencent callback authentication token (adds `Sign` and `RequestTime`), 1–128 characters. */
  token?: string;
  /** Standard Webhooks secret (adds `webhook-*` headers signing the body), at least 8 characters. */
  signingSecret?: string;
  /** Per-attempt timeout, ms (default 2,000). */
  timeoutMs?: number;
  /** Retry delays in seconds after each failed attempt, or `'none'` (Tencent's behaviour). */
  retry?: 'none' | number[];
}

/** Answer of `get_config`; secrets appear in `Callback` only with `ShowSecrets: true`. */
export interface GetCallbackConfigResult {
  Callback: CallbackConfig | null;
  Source: 'file' | 'set_config';
  TokenSet: boolean;
  SigningSecretSet: boolean;
  RetryScheduleSeconds: number[];
}

/** Filters shared by the listing commands; times are Unix milliseconds. */
export interface CallbackListFilter {
  Command?: string;
  /** The ordering key: `Report_Account` or `From_Account`. */
  Account?: string;
  MinTimeMs?: number;
  MaxTimeMs?: number;
  /** 1–1000, default 100. */
  Limit?: number;
  /** `NextCursor` of the previous page. */
  Cursor?: number;
}

/** A callback event in the outbox. */
export interface CallbackEventView {
  EventId: string;
  Command: string;
  Account: string;
  State: 'pending' | 'delivered' | 'dead';
  Attempts: number;
  InFlight: boolean;
  Waiting: boolean;
  NextAttemptAtMs: number | null;
  CreatedAtMs: number;
  DeliveredAtMs: number | null;
  LastError: string;
  Body: unknown;
}

/** One recorded delivery attempt. */
export interface CallbackAttemptView {
  AttemptId: number;
  EventId: string;
  Command: string;
  Account: string;
  Attempt: number;
  StartedAtMs: number;
  Url: string;
  HttpStatus: number | null;
  LatencyMs: number;
  ErrorCode: number | null;
  ErrorInfo: string | null;
  Error: string;
  Outcome: 'delivered' | 'retry' | 'dead' | 'aborted';
}

/** A page of a listing; `Complete: 1` on the last page. */
export interface CallbackPage {
  Complete: 0 | 1;
  NextCursor: number;
}

/** `replay`: one event by id, or every dead event matching the filters. */
export type ReplayCallbacksRequest =
  | { EventId: string }
  | ({ AllDead: true } & Pick<CallbackListFilter, 'Command' | 'Account' | 'MinTimeMs' | 'MaxTimeMs'>);

/** Answer of `replay`. */
export interface ReplayCallbacksResult {
  Replayed: number;
  PreviousState?: string;
}

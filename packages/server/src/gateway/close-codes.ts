/**
 * WebSocket close codes the gateway uses. 1000–1011 are the protocol's own; 4000–4999 are Readwire's. A client
 * should reconnect (and resume) after any of them except `USERSIG_EXPIRED` and `LOGIN_FAILED`-style auth errors,
 * which need a new UserSig first, `KICKED` (another device took its place) and `INVALID_FRAMES` (a client bug).
 */
export const CloseCode = {
  /** The server is shutting down; reconnect. */
  GOING_AWAY: 1001,
  /** A frame exceeded four times `maxFrameBytes` (the ws library closes before reading it). */
  FRAME_TOO_LARGE: 1009,
  /** The UserSig the connection logged in with has expired: log in again with a fresh one. */
  USERSIG_EXPIRED: 4001,
  /** The account was kicked (`im_open_login_svc/kick`) or deleted: log in again with a UserSig issued after it. */
  ACCOUNT_KICKED: 4003,
  /** No successful login within `loginTimeoutMs`. */
  LOGIN_TIMEOUT: 4002,
  /** Kicked: the same user logged in on more than `maxConnectionsPerUser` connections; this was the oldest. */
  KICKED: 4409,
  /**
   * More than `maxInvalidFramesBeforeLogin` frames before a successful login that were not a valid `login` or `ping`
   * request (malformed, binary, over `maxLoginFrameBytes`, another operation, or a failed login).
   */
  INVALID_FRAMES: 4400,
  /** The client did not read fast enough: more than `maxBufferedBytes` queued. Reconnect and resume. */
  SLOW_CONSUMER: 4008,
  /** Far over the request rate for too long. */
  TOO_MANY_REQUESTS: 4029,
} as const;

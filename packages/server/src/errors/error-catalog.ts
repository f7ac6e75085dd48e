/**
 * Every Tencent `ErrorCode` Readwire answers, with its stable name and default `ErrorInfo`, in one place.
 * Codes and meanings follow Tencent Cloud IM's public error tables (see shared/reference §6–§7).
 * @module
 */

/** The catalog: stable name → Tencent numeric code and default message. */
export const ErrorCatalog = {
  // Public REST codes (60000–60999)
  HTTP_PARSE: { code: 60002, info: 'HTTP request parse error: POST a JSON body to /v4/{service}/{command}' },
  JSON_PARSE: { code: 60003, info: 'HTTP request JSON parse error' },
  INVALID_SDKAPPID: { code: 60006, info: 'SDKAppID is not valid' },
  RATE_LIMITED: { code: 60007, info: 'REST API call frequency limit exceeded' },
  REQUEST_FORMAT: { code: 60008, info: 'service timeout or bad HTTP request format' },
  UNKNOWN_COMMAND: { code: 60009, info: 'request resource error: unknown service or command' },
  ADMIN_REQUIRED: { code: 60010, info: 'this request requires the App admin identifier' },
  BACKUP_UNSUPPORTED: {
    code: 60009,
    info: 'readwire_admin/backup backs up a SQLite database only: back up PostgreSQL with pg_dump',
  },
  URL_PARAMETER: { code: 60025, info: 'SDKAppID, identifier, usersig or contenttype URL parameter error' },
  // Account / UserSig codes (70000–70999)
  USERSIG_EXPIRED: { code: 70001, info: 'UserSig expired' },
  USERSIG_EMPTY: { code: 70002, info: 'UserSig is empty' },
  USERSIG_GARBLED: { code: 70003, info: 'UserSig is invalid or could not be parsed' },
  USERSIG_BAD_SIGNATURE: { code: 70009, info: 'UserSig verification failed: signed with another key' },
  USERSIG_IDENTIFIER_MISMATCH: { code: 70013, info: 'identifier in the request does not match the UserSig' },
  USERSIG_SDKAPPID_MISMATCH: { code: 70014, info: 'SDKAppID in the request does not match the UserSig' },
  ACCOUNT_NOT_IMPORTED: { code: 70107, info: 'account does not exist (not imported)' },
  INVALID_PARAMETERS: { code: 70402, info: 'invalid request parameters' },
  INTERNAL_ACCOUNT: { code: 70500, info: 'internal server error' },
  // Message codes
  READ_RECEIPT_INVALID: { code: 20001, info: 'request is not valid' },
  SEND_REFUSED_BY_CALLBACK: { code: 20006, info: 'message refused by the app backend (C2C.CallbackBeforeSendMsg)' },
  MESSAGE_TOO_LONG: { code: 80002, info: 'message body too long (max 12 KB)' },
  OPENIM_JSON_PARSE: { code: 90001, info: 'JSON parse error' },
  MSG_BODY_INVALID: { code: 90002, info: 'MsgBody is not valid or not an array' },
  TO_ACCOUNT_INVALID: { code: 90003, info: 'To_Account is missing or does not exist' },
  MSG_RANDOM_INVALID: { code: 90005, info: 'MsgRandom is missing or not a 32-bit unsigned integer' },
  MSG_TIMESTAMP_INVALID: { code: 90006, info: 'MsgTimeStamp is not an integer' },
  FROM_ACCOUNT_INVALID: { code: 90008, info: 'From_Account is missing or does not exist' },
  MSG_FORMAT_INVALID: { code: 90010, info: 'message format is not valid' },
  BATCH_TOO_MANY: { code: 90011, info: 'more than 500 recipients in one batch' },
  LIFETIME_TOO_LONG: { code: 90026, info: 'offline storage time exceeds 7 days' },
  SYNC_OTHER_MACHINE_INVALID: { code: 90031, info: 'SyncOtherMachine is not an integer' },
  MSG_LIFETIME_INVALID: { code: 90044, info: 'MsgLifeTime is not an integer' },
  MSG_KEY_INVALID: { code: 90054, info: 'MsgKey is not valid' },
  INTERNAL: { code: 91000, info: 'internal server error' },
  REQUEST_TOO_LARGE: { code: 93000, info: 'JSON packet too long' },
  // Client gateway (WebSocket) codes. 6014 is the client SDK's "not logged in" [I]; the others reuse the REST
  // code of the same failure, with a gateway-specific name and message.
  GATEWAY_NOT_LOGGED_IN: { code: 6014, info: 'not logged in: send a login request first' },
  GATEWAY_ALREADY_LOGGED_IN: { code: 70402, info: 'this connection is already logged in' },
  GATEWAY_BAD_FRAME: { code: 60003, info: 'a frame must be a JSON object {"id", "op", "data"} sent as text' },
  GATEWAY_UNKNOWN_OP: { code: 60009, info: 'unknown operation' },
  GATEWAY_RATE_LIMITED: { code: 60018, info: 'too many requests on this connection, retry later' },
  GATEWAY_FRAME_TOO_LARGE: { code: 93000, info: 'frame too large' },
  // Readwire callback administration (readwire_callback/*), 96000–96999: not Tencent codes
  CALLBACK_CONFIG_INVALID: { code: 96001, info: 'callback configuration is not valid' },
  CALLBACK_URL_REFUSED: {
    code: 96002,
    info: 'callback URL targets a private, loopback or link-local address (allowPrivateCallbackUrls is off)',
  },
  CALLBACK_EVENT_NOT_FOUND: { code: 96003, info: 'no callback event with this EventId in this app' },
} as const satisfies Record<string, { code: number; info: string }>;

/** Stable name of a catalogued error. */
export type ErrorName = keyof typeof ErrorCatalog;

import { z } from 'zod';
import { parseBody } from '../rest/parse-body.ts';

const urlParameter = { error: 'URL_PARAMETER' } as const;

const loginSchema = z.object({
  sdkAppId: z.number(urlParameter).int(urlParameter).min(1, urlParameter).max(4294967295, urlParameter),
  userId: z
    .string(urlParameter)
    .min(1, urlParameter)
    .refine((s) => Buffer.byteLength(s) <= 32, urlParameter),
  userSig: z.string(urlParameter),
  platform: z.string({ error: 'INVALID_PARAMETERS' }).max(32, { error: 'INVALID_PARAMETERS' }).optional(),
  cursor: z
    .string({ error: 'INVALID_PARAMETERS' })
    .regex(/^\d{1,16}$/, { error: 'INVALID_PARAMETERS' })
    .transform(Number)
    .optional(),
});

/** A validated login: credentials, the declared platform and the cursor to resume from (absent on a first login). */
export type LoginRequest = z.output<typeof loginSchema>;

/**
 * Validates a `login` request's data with the REST API's codes: a missing or malformed SDKAppID, UserID or UserSig
 * is 60025 (as missing URL parameters are); an empty UserSig passes here and fails verification with 70002.
 */
export function parseLoginRequest(data: unknown): LoginRequest {
  return parseBody(loginSchema, data, 'INVALID_PARAMETERS');
}

/** The same login read from a WebSocket URL's query (`sdkappid`, `userid` or `identifier`, `usersig`, `platform`, `cursor`). */
export function loginFromQuery(query: URLSearchParams): LoginRequest | undefined {
  const userSig = query.get('usersig');
  if (userSig === null) return undefined;
  const sdkAppId = query.get('sdkappid');
  return parseLoginRequest({
    sdkAppId: sdkAppId !== null && /^\d{1,10}$/.test(sdkAppId) ? Number(sdkAppId) : undefined,
    userId: query.get('userid') ?? query.get('identifier') ?? undefined,
    userSig,
    platform: query.get('platform') ?? undefined,
    cursor: query.get('cursor') ?? undefined,
  });
}

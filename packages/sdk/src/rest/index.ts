/**
 * The typed REST client (Tencent Cloud IM REST API, as served by Tencent or Readwire).
 * @module
 */
export { createRestClient, type RestClient } from './create-rest-client.ts';
export {
  DEFAULT_REST_BASE_URL,
  DEFAULT_REST_TIMEOUT_MS,
  DEFAULT_ADMIN_USERSIG_TTL_SECONDS,
  type RestClientOptions,
} from './rest-client-options.ts';
export type { RestCallOptions } from './rest-call.ts';
export { RestError, type RestErrorDetails } from './rest-error.ts';
export type * from './rest-types.ts';
export type * from './callback-admin-types.ts';

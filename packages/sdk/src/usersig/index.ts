/**
 * UserSig (TLSSigAPIv2) generation and verification, shared by the Readwire server and app backends.
 * @module
 */
export { genUserSig, DEFAULT_USERSIG_EXPIRE_SECONDS, type GenUserSigOptions } from './gen-user-sig.ts';
export {
  verifyUserSig,
  MAX_USERSIG_LENGTH,
  MAX_USERSIG_INFLATED_BYTES,
  type VerifyUserSigOptions,
  type UserSigResult,
  type UserSigSuccess,
  type UserSigFailure,
} from './verify-user-sig.ts';

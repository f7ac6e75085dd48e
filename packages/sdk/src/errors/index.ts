/**
 * The SDK's error classes and their catalog of stable codes.
 * @module
 */
export { SdkErrorCatalog, type SdkErrorCode, type CallbackErrorCode, type RestErrorCode } from './error-catalog.ts';
export { SdkError, CallbackError, SdkOptionsError } from './sdk-error.ts';

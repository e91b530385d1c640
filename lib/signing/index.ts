export { authorizationHeaders } from './authorizationHeaders.js';
export type { AuthorizationHeaders } from './authorizationHeaders.js';
export type { DigestSignature, DigestSignOptions, DigestSigner } from './DigestSigner.js';
export { InvalidApiKeyFormatError } from './errors/InvalidApiKeyFormatError.js';
export { NoSigningCredentialError } from './errors/NoSigningCredentialError.js';
export { SigningKeyRefusedError } from './errors/SigningKeyRefusedError.js';
export { SigningRequestRejectedError } from './errors/SigningRequestRejectedError.js';
export { SigningResponseInvalidError } from './errors/SigningResponseInvalidError.js';
export type { SigningResponseProblem } from './errors/SigningResponseInvalidError.js';
export { SigningServiceTimeoutError } from './errors/SigningServiceTimeoutError.js';
export { SigningServiceUnavailableError } from './errors/SigningServiceUnavailableError.js';
export { keyFingerprint } from './keyFingerprint.js';
export { SigningApiClient } from './SigningApiClient.js';
export type {
  FetchLike,
  SigningApiClientOptions,
  SigningApiSignature,
} from './SigningApiClient.js';
export type { SigningCredential, SigningCredentialProvider } from './SigningCredential.js';
export { staticCredentials } from './staticCredentials.js';

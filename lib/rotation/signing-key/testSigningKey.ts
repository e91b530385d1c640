import { X509Certificate, createHash, randomBytes } from 'node:crypto';

import { SigningKeyRefusedError } from '../../signing/errors/SigningKeyRefusedError.js';
import { SigningApiClient, type FetchLike } from '../../signing/SigningApiClient.js';
import type { SigningCredential } from '../../signing/SigningCredential.js';
import { parseSignedData } from '../../verification/parseSignedData.js';
import { verifySigner } from '../../verification/verifySigner.js';
import type { TestVerdict } from '../CredentialDriver.js';
import { CandidateSignatureInvalidError } from '../errors/CandidateSignatureInvalidError.js';

/** Options of {@link testSigningKey}. */
export interface SigningKeyTestOptions {
  /** The signing API (`TS_API_URL`). */
  readonly signingApiUrl: string;
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** The time the request is signed with, and the certificates are checked at. @default system time */
  readonly clock?: () => Date;
  /** Per attempt. @default 20_000 */
  readonly timeoutMs?: number;
  /** Attempts after a network error, timeout or 5xx. @default 1 */
  readonly retries?: number;
  /**
   * PEM roots the test signature's certificate must chain to (`TS_TRUSTED_ROOTS_FILE`). Without
   * them the chain is not checked; the digest, the signature and the signing-certificate
   * attribute always are.
   */
  readonly trustedRoots?: readonly string[];
}

/**
 * Proves a new key before anything uses it: signs a random test digest through the real signing
 * API with this key alone, then checks the CMS that came back (one SignerInfo, message digest
 * equal to the test digest, a signature that verifies with the certificate it names, and the chain
 * when roots are given). A 401 is the key's fault and yields a failed verdict; an outage, a timeout
 * or a bad CMS is thrown, to be retried with backoff.
 */
export async function testSigningKey(
  credential: SigningCredential,
  options: SigningKeyTestOptions,
): Promise<TestVerdict> {
  const { clock = () => new Date(), timeoutMs = 20_000, retries = 1 } = options;
  const client = new SigningApiClient({
    baseUrl: options.signingApiUrl,
    credentials: { current: () => Promise.resolve([credential]) },
    clock,
    attemptTimeoutMs: timeoutMs,
    retries,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const digest = createHash('sha256')
    .update(`sealops key test ${credential.keyId} `)
    .update(randomBytes(16))
    .digest();

  let cms: Uint8Array;
  try {
    ({ cms } = await client.sign(digest, { timestamp: false }));
  } catch (error) {
    if (error instanceof SigningKeyRefusedError) {
      return {
        passed: false,
        code: error.code,
        reason:
          `The signing service refused key ${credential.keyId} (HTTP 401): the key ID and key do ` +
          'not belong together, or the key is not active at the vendor.',
      };
    }
    throw error;
  }

  const problem = checkTestSignature(cms, digest, options.trustedRoots ?? [], clock());
  if (problem !== undefined) throw new CandidateSignatureInvalidError(credential.keyId, problem);
  return { passed: true };
}

function checkTestSignature(
  cms: Uint8Array,
  digest: Buffer,
  trustedRootsPem: readonly string[],
  now: Date,
): string | undefined {
  let signedData;
  try {
    signedData = parseSignedData(cms);
  } catch {
    return 'the answer is not a CMS SignedData';
  }
  const [signerInfo, extra] = signedData.signerInfos;
  if (signerInfo === undefined || extra !== undefined)
    return 'the CMS does not hold exactly one SignerInfo';
  const verification = verifySigner({
    signedData,
    signerInfo,
    contentDigest: (hashName) => (hashName === 'sha256' ? digest : undefined),
    trustedRoots: trustedRootsPem.map((pem) => new X509Certificate(pem)),
    validationTime: now,
  });
  const checks = [
    ['message digest', verification.messageDigest],
    ['signature', verification.signature],
    ['signing-certificate attribute', verification.signingCertificate],
    ...(trustedRootsPem.length > 0
      ? [['certificate chain', verification.certificateChain] as const]
      : []),
  ] as const;
  // A signing-certificate attribute is only required to be right when present.
  const failed = checks.find(
    ([name, check]) =>
      check.status === 'failed' ||
      (check.status === 'absent' && name !== 'signing-certificate attribute'),
  );
  if (failed === undefined) return undefined;
  const [name, check] = failed;
  return `${name}: ${check.detail ?? check.status}`;
}

import type { AppControl } from '../../appcontrol/AppControl.js';
import type { VerificationCheck } from '../../verification/PdfSignatureVerification.js';
import { verifyPdfSignatures } from '../../verification/verifyPdfSignatures.js';
import type { AppEndpoint } from '../AppEndpoint.js';
import { RecoveryCheckFailedError } from '../errors/RecoveryCheckFailedError.js';
import { makeTestPdf } from '../makeTestPdf.js';
import type { RunbookStep } from '../RunbookStep.js';

/** Options of {@link testSeal}. */
export interface TestSealOptions {
  readonly control: AppControl;
  readonly endpoint: AppEndpoint;
  readonly sealFunction: string;
  /** Roots the seal's chain must lead to; empty: the chain is not checked, only the signature. */
  readonly trustedRoots: readonly string[];
  readonly incidentId: () => string | undefined;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/**
 * Seals a small generated PDF through the app's public route with the app's current function key
 * (so it proves the new keys work), then verifies the seal: byte range, digest and CMS signature,
 * and the chain when trusted roots are given.
 */
export function testSeal(options: TestSealOptions): RunbookStep {
  const { control, endpoint, sealFunction, clock = () => new Date() } = options;
  return {
    action: 'test-seal',
    target: sealFunction,
    kind: 'check',
    summary: `seal a generated PDF through ${sealFunction} with the current function key and verify it`,
    inspect: () => Promise.resolve({ done: false, observed: 'not checked yet' }),
    apply: async () => {
      const key = await currentKey(control, sealFunction);
      const sealed = await endpoint.seal(await makeTestPdf(options.incidentId(), clock()), key);
      if (sealed.status !== 200) {
        const code = sealed.errorCode === undefined ? '' : ` ${sealed.errorCode}`;
        throw new RecoveryCheckFailedError(
          'test seal',
          `seal-pdf answered ${sealed.status}${code}`,
        );
      }
      const [signature] = verifyPdfSignatures(sealed.body, { trustedRoots: options.trustedRoots });
      const checks = Object.entries(signature?.checks ?? {}) as [string, VerificationCheck][];
      const failed = checks
        .filter(
          ([check, result]) =>
            result.status === 'failed' && isRequired(check, options.trustedRoots),
        )
        .map(([check]) => check);
      if (signature === undefined || failed.length > 0) {
        const what =
          signature === undefined ? 'no signature' : `failed checks: ${failed.join(', ')}`;
        throw new RecoveryCheckFailedError('test seal', `the sealed PDF does not verify (${what})`);
      }
    },
  };
}

async function currentKey(control: AppControl, sealFunction: string): Promise<string> {
  const functionKeys = await control.listFunctionKeys(sealFunction);
  const hostKeys = await control.listHostKeys();
  const key =
    functionKeys.default ??
    hostKeys.default ??
    Object.values(functionKeys)[0] ??
    Object.values(hostKeys)[0];
  if (key === undefined) {
    throw new RecoveryCheckFailedError(
      'test seal',
      `${sealFunction} has no function key to call it with`,
    );
  }
  return key;
}

// Without trusted roots the chain cannot pass; everything else must.
function isRequired(check: string, trustedRoots: readonly string[]): boolean {
  return check !== 'certificateChain' || trustedRoots.length > 0;
}

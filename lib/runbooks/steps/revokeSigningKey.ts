import type { ContainmentJournal } from '../ContainmentJournal.js';
import type { RunbookStep } from '../RunbookStep.js';
import type { SigningKeyRevoker } from '../SigningKeyRevoker.js';

/** Revokes the signing key at the signing service, so it is useless even outside this app. */
export function revokeSigningKey(
  revoker: SigningKeyRevoker,
  journal: ContainmentJournal,
  keyId: string,
): RunbookStep {
  return {
    action: 'revoke-signing-key',
    target: keyId,
    kind: 'change',
    summary: `revoke key ${keyId} at the signing service`,
    inspect: async () => {
      const revoked = await revoker.isRevoked(keyId);
      return {
        done: revoked === true,
        observed: revoked === undefined ? 'unknown to the provider' : revoked ? 'revoked' : 'live',
      };
    },
    apply: async () => {
      await journal.record({ kind: 'signing-key-revoked', target: keyId });
      await revoker.revoke(keyId);
    },
  };
}

import { validSigningKeyVersions } from '../../credentials/signingKeySecret.js';
import type { ContainmentJournal } from '../ContainmentJournal.js';
import type { RunbookStep } from '../RunbookStep.js';
import type { SigningKeyAccess } from '../SigningKeyAccess.js';

/**
 * Emergency rotation of the signing key through the rotation engine: a new key, tested with a real
 * signing call and published. Done once Key Vault holds a valid key that is none of the replaced
 * ones and was written after the incident opened, whoever wrote it (the timer may have beaten us).
 */
export function rotateSigningKey(
  access: SigningKeyAccess,
  journal: ContainmentJournal,
  request: { rotationId: string; replacedKeyIds: readonly string[]; clock?: () => Date },
): RunbookStep {
  const { rotationId, replacedKeyIds, clock = () => new Date() } = request;
  const record = () =>
    journal.record({
      kind: 'signing-key-rotated',
      target: rotationId,
      replacedKeyIds: [...replacedKeyIds],
    });

  return {
    action: 'rotate-signing-key',
    target: rotationId,
    kind: 'change',
    summary:
      'obtain, test and publish a new signing key now' +
      (replacedKeyIds.length > 0 ? ` to replace ${replacedKeyIds.join(', ')}` : ''),
    inspect: async () => {
      const openedAt = Date.parse(journal.open?.openedAt ?? journal.latest?.openedAt ?? '');
      const fresh = validSigningKeyVersions(
        await access.store.listVersions(access.secretName),
        clock(),
      ).find(
        (version) =>
          !replacedKeyIds.includes(version.keyId) &&
          (version.createdOn?.getTime() ?? 0) >= (Number.isNaN(openedAt) ? 0 : openedAt) - 1000,
      );
      return {
        done: fresh !== undefined,
        observed: fresh
          ? `new key ${fresh.keyId} valid`
          : 'no key issued since the incident opened',
      };
    },
    apply: async () => {
      if (access.rotation === undefined) return;
      await access.rotation.rotateNow({ rotationId, reason: `incident recovery ${rotationId}` });
      await record();
    },
    settle: record,
  };
}

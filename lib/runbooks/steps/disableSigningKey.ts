import type { SecretStore } from '../../credentials/SecretStore.js';
import { signingKeyTags } from '../../credentials/signingKeySecret.js';
import type { ContainmentJournal } from '../ContainmentJournal.js';
import type { RunbookStep } from '../RunbookStep.js';

/**
 * Disables every Key Vault version of the signing-key secret that holds `keyId`. The app stops
 * choosing the key when it next reads the vault (`KEY_VAULT_CACHE_SECONDS`); other valid keys keep
 * sealing. Disabled versions stay in the vault as evidence; nothing is deleted.
 */
export function disableSigningKey(
  store: SecretStore,
  secretName: string,
  journal: ContainmentJournal,
  keyId: string,
): RunbookStep {
  const versionsOfKey = async () =>
    (await store.listVersions(secretName)).filter(
      (version) => version.tags?.[signingKeyTags.keyId] === keyId,
    );

  return {
    action: 'disable-signing-key',
    target: keyId,
    kind: 'change',
    summary: `disable the Key Vault version(s) of secret ${secretName} holding key ${keyId}`,
    inspect: async () => {
      const versions = await versionsOfKey();
      const enabled = versions.filter((version) => version.enabled !== false);
      return {
        done: enabled.length === 0,
        observed:
          versions.length === 0
            ? 'no version holds this key'
            : `${enabled.length} of ${versions.length} version(s) enabled`,
      };
    },
    apply: async () => {
      const versions = await versionsOfKey();
      await journal.record({
        kind: 'signing-key-disabled',
        target: keyId,
        secretVersions: versions.map((version) => version.version ?? ''),
      });
      for (const version of versions) {
        if (version.enabled !== false && version.version !== undefined) {
          await store.setVersionEnabled(secretName, version.version, false);
        }
      }
    },
  };
}

import type { AppControl } from '../../appcontrol/AppControl.js';
import { functionKeySecretName, functionKeyTags } from '../../credentials/functionKeySecret.js';
import type { SecretVersionProperties } from '../../credentials/signingKeySecret.js';
import type { SecretStore } from '../../credentials/SecretStore.js';
import type { ContainmentJournal } from '../ContainmentJournal.js';
import { findAction } from '../ContainmentRecord.js';
import { functionKeyFingerprint, newFunctionKeyValue } from '../functionKeyFingerprint.js';
import type { RunbookStep } from '../RunbookStep.js';

/** Which key: one function's key, or a host key (valid for every function). */
export type KeyScope = { readonly functionName: string } | { readonly host: true };

/** `function:<fn>/<key>` or `host/<key>`: how records and reports name a key. */
export function keyTarget(scope: KeyScope, keyName: string): string {
  return 'host' in scope ? `host/${keyName}` : `function:${scope.functionName}/${keyName}`;
}

/**
 * Revokes a function or host key by giving it a new value under the same name, so callers update
 * one value. The new value is made here and its fingerprint recorded before it is set; the step is
 * done once the live key has the fingerprint this incident recorded, so running it again (or after
 * an interruption) does not replace the key a second time. New values are never printed: read them
 * from the app (`az functionapp function keys list`, or the local stack's state).
 *
 * A function key that the rotation publishes to callers (`callers-a`, `callers-b`, each in its
 * Key Vault secret) gets its new value published there too when `callerSecrets` is given, so
 * callers that read the secret follow the replacement and the rotation sees the key it expects.
 */
export function replaceKey(
  control: AppControl,
  journal: ContainmentJournal,
  scope: KeyScope,
  keyName: string,
  callerSecrets?: SecretStore,
): RunbookStep {
  const target = keyTarget(scope, keyName);
  const list = () =>
    'host' in scope ? control.listHostKeys() : control.listFunctionKeys(scope.functionName);
  const secretName =
    'host' in scope || !callerSecrets
      ? undefined
      : functionKeySecretName(scope.functionName, keyName);
  /** The secret's enabled versions, newest first; none when the key has no callers' secret. */
  const enabledVersions = async (): Promise<SecretVersionProperties[]> => {
    if (!secretName || !callerSecrets) return [];
    const versions = await callerSecrets.listVersions(secretName);
    return versions
      .filter((version) => version.enabled !== false)
      .sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0));
  };
  /** The fingerprint callers read from the key's secret; undefined when the key has no secret. */
  const publishedFingerprint = async (): Promise<string | undefined> => {
    const [newest] = await enabledVersions();
    return newest === undefined ? undefined : (newest.tags?.[functionKeyTags.fingerprint] ?? '');
  };

  return {
    action: 'replace-key',
    target,
    kind: 'change',
    summary: `give ${'host' in scope ? 'host' : 'function'} key '${keyName}' a new value; the old one stops working`,
    inspect: async () => {
      const value = (await list())[keyName];
      if (value === undefined) return { done: true, observed: 'key absent' };
      const fingerprint = functionKeyFingerprint(value);
      const recorded = findAction(journal.open, 'key-replaced', target);
      const replaced = recorded?.liftedAt === undefined && recorded?.newFingerprint === fingerprint;
      const published = await publishedFingerprint();
      const callersBehind = published !== undefined && published !== fingerprint;
      return {
        done: replaced && !callersBehind,
        observed:
          `${replaced ? 'replaced in this incident' : 'in use'}, fingerprint ${fingerprint}` +
          (callersBehind ? `; the callers' secret still holds ${published}` : ''),
      };
    },
    apply: async () => {
      const current = (await list())[keyName];
      const recorded = findAction(journal.open, 'key-replaced', target);
      if (
        current !== undefined &&
        recorded?.liftedAt === undefined &&
        recorded?.newFingerprint === functionKeyFingerprint(current)
      ) {
        // Replaced by an interrupted run; only the callers' secret is behind.
        return publishToCallers(current);
      }
      const value = newFunctionKeyValue();
      const newFingerprint = functionKeyFingerprint(value);
      const revokedFingerprint = current === undefined ? 'absent' : functionKeyFingerprint(current);
      await journal.record(
        { kind: 'key-replaced', target, revokedFingerprint, newFingerprint },
        (existing) => ({
          kind: 'key-replaced',
          target,
          // The first fingerprint recorded is the compromised one; a retry keeps it.
          revokedFingerprint:
            existing.kind === 'key-replaced' ? existing.revokedFingerprint : revokedFingerprint,
          newFingerprint,
        }),
      );
      if ('host' in scope) await control.setHostKey(keyName, value);
      else await control.setFunctionKey(scope.functionName, keyName, value);
      await publishToCallers(value);
    },
  };

  /** Writes the new value as the secret's latest version and disables the versions before it. */
  async function publishToCallers(value: string): Promise<void> {
    const previous = await enabledVersions();
    const [newest] = previous;
    if (!secretName || !callerSecrets || 'host' in scope || newest === undefined) return;
    await callerSecrets.setSecret(secretName, value, {
      tags: {
        [functionKeyTags.functionName]: scope.functionName,
        [functionKeyTags.keyName]: keyName,
        [functionKeyTags.fingerprint]: functionKeyFingerprint(value),
        [functionKeyTags.rotationId]: `incident:${journal.open?.incidentId ?? 'unknown'}`,
      },
      ...(newest.expiresOn ? { expiresOn: newest.expiresOn } : {}),
      contentType: 'text/plain',
    });
    for (const version of previous) {
      if (version.version)
        await callerSecrets.setVersionEnabled(secretName, version.version, false);
    }
  }
}

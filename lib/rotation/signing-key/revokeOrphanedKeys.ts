import type { StepContext } from '../CredentialDriver.js';
import type { ProviderKeyApi } from './ProviderKeyApi.js';

/** How far a provider's creation time may sit from the recorded intent: clock skew and the call. */
const intentWindowMs = { before: 2 * 60 * 1000, after: 5 * 60 * 1000 };

/**
 * Revokes keys the provider issued for an earlier attempt of this rotation that stopped before the
 * key was stored: created close to a recorded intent, not revoked, and stored nowhere. Their secret
 * is lost, so revoking them is the only way to make sure no key is left live twice.
 *
 * NOTE: a key someone else creates at the same provider within minutes of an intent would be taken
 * for an orphan; the provider API has no idempotency key or owner tag to tell them apart.
 */
export async function revokeOrphanedKeys(
  context: StepContext,
  provider: ProviderKeyApi,
  knownKeyIds: () => Promise<Set<string>>,
): Promise<void> {
  const intents = context.rotation.issueIntents.map((intent) => Date.parse(intent));
  const known = await knownKeyIds();
  const previous = new Set(context.rotation.previous.map(({ keyId }) => keyId));
  for (const key of await provider.list()) {
    if (key.revoked || known.has(key.keyId) || previous.has(key.keyId)) continue;
    const created = key.createdAt?.getTime();
    if (created === undefined) continue;
    const nearIntent = intents.some(
      (intent) =>
        created >= intent - intentWindowMs.before && created <= intent + intentWindowMs.after,
    );
    if (!nearIntent) continue;
    await provider.revoke(key.keyId);
    context.audit(
      'revoke',
      'success',
      key.keyId,
      'issued by an interrupted attempt and never stored',
    );
  }
}

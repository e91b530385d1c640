import type { AppControl } from '../../appcontrol/AppControl.js';
import { signingKeyTags, validSigningKeyVersions } from '../../credentials/signingKeySecret.js';
import type { AddressRange } from '../AddressRange.js';
import { blockRuleName, denyPriorityFor, denyRuleFor } from '../blockRules.js';
import type { ContainmentJournal } from '../ContainmentJournal.js';
import { findAction } from '../ContainmentRecord.js';
import type { Refusal, RunbookPlan } from '../RunbookPlan.js';
import type { RunbookStep } from '../RunbookStep.js';
import type { SigningKeyAccess } from '../SigningKeyAccess.js';
import { blockAddress } from '../steps/blockAddress.js';
import { disableFunction } from '../steps/disableFunction.js';
import { disableSigningKey } from '../steps/disableSigningKey.js';
import { refreshKeyVaultReferences } from '../steps/refreshKeyVaultReferences.js';
import { replaceKey } from '../steps/replaceKey.js';
import { revokeSigningKey } from '../steps/revokeSigningKey.js';
import { stopApp } from '../steps/stopApp.js';

/** What the responder asked `contain` to do; checked at the command line. */
export interface ContainRequest {
  /** Ranges to deny, parsed. */
  readonly block: readonly AddressRange[];
  /** Stop the whole app. */
  readonly stopApp: boolean;
  /** Disable only the seal function. */
  readonly disableSeal: boolean;
  /** Give every function key of the seal function and every host key a new value. */
  readonly replaceKeys: boolean;
  /** The key ID of a compromised signing key to disable. */
  readonly disableSigningKey?: string;
  /** The addresses the responder calls from; a block containing one is refused. */
  readonly responderAddresses: readonly string[];
  /** Block even a range containing a responder address (`--allow-self-block`). */
  readonly allowSelfBlock: boolean;
  /** Disable even the last valid signing key (`--force`). */
  readonly force: boolean;
}

/** What `planContain` reads and acts through. */
export interface ContainContext {
  readonly app: string;
  readonly sealFunction: string;
  readonly control: AppControl;
  readonly journal: ContainmentJournal;
  /** Absent when the target has no Key Vault configured. */
  readonly signingKeys?: SigningKeyAccess;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/**
 * Plans containment from the request and the live state: block addresses first (it stops an
 * attacker at once and costs legitimate callers nothing), then take the seal function or the app
 * offline, replace function keys, and disable the compromised signing key. Guard rails become
 * refusals, which stop the whole run before any change.
 */
export async function planContain(
  request: ContainRequest,
  context: ContainContext,
): Promise<RunbookPlan> {
  const { app, control, journal } = context;
  const steps: RunbookStep[] = [];
  const refusals: Refusal[] = [];
  const manualActions: string[] = [];

  await planBlocks(request, context, steps, refusals);
  if (request.disableSeal) steps.push(disableFunction(control, journal, context.sealFunction));
  if (request.stopApp) steps.push(stopApp(control, journal, app));
  if (request.replaceKeys) {
    for (const keyName of Object.keys(await control.listFunctionKeys(context.sealFunction))) {
      steps.push(
        replaceKey(
          control,
          journal,
          { functionName: context.sealFunction },
          keyName,
          context.signingKeys?.store,
        ),
      );
    }
    for (const keyName of Object.keys(await control.listHostKeys())) {
      steps.push(replaceKey(control, journal, { host: true }, keyName));
    }
    manualActions.push(
      'Give legitimate callers the new function keys (never over the channel that leaked). ' +
        'The master key is not replaced here: if it leaked, replace it by hand.',
    );
  }
  if (request.disableSigningKey !== undefined) {
    await planSigningKey(request.disableSigningKey, request.force, context, {
      steps,
      refusals,
      manualActions,
    });
  }
  return { runbook: 'contain', steps, refusals, manualActions };
}

async function planBlocks(
  request: ContainRequest,
  context: ContainContext,
  steps: RunbookStep[],
  refusals: Refusal[],
): Promise<void> {
  const rules = await context.control.getAccessRules();
  const taken = new Set<number>();
  for (const range of request.block) {
    const own = request.responderAddresses.find((address) => range.contains(address));
    if (own !== undefined && !request.allowSelfBlock) {
      refusals.push({
        action: 'block-address',
        target: range.cidr,
        reason:
          `${range.cidr} contains ${own}, the address you are calling from; blocking it would ` +
          'lock you out of the app. Narrow the range, or pass --allow-self-block to block it anyway.',
      });
      continue;
    }
    const recorded = findAction(context.journal.open, 'address-blocked', range.cidr);
    const priority =
      recorded?.priority ??
      denyRuleFor(rules, range)?.priority ??
      denyPriorityFor(rules, range, taken);
    if (priority === undefined) {
      refusals.push({
        action: 'block-address',
        target: range.cidr,
        reason:
          `every priority below the Allow rule that covers ${range.cidr} is taken, so a Deny rule ` +
          'would never be reached; free a priority or remove that Allow rule first.',
      });
      continue;
    }
    taken.add(priority);
    const ruleName = recorded?.ruleName ?? blockRuleName(range);
    steps.push(blockAddress(context.control, context.journal, { range, ruleName, priority }));
  }
}

async function planSigningKey(
  keyId: string,
  force: boolean,
  context: ContainContext,
  plan: { steps: RunbookStep[]; refusals: Refusal[]; manualActions: string[] },
): Promise<void> {
  const access = context.signingKeys;
  if (access === undefined) {
    plan.refusals.push({
      action: 'disable-signing-key',
      target: keyId,
      reason:
        'this target has no Key Vault configured, so the key cannot be disabled here; pass ' +
        '--vault-url (Azure) or start the local stack with its Key Vault.',
    });
    return;
  }

  const versions = await access.store.listVersions(access.secretName);
  const ofKey = versions.filter((version) => version.tags?.[signingKeyTags.keyId] === keyId);
  const now = (context.clock ?? (() => new Date()))();
  const othersValid = validSigningKeyVersions(versions, now).filter((v) => v.keyId !== keyId);
  const alreadyDisabled = ofKey.length > 0 && ofKey.every((version) => version.enabled === false);
  if (ofKey.length === 0) {
    plan.refusals.push({
      action: 'disable-signing-key',
      target: keyId,
      reason: `no version of secret ${access.secretName} holds key ID ${keyId}; check the key ID with 'sealops status'.`,
    });
    return;
  }
  if (othersValid.length === 0 && !force && !alreadyDisabled) {
    plan.refusals.push({
      action: 'disable-signing-key',
      target: keyId,
      reason:
        `key ${keyId} is the last valid signing key: disabling it stops every seal until recover ` +
        'issues a new one. Pass --force to disable it anyway (or stage a new key first).',
    });
    return;
  }

  plan.steps.push(disableSigningKey(access.store, access.secretName, context.journal, keyId));
  if (access.revoker !== undefined) {
    plan.steps.push(revokeSigningKey(access.revoker, context.journal, keyId));
  } else {
    plan.manualActions.push(
      `Revoke key ${keyId} in the signing provider's portal: it offers no API for it, so sealops ` +
        'cannot. Until then the key works for anyone who holds it, outside this app.',
    );
  }
  if (access.refreshesReferences)
    plan.steps.push(refreshKeyVaultReferences(context.control, context.app));
  plan.manualActions.push(
    `The app stops choosing key ${keyId} when it next reads Key Vault (KEY_VAULT_CACHE_SECONDS, ` +
      `default 5 minutes)${access.revoker ? '; the provider refuses it at once' : ''}. ` +
      (othersValid.length > 0
        ? `Sealing continues with key ${othersValid[0]?.keyId ?? ''}.`
        : 'No other valid key remains: sealing stops until recover.'),
  );
}

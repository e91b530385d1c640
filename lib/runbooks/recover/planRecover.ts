import type { AppControl } from '../../appcontrol/AppControl.js';
import type { AppEndpoint } from '../AppEndpoint.js';
import { blockRulePrefix } from '../blockRules.js';
import type { ContainmentJournal } from '../ContainmentJournal.js';
import { actionsOf, activeActions } from '../ContainmentRecord.js';
import type { RunbookPlan } from '../RunbookPlan.js';
import type { RunbookStep } from '../RunbookStep.js';
import type { SigningKeyAccess } from '../SigningKeyAccess.js';
import { closeIncident } from '../steps/closeIncident.js';
import { enableFunction } from '../steps/enableFunction.js';
import { healthCheck } from '../steps/healthCheck.js';
import { liftBlock } from '../steps/liftBlock.js';
import { refreshKeyVaultReferences } from '../steps/refreshKeyVaultReferences.js';
import { replaceKey } from '../steps/replaceKey.js';
import { rotateSigningKey } from '../steps/rotateSigningKey.js';
import { startApp } from '../steps/startApp.js';
import { testSeal } from '../steps/testSeal.js';

/** What the responder asked `recover` to do; checked at the command line. */
export interface RecoverRequest {
  /** Keep the incident's address blocks in place (`--keep-blocks`). */
  readonly keepBlocks: boolean;
  /** Also lift blocks that detections added on their own (`--lift-automatic-blocks`). */
  readonly liftAutomaticBlocks: boolean;
  /** Keep the function keys as they are (`--keep-function-keys`). */
  readonly keepFunctionKeys: boolean;
  /** Rotate the signing key even if the incident disabled none (`--rotate-signing-key`). */
  readonly rotateSigningKey: boolean;
  /** Skip the test seal, e.g. where sealing costs money (`--skip-test-seal`). */
  readonly skipTestSeal: boolean;
  /** PEM roots the test seal's chain must lead to; empty: the chain is not checked. */
  readonly trustedRoots: readonly string[];
}

/** What `planRecover` reads and acts through. */
export interface RecoverContext {
  readonly app: string;
  readonly sealFunction: string;
  readonly control: AppControl;
  readonly journal: ContainmentJournal;
  readonly endpoint: AppEndpoint;
  readonly signingKeys?: SigningKeyAccess;
  readonly clock?: () => Date;
}

/**
 * Plans recovery from the open incident: a new signing key when the incident disabled one, new
 * function keys (those containment already replaced stay), the incident's blocks lifted, the seal
 * function and the app back on, then proof from outside (health check, test seal) before the
 * incident is closed. With no open incident only the checks run.
 */
export async function planRecover(
  request: RecoverRequest,
  context: RecoverContext,
): Promise<RunbookPlan> {
  const { app, control, journal } = context;
  const incident = journal.open;
  const steps: RunbookStep[] = [];
  const manualActions: string[] = [];

  if (incident !== undefined) {
    // Actions already lifted stay in the plan: they inspect as done and show as unchanged, so a
    // run that resumes an interrupted one shows the same steps.
    const disabledKeys = actionsOf(incident, 'signing-key-disabled').map((a) => a.target);
    if (disabledKeys.length > 0 || request.rotateSigningKey) {
      if (context.signingKeys?.rotation !== undefined) {
        steps.push(
          rotateSigningKey(context.signingKeys, journal, {
            rotationId: `${incident.incidentId}-recover`,
            replacedKeyIds: disabledKeys,
            ...(context.clock ? { clock: context.clock } : {}),
          }),
        );
      } else {
        manualActions.push(
          'Issue a new signing key and publish it (sealops keys): this target has no rotation ' +
            'engine wired for an emergency rotation.',
        );
      }
    }
    if (!request.keepFunctionKeys) {
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
    }
    if (!request.keepBlocks) {
      for (const block of actionsOf(incident, 'address-blocked')) {
        steps.push(liftBlock(control, journal, { cidr: block.target, ruleName: block.ruleName }));
      }
    } else if (activeActions(incident, 'address-blocked').length > 0) {
      manualActions.push(
        "The incident's address blocks stay (--keep-blocks); 'sealops status' lists them.",
      );
    }
    for (const disabled of actionsOf(incident, 'function-disabled')) {
      steps.push(enableFunction(control, journal, disabled.target));
    }
    for (const stopped of actionsOf(incident, 'app-stopped')) {
      if (stopped.previousState === 'Running') steps.push(startApp(control, journal, app));
    }
    if (context.signingKeys?.refreshesReferences === true && disabledKeys.length > 0) {
      steps.push(refreshKeyVaultReferences(control, app));
    }
  }

  if (request.liftAutomaticBlocks) {
    const recorded = new Set(actionsOf(incident, 'address-blocked').map((a) => a.ruleName));
    for (const rule of await control.getAccessRules()) {
      if (
        rule.action === 'Deny' &&
        rule.name.startsWith(blockRulePrefix) &&
        !recorded.has(rule.name)
      ) {
        steps.push(liftBlock(control, journal, { cidr: rule.ipAddress, ruleName: rule.name }));
      }
    }
  }

  steps.push(healthCheck(context.endpoint, app));
  if (!request.skipTestSeal) {
    steps.push(
      testSeal({
        control,
        endpoint: context.endpoint,
        sealFunction: context.sealFunction,
        trustedRoots: request.trustedRoots,
        incidentId: () => journal.open?.incidentId ?? journal.latest?.incidentId,
        ...(context.clock ? { clock: context.clock } : {}),
      }),
    );
  }
  if (incident !== undefined) steps.push(closeIncident(journal, app));
  else manualActions.push(noIncidentNote(journal));

  return { runbook: 'recover', steps, refusals: [], manualActions };
}

function noIncidentNote(journal: ContainmentJournal): string {
  const latest = journal.latest;
  return latest === undefined
    ? 'No incident is recorded for this app: only the checks run.'
    : `Incident ${latest.incidentId} was closed at ${latest.closedAt ?? '?'} by ` +
        `${latest.closedBy ?? '?'}: nothing to lift, only the checks run.`;
}

import type { Outcome, RotationAlertEvent } from '../telemetry/events.js';
import type { TelemetrySink } from '../telemetry/TelemetrySink.js';
import type { CredentialDriver, KeyInventory, StepContext } from './CredentialDriver.js';
import { decideNextAction, type NextAction } from './decideNextAction.js';
import { describeFailure } from './describeFailure.js';
import { RotationLeaseLostError } from './errors/RotationLeaseLostError.js';
import { RotationStateConflictError } from './errors/RotationStateConflictError.js';
import { omitFields } from './omitFields.js';
import { performStep, stoppedAlert } from './performStep.js';
import { raiseDueAlerts } from './raiseDueAlerts.js';
import { retryDelay } from './RotationPolicy.js';
import type { RotationRecord, RotationState } from './RotationState.js';
import type { LeasedRotationState } from './RotationStateStore.js';

/** One audited event of a run, as `RotationStep` carries it. */
export interface RunStep {
  readonly step: string;
  readonly outcome: Outcome | 'skipped';
  readonly keyId?: string;
  readonly reason?: string;
  readonly attempt?: number;
}

/** How a run of one credential ended. */
export interface CredentialRun {
  readonly credential: string;
  /**
   * `not-due`: nothing to do yet; `busy`: another run holds the lease; `waiting`: done what it
   * could, the rotation waits (for the overlap, evidence or an operator); `idle`: nothing in flight;
   * `failed`: a step failed and is retried later; `stopped`: automation stopped, a person must act.
   */
  readonly outcome: 'not-due' | 'busy' | 'waiting' | 'idle' | 'failed' | 'stopped';
  /** Where the credential stands after the run; `unknown` when its state could not be read. */
  readonly phase: RotationState['phase'] | 'unknown';
  readonly steps: readonly RunStep[];
  readonly alerts: readonly RotationAlertEvent[];
  readonly nextCheckAt?: string;
  /** One sentence on where the credential stands after the run. */
  readonly message: string;
}

/** What one run needs from the engine. */
export interface RunEnvironment {
  readonly driver: CredentialDriver;
  readonly lease: LeasedRotationState;
  readonly telemetry: TelemetrySink;
  readonly clock: () => Date;
  readonly maxSteps: number;
  readonly checkpoint: (name: string) => Promise<void>;
  readonly stageHint: string;
  readonly resume: boolean;
  /** Start a rotation now if none is in flight, tagged with this request ID. */
  readonly startNow?: { readonly requestId?: string };
}

/**
 * One run of one credential under its lease: decide, perform a step, save with compare-and-swap,
 * repeat until the rotation has to wait. A failed step is recorded with its backoff, or stops
 * automation with a critical alert once it has failed `maxAttempts` times in a row.
 */
export class RotationRun {
  readonly #env: RunEnvironment;
  readonly #steps: RunStep[] = [];
  readonly #alerts: RotationAlertEvent[] = [];
  #state!: RotationState;
  #etag: string | undefined;

  constructor(env: RunEnvironment) {
    this.#env = env;
  }

  async execute(): Promise<CredentialRun> {
    const { driver, lease, maxSteps } = this.#env;
    ({ state: this.#state, etag: this.#etag } = await lease.read());
    if (this.#env.resume && (this.#state.stopped || this.#state.failure)) {
      await this.#write(omitFields(this.#state, 'stopped', 'failure', 'nextCheckAt'));
      this.#audit('resume', 'success', undefined, 'automation resumed by an operator');
    }

    let outcome: CredentialRun['outcome'] = 'waiting';
    for (let step = 0; step < maxSteps; step += 1) {
      // The lease was taken just before the first step; later steps extend it.
      if (step > 0) await lease.renew();
      const now = this.#env.clock();
      let inventory: KeyInventory;
      let staged = false;
      try {
        inventory = await driver.inventory(now);
        if (this.#state.phase === 'idle' && driver.issuance === 'operator') {
          const current = inventory.valid.map(({ keyId }) => keyId);
          staged = (await driver.findStaged(now, current)) !== undefined;
        }
      } catch (error) {
        outcome = await this.#recordFailure('inspect', error, now);
        break;
      }
      await this.#raiseAlerts(inventory, now);

      const startNow =
        this.#env.startNow !== undefined &&
        this.#state.phase === 'idle' &&
        this.#state.stopped === undefined &&
        step === 0;
      const action: NextAction = startNow
        ? { kind: 'step', step: 'start', reason: 'manual' }
        : decideNextAction({ policy: driver.policy, state: this.#state, inventory, now, staged });
      const next = await this.#act(action, inventory, now);
      if (next !== 'continue') {
        outcome = next;
        break;
      }
    }
    return this.#result(outcome);
  }

  async #act(
    action: NextAction,
    inventory: KeyInventory,
    now: Date,
  ): Promise<CredentialRun['outcome'] | 'continue'> {
    const { driver } = this.#env;
    switch (action.kind) {
      case 'stopped': {
        // Repeated daily while stopped: a stopped rotation must never go quiet.
        this.#alert(stoppedAlert(driver.credential, action.step, action.reason, this.#previous()));
        const nextCheckAt = new Date(now.getTime() + driver.policy.idleCheckMs).toISOString();
        await this.#write({ ...this.#state, nextCheckAt });
        return 'stopped';
      }
      case 'wait':
        await this.#write({ ...this.#state, nextCheckAt: action.until.toISOString() });
        return this.#state.failure ? 'failed' : 'waiting';
      case 'check':
        this.#audit('check', 'skipped', inventory.valid[0]?.keyId, action.reason);
        await this.#write({ ...this.#state, nextCheckAt: action.until.toISOString() });
        return 'idle';
      case 'step':
        break;
    }

    await this.#env.checkpoint(`${action.step}:before`);
    try {
      const result = await performStep(action.step, {
        driver,
        context: this.#context(now),
        inventory,
        now,
        ...(action.step === 'start' ? { startReason: action.reason } : {}),
        ...(this.#env.startNow?.requestId ? { startRequestId: this.#env.startNow.requestId } : {}),
        alert: (event) => this.#alert(event),
      });
      await this.#write(result.state);
      await this.#env.checkpoint(`${action.step}:saved`);
      if (result.state.stopped) return 'stopped';
      return result.continue ? 'continue' : 'waiting';
    } catch (error) {
      if (error instanceof RotationStateConflictError || error instanceof RotationLeaseLostError) {
        throw error;
      }
      return this.#recordFailure(action.step, error, now);
    }
  }

  async #recordFailure(step: string, error: unknown, now: Date): Promise<CredentialRun['outcome']> {
    const { driver } = this.#env;
    const { reason, code } = describeFailure(error);
    const attempts = (this.#state.failure?.step === step ? this.#state.failure.attempts : 0) + 1;
    const keyId = this.#state.rotation?.candidate?.keyId ?? this.#previous()[0]?.keyId;
    this.#audit(step, 'failure', keyId, reason, attempts);

    if (attempts >= driver.policy.maxAttempts) {
      const stopReason = `${attempts} attempts failed; the last: ${reason}`;
      this.#alert(stoppedAlert(driver.credential, step, stopReason, this.#previous()));
      await this.#write({
        ...omitFields(this.#state, 'failure'),
        stopped: { step, reason: stopReason, at: now.toISOString() },
        nextCheckAt: new Date(now.getTime() + driver.policy.idleCheckMs).toISOString(),
      });
      return 'stopped';
    }
    const retryAt = new Date(now.getTime() + retryDelay(driver.policy, attempts)).toISOString();
    await this.#write({
      ...this.#state,
      failure: {
        step,
        attempts,
        reason,
        ...(code ? { code } : {}),
        at: now.toISOString(),
        retryAt,
      },
      nextCheckAt: retryAt,
    });
    return 'failed';
  }

  async #raiseAlerts(inventory: KeyInventory, now: Date): Promise<void> {
    const { rotation } = this.#state;
    if (rotation === undefined || this.#state.stopped) return;
    const { driver } = this.#env;
    const due = raiseDueAlerts({
      credential: driver.credential,
      policy: driver.policy,
      issuance: driver.issuance,
      rotation,
      inventory,
      now,
      stageHint: this.#env.stageHint,
    });
    for (const alert of due.alerts) this.#alert(alert);
    if (due.alerted.length > 0) {
      await this.#write({
        ...this.#state,
        rotation: { ...rotation, alerted: [...rotation.alerted, ...due.alerted] },
      });
    }
  }

  #context(now: Date): StepContext {
    // Getters, so that a step always sees the state as last saved, also after its own saves.
    const current = () => this.#state;
    const rotation = (): RotationRecord => {
      const { rotation: inFlight } = current();
      if (inFlight === undefined) throw new Error('No rotation is in flight.');
      return inFlight;
    };
    return {
      now,
      get state() {
        return current();
      },
      get rotation() {
        return rotation();
      },
      save: async (patch) => {
        const inFlight = rotation();
        await this.#env.lease.renew();
        await this.#write({ ...current(), rotation: { ...inFlight, ...patch } });
      },
      checkpoint: (name) => this.#env.checkpoint(name),
      audit: (step, outcome, keyId, reason) => this.#audit(step, outcome, keyId, reason),
    };
  }

  async #write(state: RotationState): Promise<void> {
    const stamped = { ...state, lastRunAt: this.#env.clock().toISOString() };
    this.#etag = await this.#env.lease.write(stamped, this.#etag);
    this.#state = stamped;
  }

  #previous() {
    return this.#state.rotation?.previous ?? [];
  }

  #audit(
    step: string,
    outcome: Outcome | 'skipped',
    keyId?: string,
    reason?: string,
    attempt?: number,
  ): void {
    const entry: RunStep = {
      step,
      outcome,
      ...(keyId === undefined ? {} : { keyId }),
      ...(reason === undefined ? {} : { reason }),
      ...(attempt === undefined ? {} : { attempt }),
    };
    this.#steps.push(entry);
    this.#env.telemetry.emit({
      name: 'RotationStep',
      credential: this.#env.driver.credential,
      ...entry,
    });
  }

  #alert(event: RotationAlertEvent): void {
    this.#alerts.push(event);
    this.#env.telemetry.emit(event);
  }

  #result(outcome: CredentialRun['outcome']): CredentialRun {
    const state = this.#state;
    return {
      credential: state.credential,
      outcome,
      phase: state.phase,
      steps: this.#steps,
      alerts: this.#alerts,
      ...(state.nextCheckAt ? { nextCheckAt: state.nextCheckAt } : {}),
      message: summarise(outcome, state),
    };
  }
}

function summarise(outcome: CredentialRun['outcome'], state: RotationState): string {
  switch (outcome) {
    case 'stopped':
      return `Automation is stopped at '${state.stopped?.step ?? ''}': ${state.stopped?.reason ?? ''}`;
    case 'failed':
      return `Step '${state.failure?.step ?? ''}' failed (attempt ${state.failure?.attempts ?? 0}), retried at ${state.failure?.retryAt ?? ''}: ${state.failure?.reason ?? ''}`;
    case 'idle':
      return `Nothing in flight; next check ${state.nextCheckAt ?? 'now'}.`;
    default:
      return `Rotation ${state.rotation?.id ?? ''} is ${state.phase}; next check ${state.nextCheckAt ?? 'now'}.`;
  }
}

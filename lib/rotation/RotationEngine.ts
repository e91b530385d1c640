import type { TelemetrySink } from '../telemetry/TelemetrySink.js';
import type { CredentialDriver } from './CredentialDriver.js';
import { decideNextAction } from './decideNextAction.js';
import { describeAction } from './describeAction.js';
import { describeFailure } from './describeFailure.js';
import { RotationAbortRefusedError } from './errors/RotationAbortRefusedError.js';
import { RotationBusyError } from './errors/RotationBusyError.js';
import { UnknownCredentialError } from './errors/UnknownCredentialError.js';
import type { RotationState } from './RotationState.js';
import type { RotationStateStore, LeasedRotationState } from './RotationStateStore.js';
import { RotationRun, type CredentialRun } from './RotationRun.js';
import { credentialStatus, type CredentialStatus } from './credentialStatus.js';

/** Options of {@link RotationEngine}. */
export interface RotationEngineOptions {
  /** The managed credentials. */
  readonly drivers: readonly CredentialDriver[];
  readonly store: RotationStateStore;
  /** Receives every `RotationStep` and `RotationAlert`. */
  readonly telemetry: TelemetrySink;
  /** The engine's notion of now; a simulated clock replays years in seconds. @default () => new Date() */
  readonly clock?: () => Date;
  /** Lease per credential, renewed before every step. @default 60 */
  readonly leaseSeconds?: number;
  /** Steps one run may take per credential before it yields. @default 20 */
  readonly maxStepsPerRun?: number;
  /**
   * Called at every step boundary and at named points inside steps (`obtain:issued`, ...). Tests
   * stop the process there (a promise that never settles) to prove that a new run resumes.
   * @default none
   */
  readonly checkpoint?: (name: string) => Promise<void>;
}

/** Options of {@link RotationEngine.run}. */
export interface RunOptions {
  /** Only this credential. @default every credential */
  readonly credential?: string;
  /** Act even if the credential's next check is not due yet (operator runs). @default false */
  readonly force?: boolean;
  /** Clear a stopped state or a pending backoff and retry at once. @default false */
  readonly resume?: boolean;
  /**
   * Start a rotation now when none is in flight, whatever the expiry (an operator's or an
   * incident's request); `requestId` is recorded on it. Implies `force`. @default undefined
   */
  readonly startNow?: { readonly requestId?: string };
}

/** What {@link RotationEngine.plan} reports per credential: the next action, nothing changed. */
export interface PlannedAction {
  readonly credential: string;
  readonly phase: RotationState['phase'];
  readonly action: string;
  /** When it would run: now, or the time the rotation waits for. */
  readonly at: string;
  readonly detail: string;
}

/**
 * Rotates managed credentials: the timer function and `sealops keys` call it. Per credential it
 * takes the lease, loads the persisted state, and performs steps until the rotation has to wait,
 * saving after each step with compare-and-swap and emitting a `RotationStep` event; see
 * `RotationRun` for failures and `decideNextAction` for the order.
 */
export class RotationEngine {
  readonly #drivers: readonly CredentialDriver[];
  readonly #store: RotationStateStore;
  readonly #telemetry: TelemetrySink;
  readonly #clock: () => Date;
  readonly #leaseSeconds: number;
  readonly #maxSteps: number;
  readonly #checkpoint: (name: string) => Promise<void>;
  /**
   * The next check of each credential as this engine last saw it, so that a tick with nothing due
   * costs no storage call. Only this engine's own runs move it; another process's `stage`, `run`
   * or `abort` acts at once itself, and a new process starts with it empty.
   */
  readonly #nextChecks = new Map<
    string,
    { readonly at: string; readonly phase: RotationState['phase'] }
  >();

  constructor(options: RotationEngineOptions) {
    const {
      clock = () => new Date(),
      leaseSeconds = 60,
      maxStepsPerRun = 20,
      checkpoint = () => Promise.resolve(),
    } = options;
    this.#drivers = options.drivers;
    this.#store = options.store;
    this.#telemetry = options.telemetry;
    this.#clock = clock;
    this.#leaseSeconds = leaseSeconds;
    this.#maxSteps = maxStepsPerRun;
    this.#checkpoint = checkpoint;
  }

  /** The managed credentials' names. */
  get credentials(): readonly string[] {
    return this.#drivers.map(({ credential }) => credential);
  }

  /** Runs what is due, credential by credential; one credential's failure never stops the next. */
  async run(options: RunOptions = {}): Promise<CredentialRun[]> {
    const results: CredentialRun[] = [];
    for (const driver of this.#select(options.credential)) {
      results.push(await this.#runOne(driver, options));
    }
    return results;
  }

  /** What the next run would do per credential, changing nothing. */
  async plan(credential?: string): Promise<PlannedAction[]> {
    const plans: PlannedAction[] = [];
    for (const driver of this.#select(credential)) {
      const { state, next } = await this.#observe(driver);
      plans.push({ credential: driver.credential, phase: state.phase, ...next });
    }
    return plans;
  }

  /** Per credential: the valid keys, the rotation in flight, and the next action with its date. */
  async status(credential?: string): Promise<CredentialStatus[]> {
    const statuses: CredentialStatus[] = [];
    for (const driver of this.#select(credential)) {
      statuses.push(credentialStatus({ driver, ...(await this.#observe(driver)) }));
    }
    return statuses;
  }

  /**
   * Abandons the rotation in flight before its key is published: the candidate is discarded
   * (revoked at the provider where the engine obtained it), a stopped state is cleared, and the
   * credential is checked again after `idleCheckMs`. Throws `RotationAbortRefusedError` once the
   * new key is published (it is live; let the rotation finish), `RotationBusyError` while another
   * run holds the lease.
   */
  async abort(credential: string, reason: string): Promise<CredentialRun> {
    const driver = this.#driver(credential);
    this.#nextChecks.delete(credential);
    return this.#withLease(driver, async (lease) => {
      const { state, etag } = await lease.read();
      const now = this.#clock();
      const { rotation } = state;
      if (rotation?.publishedAt !== undefined) {
        throw new RotationAbortRefusedError(
          credential,
          rotation.candidate?.keyId ?? '',
          'published',
        );
      }
      if (rotation === undefined && state.stopped === undefined && state.failure === undefined) {
        throw new RotationAbortRefusedError(credential, '', 'idle');
      }
      const steps: CredentialRun['steps'][number][] = [];
      if (rotation?.candidate !== undefined) {
        await driver.discard(
          {
            now,
            state,
            rotation,
            save: () => Promise.resolve(),
            checkpoint: () => Promise.resolve(),
            audit: () => undefined,
          },
          rotation.candidate,
        );
      }
      const keyId = rotation?.candidate?.keyId;
      const step = {
        step: 'abort',
        outcome: 'success' as const,
        ...(keyId ? { keyId } : {}),
        reason,
      };
      steps.push(step);
      this.#telemetry.emit({ name: 'RotationStep', credential, ...step });
      const next: RotationState = {
        schemaVersion: 1,
        credential,
        phase: 'idle',
        completed: state.completed,
        nextCheckAt: new Date(now.getTime() + driver.policy.idleCheckMs).toISOString(),
        lastRunAt: now.toISOString(),
      };
      await lease.write(next, etag);
      return {
        credential,
        outcome: 'idle',
        phase: 'idle',
        steps,
        alerts: [],
        ...(next.nextCheckAt ? { nextCheckAt: next.nextCheckAt } : {}),
        message: `Rotation ${rotation?.id ?? ''} aborted; the next check is ${next.nextCheckAt ?? ''}.`,
      };
    });
  }

  async #runOne(driver: CredentialDriver, options: RunOptions): Promise<CredentialRun> {
    const { credential } = driver;
    try {
      if (!options.force && !options.resume && options.startNow === undefined) {
        const next =
          this.#nextChecks.get(credential) ??
          toNextCheck((await this.#store.read(credential)).state);
        if (next !== undefined && Date.parse(next.at) > this.#clock().getTime()) {
          this.#nextChecks.set(credential, next);
          return {
            credential,
            outcome: 'not-due',
            phase: next.phase,
            steps: [],
            alerts: [],
            nextCheckAt: next.at,
            message: `Nothing due before ${next.at}.`,
          };
        }
      }
      this.#nextChecks.delete(credential);
      const run = await this.#withLease(driver, (lease) =>
        new RotationRun({
          driver,
          lease,
          telemetry: this.#telemetry,
          clock: this.#clock,
          maxSteps: this.#maxSteps,
          checkpoint: this.#checkpoint,
          stageHint: stageHint(driver),
          resume: options.resume ?? false,
          ...(options.startNow ? { startNow: options.startNow } : {}),
        }).execute(),
      );
      if (run.nextCheckAt !== undefined && run.phase !== 'unknown') {
        this.#nextChecks.set(credential, { at: run.nextCheckAt, phase: run.phase });
      }
      return run;
    } catch (error) {
      if (error instanceof RotationBusyError) {
        return {
          credential,
          outcome: 'busy',
          phase: 'unknown',
          steps: [],
          alerts: [],
          message: error.message,
        };
      }
      // The state itself could not be read, leased or written: nothing was recorded, so say it here.
      const { reason } = describeFailure(error);
      const step = { step: 'state', outcome: 'failure' as const, reason };
      this.#telemetry.emit({ name: 'RotationStep', credential, ...step });
      return {
        credential,
        outcome: 'failed',
        phase: 'unknown',
        steps: [step],
        alerts: [],
        message: reason,
      };
    }
  }

  /** Reads a credential's state and keys and decides its next action, changing nothing. */
  async #observe(driver: CredentialDriver) {
    const now = this.#clock();
    const { state } = await this.#store.read(driver.credential);
    const inventory = await driver.inventory(now);
    const current = inventory.valid.map(({ keyId }) => keyId);
    const staged =
      state.phase === 'idle' && driver.issuance === 'operator'
        ? await driver.findStaged(now, current)
        : undefined;
    const action = decideNextAction({
      policy: driver.policy,
      state,
      inventory,
      now,
      staged: staged !== undefined,
    });
    return { state, inventory, staged, next: describeAction(action, driver, state, now) };
  }

  async #withLease<T>(
    driver: CredentialDriver,
    work: (lease: LeasedRotationState) => Promise<T>,
  ): Promise<T> {
    const lease = await this.#store.acquire(driver.credential, this.#leaseSeconds);
    if (lease === undefined) throw new RotationBusyError(driver.credential);
    try {
      return await work(lease);
    } finally {
      await lease.release();
    }
  }

  #select(credential: string | undefined): readonly CredentialDriver[] {
    return credential === undefined ? this.#drivers : [this.#driver(credential)];
  }

  #driver(credential: string): CredentialDriver {
    const driver = this.#drivers.find((candidate) => candidate.credential === credential);
    if (driver === undefined) throw new UnknownCredentialError(credential, this.credentials);
    return driver;
  }
}

function toNextCheck(state: RotationState) {
  return state.nextCheckAt === undefined
    ? undefined
    : { at: state.nextCheckAt, phase: state.phase };
}

function stageHint(driver: CredentialDriver): string {
  return (
    'Issue a new key in the Trusted Signatures portal, then run: sealops keys stage ' +
    `--credential ${driver.credential} --key-id <key ID> --key-file <file holding the hex key> ` +
    '--expires <expiry shown in the portal>.'
  );
}

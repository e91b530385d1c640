import type { TelemetrySink } from '../telemetry/TelemetrySink.js';
import type { AlertWebhook } from './AlertWebhook.js';
import { toAlertWebhookPayload } from './AlertWebhookPayload.js';
import type { Containment } from './Containment.js';
import type { ScheduledDetection } from './DetectionDefinition.js';
import type {
  DetectionRunRecord,
  DetectionState,
  PendingWebhook,
  RunOutcome,
} from './DetectionState.js';
import type { DetectionStateStore, StoredDetectionState } from './DetectionStateStore.js';
import { describeAlert } from './describeAlert.js';
import { DetectionStateConflictError } from './errors/DetectionStateConflictError.js';
import { isDetectionDue } from './isDetectionDue.js';
import { isoDurationToMilliseconds } from './isoDuration.js';
import type { LogQuerySource } from './LogQuerySource.js';
import { runDetection, type DetectionAlert } from './runDetection.js';

/** Where the evaluator reports what it did: the invocation context's log in the timer. */
export type DetectionLog = (level: 'info' | 'warn' | 'error', message: string) => void;

/** Options of {@link evaluateDueDetections}. */
export interface EvaluateDueDetectionsOptions {
  readonly detections: readonly ScheduledDetection[];
  readonly source: LogQuerySource;
  /** The evaluation's instant: what is due, where query ranges end, when windows close. */
  readonly now: Date;
  readonly state: DetectionStateStore;
  /** Receives one `DetectionAlert` event per raised alert. */
  readonly sink: TelemetrySink;
  /** Posts each raised alert; failed posts are kept and tried again on the next run. */
  readonly webhook?: AlertWebhook;
  /** Carries out `automaticContainment` for raised alerts; containment is off without it. */
  readonly containment?: Containment;
  /** @default no logging */
  readonly log?: DetectionLog;
  /** The app's name in webhook posts. @default 'sealops' */
  readonly app?: string;
  /** Compare-and-swap attempts per state write before giving up. @default 5 */
  readonly stateAttempts?: number;
  /** Posts tried per queued webhook before it is dropped (with an error log). @default 60 */
  readonly webhookAttempts?: number;
  /** Most webhook posts kept queued; the oldest are dropped beyond it. @default 200 */
  readonly maxPendingWebhooks?: number;
}

/** One alert the evaluation raised. */
export interface RaisedAlert {
  readonly detection: string;
  /** The alert's `groupBy` values as text, e.g. `ClientIp=203.0.113.7`. */
  readonly alertKey: string;
  readonly rowCount: number;
  readonly partial: boolean;
  readonly summary: string;
}

/** What one evaluation did. */
export interface DetectionEvaluation {
  /** The detections that ran, with how each went and how many of its alerts were suppressed. */
  readonly ran: readonly {
    readonly id: string;
    readonly outcome: RunOutcome;
    readonly alerts: number;
    readonly suppressed: number;
  }[];
  /** The detections whose next slot has not begun. */
  readonly notDue: readonly string[];
  readonly raised: readonly RaisedAlert[];
  readonly webhooks: { readonly delivered: number; readonly queued: number };
}

interface Candidate {
  readonly detection: ScheduledDetection;
  readonly alert: DetectionAlert;
  readonly partial: boolean;
}

/**
 * The alert timer's one pass: runs each detection that is due (see {@link isDetectionDue}),
 * suppresses alerts whose detection and `groupBy` values fired within the detection's
 * `suppression` window, and for every other alert emits a `DetectionAlert` event, queues a
 * webhook post and asks for the detection's automatic containment.
 *
 * Decisions are committed before anything is raised: the run records, suppression windows and
 * queued posts are written to `state` with compare-and-swap, and on a conflict the state is read
 * again and the alerts redecided, so two evaluations at once raise each alert once. A query that
 * fails is logged and retried on the next tick; a partial result raises the alerts its rows show
 * when the trigger is `gt` (more data could only add rows) and is retried on the next tick either
 * way. A failing webhook or containment is logged and never stops the pass.
 *
 * Rejects only when the state store cannot be read or written, or keeps conflicting
 * ({@link DetectionStateConflictError}); nothing is raised then.
 */
export async function evaluateDueDetections(
  options: EvaluateDueDetectionsOptions,
): Promise<DetectionEvaluation> {
  const { detections, now, log = () => undefined } = options;

  const stored = await options.state.read();
  if (stored.problem !== undefined) {
    log('warn', `Detection state reset: ${stored.problem}; alerts may repeat once.`);
  }
  const due = detections.filter((d) => isDetectionDue(d, stored.state.runs[d.id], now));
  const notDue = detections.filter((d) => !due.includes(d)).map((d) => d.id);

  const records: Record<string, DetectionRunRecord> = {};
  const candidates: Candidate[] = [];
  for (const detection of due) {
    const { outcome, alerts } = await runOne(detection, options.source, now, log);
    records[detection.id] = { at: now.toISOString(), outcome };
    candidates.push(...alerts);
  }

  const { raised, committed } = await commitDecisions(options, stored, records, candidates);
  const suppressedBy = new Map<string, number>();
  for (const candidate of candidates) {
    if (!raised.includes(candidate)) {
      suppressedBy.set(candidate.detection.id, (suppressedBy.get(candidate.detection.id) ?? 0) + 1);
    }
  }

  const raisedAlerts = raised.map((candidate) => raise(candidate, options.sink));
  for (const candidate of raised) await contain(candidate, options.containment, log);
  const webhooks = await deliverWebhooks(options, committed, log);

  return {
    ran: due.map((detection) => ({
      id: detection.id,
      outcome: records[detection.id]?.outcome ?? 'failed',
      alerts: raised.filter((candidate) => candidate.detection === detection).length,
      suppressed: suppressedBy.get(detection.id) ?? 0,
    })),
    notDue,
    raised: raisedAlerts,
    webhooks,
  };
}

async function runOne(
  detection: ScheduledDetection,
  source: LogQuerySource,
  now: Date,
  log: DetectionLog,
): Promise<{ outcome: RunOutcome; alerts: Candidate[] }> {
  let run;
  try {
    run = await runDetection(detection, source, { endTime: now });
  } catch (error) {
    log('error', `Detection ${detection.id} could not run: ${describe(error)}`);
    return { outcome: 'failed', alerts: [] };
  }
  if (run.result.status === 'PartialFailure') {
    const { code, message } = run.result.partialError;
    // Missing rows can only hide alerts of a `gt` trigger, never invent one; for the other
    // operators missing rows could make the trigger hold, so nothing is raised.
    const trusted = detection.triggerOperator === 'gt';
    log(
      'warn',
      `Detection ${detection.id} got a partial result (${code}: ${message}); ` +
        `${trusted ? 'raising what its rows show' : 'raising nothing'}, retrying next tick.`,
    );
    const alerts = trusted ? run.alerts.map((alert) => ({ detection, alert, partial: true })) : [];
    return { outcome: 'partial', alerts };
  }
  return {
    outcome: 'success',
    alerts: run.alerts.map((alert) => ({ detection, alert, partial: false })),
  };
}

/**
 * Writes the run records, the windows of the alerts to raise and their queued webhook posts,
 * deciding suppression against the state being replaced. Returns the alerts to raise and the
 * state as written.
 */
async function commitDecisions(
  options: EvaluateDueDetectionsOptions,
  first: StoredDetectionState,
  records: Record<string, DetectionRunRecord>,
  candidates: readonly Candidate[],
): Promise<{ raised: Candidate[]; committed: DetectionState }> {
  const { now, stateAttempts = 5, maxPendingWebhooks = 200, log = () => undefined } = options;
  let base = first;
  for (let attempt = 1; attempt <= stateAttempts; attempt += 1) {
    const suppressedUntil: Record<string, string> = {};
    for (const [key, until] of Object.entries(base.state.suppressedUntil)) {
      if (Date.parse(until) > now.getTime()) suppressedUntil[key] = until;
    }
    const raised: Candidate[] = [];
    const queued: PendingWebhook[] = [];
    for (const candidate of candidates) {
      const key = suppressionKey(candidate);
      if (suppressedUntil[key] !== undefined) continue;
      const window = isoDurationToMilliseconds(candidate.detection.suppression) ?? 0;
      suppressedUntil[key] = new Date(now.getTime() + window).toISOString();
      raised.push(candidate);
      if (options.webhook) queued.push(toPending(candidate, options.app ?? 'sealops', now));
    }

    let pendingWebhooks = [...base.state.pendingWebhooks, ...queued];
    if (options.webhook === undefined && pendingWebhooks.length > 0) {
      log('warn', `Dropped ${pendingWebhooks.length} queued webhook post(s): no webhook is set.`);
      pendingWebhooks = [];
    }
    if (pendingWebhooks.length > maxPendingWebhooks) {
      const dropped = pendingWebhooks.length - maxPendingWebhooks;
      log('error', `Dropped the ${dropped} oldest queued webhook post(s): the queue is full.`);
      pendingWebhooks = pendingWebhooks.slice(dropped);
    }

    const state: DetectionState = {
      version: 1,
      runs: { ...base.state.runs, ...records },
      suppressedUntil,
      pendingWebhooks,
    };
    if (await options.state.write(state, base.etag)) return { raised, committed: state };
    base = await options.state.read();
  }
  throw new DetectionStateConflictError(stateAttempts);
}

function raise(candidate: Candidate, sink: TelemetrySink): RaisedAlert {
  const { detection, alert, partial } = candidate;
  const { summary } = describeAlert(detection, alert);
  const alertKey = decodeURIComponent(alert.keyText);
  sink.emit({
    name: 'DetectionAlert',
    detection: detection.id,
    severity: detection.severity,
    rowCount: alert.rows.length,
    summary,
    alertKey,
    partial,
    ...(detection.runbook ? { runbook: detection.runbook } : {}),
  });
  return { detection: detection.id, alertKey, rowCount: alert.rows.length, partial, summary };
}

async function contain(
  candidate: Candidate,
  containment: Containment | undefined,
  log: DetectionLog,
): Promise<void> {
  const { detection, alert } = candidate;
  const column = detection.automaticContainment?.column;
  if (column === undefined || containment === undefined) return;
  const address = alert.key[column] ?? '';
  try {
    const { outcome, detail } = await containment.contain({
      detection,
      address,
      alertKey: decodeURIComponent(alert.keyText),
    });
    log(outcome === 'failure' ? 'error' : 'info', `Containment for ${detection.id}: ${detail}`);
  } catch (error) {
    log('error', `Containment for ${detection.id} failed: ${describe(error)}`);
  }
}

/**
 * Posts the queued webhooks in order, stopping at the first failure (the endpoint is likely down;
 * the rest wait for the next run), then removes the delivered ones from the stored queue.
 */
async function deliverWebhooks(
  options: EvaluateDueDetectionsOptions,
  committed: DetectionState,
  log: DetectionLog,
): Promise<{ delivered: number; queued: number }> {
  const { webhook, webhookAttempts = 60, stateAttempts = 5 } = options;
  if (webhook === undefined || committed.pendingWebhooks.length === 0) {
    return { delivered: 0, queued: 0 };
  }

  const delivered = new Set<string>();
  let failed: string | undefined;
  for (const pending of committed.pendingWebhooks) {
    try {
      await webhook.post(pending.payload);
      delivered.add(pending.id);
    } catch (error) {
      log('warn', `Alert webhook for ${pending.payload.sealops.detection}: ${describe(error)}`);
      failed = pending.id;
      break;
    }
  }

  try {
    for (let attempt = 1; attempt <= stateAttempts; attempt += 1) {
      const { state, etag } = await options.state.read();
      const pendingWebhooks: PendingWebhook[] = [];
      for (const pending of state.pendingWebhooks) {
        if (delivered.has(pending.id)) continue;
        if (pending.id !== failed) {
          pendingWebhooks.push(pending);
        } else if (pending.attempts + 1 >= webhookAttempts) {
          log(
            'error',
            `Gave up posting the alert ${pending.id} after ${webhookAttempts} attempts.`,
          );
        } else {
          pendingWebhooks.push({ ...pending, attempts: pending.attempts + 1 });
        }
      }
      if (await options.state.write({ ...state, pendingWebhooks }, etag)) {
        return { delivered: delivered.size, queued: pendingWebhooks.length };
      }
    }
  } catch (error) {
    log('warn', `Could not read or write the webhook queue: ${describe(error)}`);
  }
  // The posts went out; only the queue's bookkeeping is stale, so some may be posted twice.
  log('warn', 'Could not record the delivered webhook posts; some may be posted again.');
  return { delivered: delivered.size, queued: committed.pendingWebhooks.length - delivered.size };
}

function toPending(candidate: Candidate, app: string, now: Date): PendingWebhook {
  const { detection, alert, partial } = candidate;
  return {
    id: `${suppressionKey(candidate)}|${now.toISOString()}`,
    payload: toAlertWebhookPayload(detection, alert, describeAlert(detection, alert), {
      app,
      raisedAt: now,
      partial,
    }),
    attempts: 0,
  };
}

function suppressionKey({ detection, alert }: Candidate): string {
  return `${detection.id}|${alert.keyText}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import type { ScheduledDetection } from './DetectionDefinition.js';
import type { DetectionRunRecord } from './DetectionState.js';
import { isoDurationToMilliseconds } from './isoDuration.js';

/**
 * Whether `detection` should run at `now`, given its last run: when it never ran, when its last
 * run failed or returned only part of the data (so it is tried again on the next tick), or when a
 * new `queryFrequency` slot has begun since it last ran. Slots are counted from the Unix epoch
 * (`PT15M` slots start at :00, :15, :30, :45 UTC), so a timer firing a little late or early
 * within the minute neither skips a run nor runs twice.
 */
export function isDetectionDue(
  detection: ScheduledDetection,
  lastRun: DetectionRunRecord | undefined,
  now: Date,
): boolean {
  if (lastRun === undefined || lastRun.outcome !== 'success') return true;
  // The loader has checked the duration; a minute is the floor if it ever were not.
  const frequency = Math.max(isoDurationToMilliseconds(detection.queryFrequency) ?? 60_000, 1);
  const lastSlot = Math.floor(Date.parse(lastRun.at) / frequency);
  return Number.isNaN(lastSlot) || Math.floor(now.getTime() / frequency) > lastSlot;
}

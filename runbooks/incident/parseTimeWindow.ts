import { isoDurationToMilliseconds } from '../../lib/detections/isoDuration.js';
import { CommandError } from '../CommandError.js';

const shorthand = /^(\d+)([mhd])$/;
const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * The investigation window from `--since` and `--until`: each an ISO time (`2025-03-01T02:00Z`) or
 * a length back from `--until` (`6h`, `2d`, `PT30M`). Defaults: the last 24 hours.
 */
export function parseTimeWindow(
  since: string | undefined,
  until: string | undefined,
  now: Date,
): { start: Date; end: Date } {
  const end = until === undefined ? now : pointInTime(until, now, '--until');
  const start =
    since === undefined ? new Date(end.getTime() - unitMs.d) : pointInTime(since, end, '--since');
  if (start.getTime() >= end.getTime()) {
    throw new CommandError(
      `--since (${start.toISOString()}) must be before --until (${end.toISOString()}).`,
      2,
    );
  }
  return { start, end };
}

function pointInTime(text: string, from: Date, option: string): Date {
  const short = shorthand.exec(text);
  const length = short
    ? Number(short[1]) * unitMs[short[2] as keyof typeof unitMs]
    : isoDurationToMilliseconds(text);
  if (length !== undefined) return new Date(from.getTime() - length);
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    throw new CommandError(
      `${option} '${text}' is neither a time (2025-03-01T02:00Z) nor a length (6h, 2d, PT30M).`,
      2,
    );
  }
  return new Date(time);
}

import { InvalidQueryTimespanError } from './errors/InvalidQueryTimespanError.js';
import { isoDurationToMilliseconds } from './isoDuration.js';
import type { QueryTimespan } from './LogQuerySource.js';

/** The start and end instants of `timespan`, a bare duration ending at `now`. */
export function resolveTimespan(timespan: QueryTimespan, now: Date): { start: Date; end: Date } {
  const lengthOf = (duration: string): number => {
    const milliseconds = isoDurationToMilliseconds(duration);
    if (milliseconds === undefined) {
      throw new InvalidQueryTimespanError(
        `the duration ${JSON.stringify(duration)} is not ISO 8601`,
      );
    }
    return milliseconds;
  };

  let start: Date;
  let end: Date;
  if ('startTime' in timespan && 'endTime' in timespan) {
    start = timespan.startTime;
    end = timespan.endTime;
  } else if ('startTime' in timespan) {
    start = timespan.startTime;
    end = new Date(start.getTime() + lengthOf(timespan.duration));
  } else {
    end = 'endTime' in timespan ? timespan.endTime : now;
    start = new Date(end.getTime() - lengthOf(timespan.duration));
  }
  if (start.getTime() > end.getTime()) {
    throw new InvalidQueryTimespanError('it ends before it starts');
  }
  return { start, end };
}

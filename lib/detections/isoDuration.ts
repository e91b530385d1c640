// Days, hours, minutes and seconds only: years and months have no fixed length, and no detection
// window needs them.
const isoDurationPattern =
  /^P(?!$)(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * The length of an ISO 8601 duration such as `PT5M`, `PT1H` or `P14D`, in milliseconds, or
 * undefined when `text` is not a duration of days, hours, minutes and seconds.
 */
export function isoDurationToMilliseconds(text: string): number | undefined {
  const match = isoDurationPattern.exec(text);
  if (match === null) return undefined;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return (
    ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000
  );
}

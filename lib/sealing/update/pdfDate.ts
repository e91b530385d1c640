/** A PDF date string in UTC (ISO 32000-1, 7.9.4), such as `(D:20240131235959Z)`. */
export function pdfDate(date: Date): string {
  const digits = date
    .toISOString()
    .replace(/\.\d{3}Z$/, '')
    .replace(/[-:T]/g, '');
  return `(D:${digits}Z)`;
}

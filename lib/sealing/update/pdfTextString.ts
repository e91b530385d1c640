/**
 * A PDF text string (ISO 32000-1, 7.9.2.2) holding `text`: a literal string when it is printable
 * ASCII, otherwise UTF-16BE with a byte order mark, in hex.
 */
export function pdfTextString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[\\()]/g, (char) => `\\${char}`)})`;
  const utf16 = Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
  return `<${utf16.toString('hex').toUpperCase()}>`;
}

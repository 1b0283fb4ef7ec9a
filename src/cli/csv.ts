/**
 * CSV fields quoted as RFC 4180 says (csv-stringify is not a dependency; this is all the
 * export needs): comma-separated, a field quoted when it holds a comma, a quote, CR or LF,
 * its quotes doubled. Records end with LF (the caller writes lines), which CSV readers accept.
 */

/** One CSV field from a value: null and undefined are empty, arrays are joined with `;`. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(';') : String(value);
  // Spreadsheet formula injection (OWASP "CSV Injection"): a member-chosen text such as a
  // display name starting with = + - @ (or a tab / CR) is prefixed with ' so it stays text.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record (without its line break). */
export function csvRecord(values: readonly unknown[]): string {
  return values.map(csvField).join(',');
}

// Exchange CSV log conventions (research exchange-detections.md §5.3): header block, RFC-4180 style quoting.

const NEEDS_QUOTE = /[",\r\n]/;

/** Quotes a CSV field when it holds a comma, quote or line break; inner quotes are doubled. */
export function csvField(v: string): string {
  return NEEDS_QUOTE.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
}

export function csvRow(values: readonly string[]): string {
  let s = '';
  for (let i = 0; i < values.length; i++) s += (i === 0 ? '' : ',') + csvField(values[i] as string);
  return s;
}

/** Number of line breaks inside a rendered row (quoted multi-line fields). */
export function innerBreaks(row: string): number {
  let n = 0;
  for (let i = row.indexOf('\n'); i !== -1; i = row.indexOf('\n', i + 1)) n++;
  return n;
}

/** '#Software/#Version/#Log-type/#Date/#Fields' header lines of an Exchange CSV log. */
export function exchangeHeader(version: string, logType: string, date: string, fields: readonly string[]): string[] {
  return [
    '#Software: Microsoft Exchange Server',
    '#Version: ' + version,
    '#Log-type: ' + logType,
    '#Date: ' + date,
    '#Fields: ' + fields.join(','),
  ];
}

/** Fills a row in field order from a partial record; absent fields are empty. */
export function rowFrom(fields: readonly string[], rec: Record<string, string>): string {
  const vals: string[] = new Array(fields.length);
  for (let i = 0; i < fields.length; i++) vals[i] = rec[fields[i] as string] ?? '';
  return csvRow(vals);
}

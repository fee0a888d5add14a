// Record timestamps. W3C logs split date and time into two UTC fields; Exchange CSV logs carry an
// ISO-8601 UTC stamp in their first time column.

const TIME_FIELDS = ['DateTime', 'TimeStamp', 'date-time', 'Timestamp', 'timestamp', 'Time'];

export function w3cTime(fields: Record<string, string>): number {
  const d = fields['date'];
  const t = fields['time'];
  if (!d || !t) return NaN;
  return Date.parse(`${d}T${t}Z`);
}

export function csvTime(fields: Record<string, string>): number {
  for (const f of TIME_FIELDS) {
    const v = fields[f];
    if (v) return isoTime(v);
  }
  return NaN;
}

/** Parses an ISO-8601 stamp; stamps without a zone are UTC (as Exchange writes them). */
export function isoTime(v: string): number {
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(v)) return NaN;
  const s = /[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`;
  return Date.parse(s.replace(' ', 'T'));
}

/** A leading ISO-8601 stamp in a free-text line, if any. */
export function leadingTime(line: string): number {
  const m = /^\s*"?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)/.exec(line);
  return m ? isoTime(m[1]!) : NaN;
}

// One CSV record (RFC 4180 quoting as Exchange writes it) parsed from raw bytes. A quoted field may hold
// commas, doubled quotes and newlines, so a record can span lines.

export interface CsvRecord {
  values: string[];
  /** offset just past the record's line end */
  end: number;
  /** lines the record spans */
  lines: number;
}

/** Parses the record starting at `start`; null when it does not end before `limit` (needs more data). */
export function parseCsvRecord(buf: Buffer, start: number, limit: number, atEof: boolean): CsvRecord | null {
  const values: string[] = [];
  let i = start;
  let lines = 1;
  for (;;) {
    if (i < limit && buf[i] === 0x22) {
      // Quoted field: find the closing quote, un-doubling "" on the way.
      let out = '';
      let from = i + 1;
      for (;;) {
        const q = buf.indexOf(0x22, from);
        if (q === -1 || q >= limit) {
          if (!atEof) return null;
          out += buf.toString('utf8', from, limit);
          i = limit;
          break;
        }
        if (q + 1 < limit && buf[q + 1] === 0x22) {
          out += buf.toString('utf8', from, q + 1);
          from = q + 2;
          continue;
        }
        out += buf.toString('utf8', from, q);
        i = q + 1;
        break;
      }
      for (let k = out.indexOf('\n'); k !== -1; k = out.indexOf('\n', k + 1)) lines++;
      // Anything between the closing quote and the next comma belongs to the field (lenient, like Excel).
      let j = i;
      while (j < limit && buf[j] !== 0x2c && buf[j] !== 0x0a) j++;
      if (j > i) out += buf.toString('utf8', i, j).replace(/\r$/, '');
      values.push(out);
      i = j;
    } else {
      let j = i;
      while (j < limit && buf[j] !== 0x2c && buf[j] !== 0x0a) j++;
      let v = buf.toString('utf8', i, j);
      if (j < limit && buf[j] === 0x0a && v.endsWith('\r')) v = v.slice(0, -1);
      else if (j >= limit && v.endsWith('\r')) v = v.slice(0, -1);
      values.push(v);
      i = j;
    }
    if (i >= limit) {
      if (!atEof) return null;
      return { values, end: limit, lines };
    }
    if (buf[i] === 0x0a) return { values, end: i + 1, lines };
    i++; // comma
  }
}

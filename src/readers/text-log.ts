// The streaming reader for line-oriented logs: IIS W3C, Exchange CSV and free-text Exchange logs.
// It reads fixed-size chunks, tracks '#' directive blocks wherever they appear, counts lines so every
// record knows its line number, and parses only the lines the literal prefilter lets through
// (plus the first and last record of each chunk, for the time span the file covers).
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { LogRecord } from '../types.js';
import { parseCsvRecord } from './csv-record.js';
import { applyDirective, type Directives } from './directives.js';
import { compileLiteralFilter, type LiteralFilter } from './literal-filter.js';
import { csvTime, leadingTime, w3cTime } from './record-time.js';

export type TextFormat = 'w3c' | 'csv' | 'text';

export interface TextLogInput {
  absPath: string;
  /** collection-relative path, for evidence */
  path: string;
  format: TextFormat;
  /** lines that contain none of these (case-insensitive) are not parsed; null parses every line */
  literals: readonly string[] | null;
  /**
   * Second, stricter check of a candidate line (lower-cased, ASCII) before it is parsed: false drops it.
   * Applied only where the physical line is the whole record.
   */
  confirm?: (lowerLine: string, literals: readonly string[]) => boolean;
  maxLine?: number;
  chunkSize?: number;
}

export interface HeaderBlock {
  software?: string;
  version?: string;
  logType?: string;
  date?: string;
  line: number;
}

export interface TextLogSummary {
  sha256: string;
  bytes: number;
  lines: number;
  /** data lines (not directives, not blank) */
  records: number;
  /** records handed to onRecord */
  parsed: number;
  first?: number;
  last?: number;
  problems: string[];
  headers: HeaderBlock[];
  /** fields of the first data record (host names, versions) */
  sample?: Record<string, string>;
}

/** The field list IIS uses for Exchange when a file lost its #Fields line (DESIGN: research §5.8). */
const IIS_DEFAULT_FIELDS = 'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken'.split(' ');
const EXCERPT_MAX = 2000;
const MAX_PROBLEMS = 50;
const MAX_HEADERS = 1000;

export async function readTextLog(input: TextLogInput, onRecord: (rec: LogRecord) => void): Promise<TextLogSummary> {
  const maxLine = input.maxLine ?? 1 << 20;
  const chunkSize = input.chunkSize ?? 4 << 20;
  const csv = input.format === 'csv';
  const hash = createHash('sha256');
  const summary: TextLogSummary = { sha256: '', bytes: 0, lines: 0, records: 0, parsed: 0, problems: [], headers: [] };
  const state: Directives = {};
  let missingFieldsReported = false;
  let filter: LiteralFilter | null | undefined = input.literals === null ? null : undefined;
  let directiveLines = 0;
  let blankLines = 0;

  const problem = (msg: string): void => {
    if (summary.problems.length < MAX_PROBLEMS) summary.problems.push(msg);
    else if (summary.problems.length === MAX_PROBLEMS) summary.problems.push('further problems not listed');
  };

  let buf: Buffer = Buffer.alloc(0);
  let carry = 0; // bytes at buf[0..carry) left over from the previous chunk
  let base = 0; // file offset of buf[0]
  let lineNo = 1; // line number of the line starting at buf[0]
  let skipping = false; // inside an over-long line, discarding until its end
  let skippingHit = false;
  let skippingLine = 0;
  let first = true;

  const fh = await open(input.absPath, 'r');
  try {
    // Small files get a small buffer: a collection holds thousands of hourly logs.
    const size = (await fh.stat()).size;
    buf = Buffer.allocUnsafe(Math.min(chunkSize, size + 1) + 4096);
    for (;;) {
      const want = Math.min(chunkSize, Math.max(4096, size + 1 - summary.bytes));
      if (carry + want > buf.length) {
        const bigger = Buffer.allocUnsafe(carry + want);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, carry, Math.min(chunkSize, buf.length - carry), null);
      const eof = bytesRead === 0;
      if (!eof) hash.update(buf.subarray(carry, carry + bytesRead));
      summary.bytes += bytesRead;
      const n = carry + bytesRead;
      const view = buf.subarray(0, n);
      let start = 0;
      if (first) {
        first = false;
        if (n >= 3 && view[0] === 0xef && view[1] === 0xbb && view[2] === 0xbf) start = 3;
        // The filter anchors literals on two byte pairs: shorter ones cannot be searched, so read every line.
        if (input.literals !== null) filter = input.literals.some((l) => l.length < 3) ? null : filterFor(input.literals, size, view.subarray(0, Math.min(n, 1 << 18)));
        if (n > 0 && looksBinary(view.subarray(0, Math.min(n, 4096)))) problem('file starts with binary data (not text): read as text anyway');
      }
      if (skipping) {
        // Discard the rest of an over-long line, but say whether it held text the rules look for.
        const nl = view.indexOf(10, start);
        const upto = nl === -1 ? n : nl + 1;
        if (filter) filter.scan(view, start, upto, () => { skippingHit = true; return upto; });
        else skippingHit = true;
        if (nl === -1 && !eof) { base += n; carry = 0; continue; }
        problem(`line ${skippingLine} is longer than ${maxLine} bytes and was not parsed${skippingHit && filter ? ' (it contains text the rules look for: inspect it by hand)' : ''}`);
        skipping = false;
        lineNo++;
        start = upto;
      }
      let regionEnd = eof ? n : view.lastIndexOf(10, n - 1) + 1;
      if (regionEnd <= start && !eof) {
        if (n - start > maxLine) {
          skipping = true; skippingHit = false; skippingLine = lineNo;
          if (filter) filter.scan(view, start, n, () => { skippingHit = true; return n; });
          base += n; carry = 0;
          continue;
        }
        keepCarry(start, n);
        continue;
      }
      const consumed = processRegion(view, start, regionEnd, eof);
      if (eof) break;
      keepCarry(consumed, n);
    }
  } finally {
    await fh.close();
  }
  summary.sha256 = hash.digest('hex');
  summary.lines = lineNo - 1;
  summary.records = Math.max(0, summary.lines - directiveLines - blankLines);
  return summary;

  function keepCarry(from: number, n: number): void {
    buf.copy(buf, 0, from, n);
    base += from;
    carry = n - from;
  }

  /** Handles the complete lines in [start, end); returns how far it consumed (less when a CSV record spans on). */
  function processRegion(view: Buffer, start: number, end: number, eof: boolean): number {
    // Directive lines: rare, found with a fast search for "\n#".
    const headers: number[] = [];
    if (start < end && view[start] === 0x23) headers.push(start);
    for (let p = view.indexOf('\n#', start); p !== -1 && p + 1 < end; p = view.indexOf('\n#', p + 1)) headers.push(p + 1);
    // Candidate lines, and the literals found in each (flat: candidate k's are litsAt[k] .. litsAt[k + 1]).
    const cands: number[] = [];
    const litsFlat: string[] = [];
    const litsAt: number[] = [];
    if (filter === null) {
      for (let p = start; p < end; ) {
        const nl = view.indexOf(10, p);
        const e = nl === -1 || nl >= end ? end : nl + 1;
        if (view[p] !== 0x23) cands.push(p);
        p = e;
      }
    } else if (filter) {
      // With a confirm stage, every literal of a candidate line is collected (it says which rules to check).
      const collect = input.confirm !== undefined;
      let lineStart = -1;
      let lineEnd = -1;
      filter.scan(view, start, end, (hit, lit) => {
        if (hit >= lineEnd) {
          lineStart = Math.max(start, view.lastIndexOf(10, hit) + 1);
          const nl = view.indexOf(10, hit);
          lineEnd = nl === -1 || nl >= end ? end : nl + 1;
          cands.push(lineStart);
          if (collect) { litsAt.push(litsFlat.length); litsFlat.push(lit); }
        } else if (collect && litsFlat.lastIndexOf(lit) < litsAt[litsAt.length - 1]!) {
          litsFlat.push(lit);
        }
        return collect ? hit + 1 : lineEnd;
      });
    }
    // The first and last data line, for the time span covered.
    const probes: number[] = [];
    const firstData = nextDataLine(view, start, end);
    if (firstData !== -1) probes.push(firstData);
    const lastData = prevDataLine(view, start, end);
    if (lastData !== -1 && lastData !== firstData) probes.push(lastData);

    litsAt.push(litsFlat.length);
    // Events come in file order, as cands do: a cursor finds a candidate's index without a lookup table.
    let ck = 0;
    const lineLits: string[] = [];
    const literalsOf = (pos: number): string[] => {
      lineLits.length = 0;
      while (ck < cands.length && cands[ck]! < pos) ck++;
      if (cands[ck] === pos && litsAt.length > ck + 1) for (let i = litsAt[ck]!; i < litsAt[ck + 1]!; i++) lineLits.push(litsFlat[i]!);
      return lineLits;
    };

    // Walk all events in file order, counting lines as we go.
    let nl = view.indexOf(10, start);
    if (nl >= end) nl = -1;
    let q = csv ? view.indexOf(0x22, start) : -1;
    if (q >= end) q = -1;
    let odd = false;
    let recStart = start;
    let recLine = lineNo;
    let line = lineNo;
    const advance = (pos: number): void => {
      while (nl !== -1 && nl < pos) {
        if (csv) {
          while (q !== -1 && q < nl) { odd = !odd; q = view.indexOf(0x22, q + 1); if (q >= end) q = -1; }
          if (odd && nl - recStart > maxLine) {
            problem(`line ${recLine}: a quoted field runs on for more than ${maxLine} bytes; reading on line by line`);
            odd = false;
          }
        }
        line++;
        if (!odd) { recStart = nl + 1; recLine = line; }
        nl = view.indexOf(10, nl + 1);
        if (nl >= end) nl = -1;
      }
    };

    const events = mergeEvents(headers, cands, probes);
    let consumed = end;
    // Several events can land in one multi-line CSV record: parse it once, hand it on once.
    let lastAt = -1;
    let lastRec: LogRecord | null | undefined;
    let lastEmitted = false;
    for (const [pos, type] of events) {
      advance(pos);
      if (type === 0) {
        const le = lineEndAt(view, pos, end);
        applyHeader(view.toString('utf8', pos, le.content), line);
        directiveLines++;
        continue;
      }
      const at = csv && odd ? recStart : pos;
      if (type === 1 && input.confirm && !(csv && odd) && !confirmLine(view, pos, end, literalsOf(pos))) continue;
      if (at !== lastAt) {
        lastAt = at;
        lastRec = parseAt(view, at, csv && odd ? recLine : line, end, eof);
        lastEmitted = false;
        if (lastRec === null) { consumed = recStart; lineNo = recLine; break; }
      }
      const rec = lastRec;
      if (!rec) continue;
      if (summary.sample === undefined) summary.sample = rec.fields;
      if (!Number.isNaN(rec.time)) {
        if (summary.first === undefined || rec.time < summary.first) summary.first = rec.time;
        if (summary.last === undefined || rec.time > summary.last) summary.last = rec.time;
      }
      if ((type === 1 || type === 3) && !lastEmitted) { lastEmitted = true; summary.parsed++; onRecord(rec); }
    }
    if (consumed === end) {
      advance(end);
      if (csv && odd && !eof) { consumed = recStart; line = recLine; }
      lineNo = eof && end > 0 && view[end - 1] !== 10 ? line + 1 : line;
    }
    blankLines += countBlank(view, start, consumed);
    return consumed;
  }

  /** The line at pos, when it is a whole record, passed through input.confirm. */
  function confirmLine(view: Buffer, pos: number, end: number, literals: readonly string[]): boolean {
    const le = lineEndAt(view, pos, end);
    if (csv) {
      // an odd number of quotes means the record runs on past this line: do not judge it by one line
      let quotes = 0;
      for (let q = view.indexOf(0x22, pos); q !== -1 && q < le.content; q = view.indexOf(0x22, q + 1)) quotes++;
      if (quotes % 2 === 1) return true;
    }
    return input.confirm!(view.toString('latin1', pos, Math.min(le.content, pos + maxLine)).toLowerCase(), literals);
  }

  function applyHeader(text: string, line: number): void {
    const before = state.fields;
    if (!applyDirective(text, input.format === 'w3c' ? 'w3c' : 'csv', state)) return;
    if (state.fields !== before && summary.headers.length < MAX_HEADERS) {
      const h: HeaderBlock = { line };
      if (state.software !== undefined) h.software = state.software;
      if (state.version !== undefined) h.version = state.version;
      if (state.logType !== undefined) h.logType = state.logType;
      if (state.date !== undefined) h.date = state.date;
      summary.headers.push(h);
    }
  }

  /** Parses the record at pos: a LogRecord, undefined for a line that is not a record, null when incomplete. */
  function parseAt(view: Buffer, pos: number, line: number, end: number, eof: boolean): LogRecord | null | undefined {
    if (view[pos] === 0x23) return undefined;
    const offset = base + pos;
    if (input.format === 'csv') {
      const r = parseCsvRecord(view, pos, end, eof);
      if (r === null) return null;
      if (r.values.length === 1 && r.values[0] === '') return undefined;
      const fields = toFields(r.values, line);
      const excerpt = view.toString('utf8', pos, Math.min(r.end, pos + EXCERPT_MAX)).replace(/\r?\n$/, '');
      return { time: csvTime(fields), fields, at: { path: input.path, line, offset, excerpt } };
    }
    const le = lineEndAt(view, pos, end);
    const text = view.toString('utf8', pos, le.content);
    if (text === '') return undefined;
    const excerpt = text.length > EXCERPT_MAX ? text.slice(0, EXCERPT_MAX) : text;
    if (input.format === 'text') {
      return { time: leadingTime(text), fields: { Message: text }, at: { path: input.path, line, offset, excerpt } };
    }
    const fields = toFields(text.split(' '), line);
    for (const k in fields) if (fields[k] === '-') fields[k] = '';
    return { time: w3cTime(fields), fields, at: { path: input.path, line, offset, excerpt } };
  }

  function toFields(values: string[], line: number): Record<string, string> {
    let names = state.fields;
    if (!names) {
      if (input.format === 'w3c') names = IIS_DEFAULT_FIELDS;
      if (!missingFieldsReported) {
        missingFieldsReported = true;
        problem(`no #Fields header before line ${line}: ${input.format === 'w3c' ? 'used the IIS default field list' : 'fields named field1, field2, ...'}`);
      }
    }
    const fields: Record<string, string> = {};
    const count = Math.max(values.length, names?.length ?? 0);
    for (let i = 0; i < count; i++) {
      const name = names?.[i] ?? (names ? `extra${i - names.length + 1}` : `field${i + 1}`);
      fields[name] = values[i] ?? '';
    }
    return fields;
  }
}

/** Files this small share one compiled filter per literal set; larger ones pick anchors from their own bytes. */
const SAMPLE_FROM = 4 << 20;
const filterCache = new Map<string, LiteralFilter>();

function filterFor(literals: readonly string[], size: number, sample: Uint8Array): LiteralFilter {
  if (size >= SAMPLE_FROM) return compileLiteralFilter(literals, sample);
  const key = literals.join('\0');
  let f = filterCache.get(key);
  if (!f) {
    if (filterCache.size > 64) filterCache.clear();
    f = compileLiteralFilter(literals);
    filterCache.set(key, f);
  }
  return f;
}

function lineEndAt(view: Buffer, pos: number, end: number): { content: number; next: number } {
  const nl = view.indexOf(10, pos);
  const e = nl === -1 || nl >= end ? end : nl;
  const content = e > pos && view[e - 1] === 13 ? e - 1 : e;
  return { content, next: nl === -1 || nl >= end ? end : nl + 1 };
}

function isDataLine(view: Buffer, p: number, end: number): boolean {
  const c = view[p];
  return p < end && c !== 0x23 && c !== 10 && c !== 13;
}

function nextDataLine(view: Buffer, start: number, end: number): number {
  for (let p = start; p < end; ) {
    if (isDataLine(view, p, end)) return p;
    const nl = view.indexOf(10, p);
    if (nl === -1 || nl >= end) return -1;
    p = nl + 1;
  }
  return -1;
}

function prevDataLine(view: Buffer, start: number, end: number): number {
  let e = end;
  while (e > start) {
    const nl = e - 2 >= start ? view.lastIndexOf(10, e - 2) : -1;
    const ls = nl < start ? start : nl + 1;
    if (isDataLine(view, ls, end)) return ls;
    e = ls;
  }
  return -1;
}

function countBlank(view: Buffer, start: number, end: number): number {
  let c = 0;
  for (let p = view.indexOf('\n\n', start); p !== -1 && p + 1 < end; p = view.indexOf('\n\n', p + 1)) c++;
  for (let p = view.indexOf('\n\r\n', start); p !== -1 && p + 2 < end; p = view.indexOf('\n\r\n', p + 1)) c++;
  return c;
}

/** Text logs hold no control characters but tab, CR and LF; more than 1 in 20 bytes means binary. */
function looksBinary(head: Buffer): boolean {
  let ctrl = 0;
  for (const b of head) if (b < 32 && b !== 9 && b !== 10 && b !== 13) ctrl++;
  return ctrl > head.length / 20;
}

/** Merges sorted position lists into one ordered event list: 0 header, 1 candidate, 2 probe, 3 both. */
function mergeEvents(headers: number[], cands: number[], probes: number[]): [number, number][] {
  const m = new Map<number, number>();
  for (const p of headers) m.set(p, 0);
  for (const p of cands) if (m.get(p) !== 0) m.set(p, 1);
  for (const p of probes) {
    const t = m.get(p);
    if (t === undefined) m.set(p, 2);
    else if (t === 1) m.set(p, 3);
  }
  return [...m.entries()].sort((a, b) => a[0] - b[0]);
}

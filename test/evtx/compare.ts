// Test helper: compares our records with evtxexport's, field by field, on parsed values.
import { flattenEvent } from '../../src/readers/evtx/fields.js';
import { evtxexport, parseEvtxexportXml } from './evtxexport.js';
import { readEvtx } from '../../src/readers/evtx/read.js';

/** Canonical form of a value: line ends, hex numbers, GUID case, timestamp precision differ between tools. */
export function canon(v: string): string {
  let s = v.replace(/\r\n/g, '\n').replace(/\r/g, '\n');
  // hex and decimal renderings of one number (SizeT: Windows hex, evtxexport decimal; hex padding differs)
  if (/^0x[0-9a-f]+$/i.test(s)) return BigInt(s).toString();
  // floats: evtxexport prints "1.500000e+000"
  if (/^-?\d+(\.\d+)?e[+-]\d+$/i.test(s)) return String(Number(s));
  if (/^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i.test(s)) return s.toUpperCase().replace(/[{}]/g, '');
  const t = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(s);
  if (t) return t[1] + '.' + (t[2] ?? '').padEnd(9, '0').slice(0, 7);
  return s;
}

/**
 * Differences that are evtxexport's (libevtx 20181227) and not ours, each checked narrowly:
 * - signed 8/16/32/64-bit integers with the top bit set print as -(v & 0x7fff...) (-2147188641 prints as -295007);
 *   Windows prints the two's-complement value, as we do;
 * - a lone UTF-16 surrogate swallows the next code unit there; we write U+FFFD and keep the next character.
 */
export function knownEvtxexportDifference(ours: string, theirs: string): string | undefined {
  if (/^-\d+$/.test(ours) && /^-\d+$/.test(theirs)) {
    const o = BigInt(ours);
    for (const bits of [7n, 15n, 31n, 63n]) if (BigInt(theirs) === -(o + 2n ** bits)) return 'libevtx signed-integer sign bug';
  }
  if (ours.includes('\ufffd') && ours.length === theirs.length + 1) {
    const i = ours.indexOf('\ufffd');
    if (ours.slice(0, i + 1) + ours.slice(i + 2) === theirs) return 'libevtx lone-surrogate decoding';
  }
  return undefined;
}

export interface Mismatch { record: string; field: string; ours?: string; theirs?: string }

export interface FileComparison {
  ours: number;
  theirs: number;
  compared: number;
  fields: number;
  mismatches: Mismatch[];
  /** values that differ only by a known evtxexport fault */
  known: (Mismatch & { why: string })[];
  problems: string[];
}

export async function compareFile(path: string, threads = 1): Promise<FileComparison> {
  const problems: string[] = [];
  const mine = new Map<string, Record<string, string>>();
  let ours = 0;
  const xmlMismatches: Mismatch[] = [];
  for await (const r of readEvtx(path, { threads, xml: true, onProblem: (p) => problems.push(p.message) })) {
    ours++;
    const id = r.fields.EventRecordID ?? String(r.at.record);
    mine.set(id, r.fields);
    // our XML rendering (exhunt evtx dump) must say the same as our fields
    const back = flattenEvent(parseEvtxexportXml(r.xml ?? ''));
    for (const k of new Set([...Object.keys(back), ...Object.keys(r.fields)])) {
      if (back[k] !== r.fields[k] && canon(back[k] ?? '') !== canon(r.fields[k] ?? '')) xmlMismatches.push({ record: id, field: `(our XML) ${k}`, ours: r.fields[k], theirs: back[k] });
    }
  }
  const { xml } = await evtxexport(path);
  const events = parseEvtxexportXml(xml);
  const mismatches: Mismatch[] = [...xmlMismatches];
  const known: (Mismatch & { why: string })[] = [];
  let compared = 0;
  let fields = 0;
  for (const ev of events) {
    const theirs = flattenEvent([ev]);
    const id = theirs.EventRecordID ?? '?';
    const ourFields = mine.get(id);
    if (!ourFields) {
      mismatches.push({ record: id, field: '(record missing)' });
      continue;
    }
    compared++;
    const keys = new Set([...Object.keys(theirs), ...Object.keys(ourFields)]);
    for (const k of keys) {
      fields++;
      const a = ourFields[k];
      const b = theirs[k];
      if (a !== undefined && b !== undefined && canon(a) === canon(b)) continue;
      const why = a !== undefined && b !== undefined ? knownEvtxexportDifference(a, b) : undefined;
      if (why) known.push({ record: id, field: k, ours: a, theirs: b, why });
      else mismatches.push({ record: id, field: k, ours: a, theirs: b });
    }
  }
  return { ours, theirs: events.length, compared, fields, mismatches, known, problems };
}

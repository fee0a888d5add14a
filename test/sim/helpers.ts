// Small local readers for the simulator's formats (independent of src/readers, written from the format notes).
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `exhunt-sim-${label}-`));
}

/** every file under root, posix paths relative to it, sorted */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

export function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** one hash over all paths and contents */
export function treeHash(root: string): string {
  const h = createHash('sha256');
  for (const f of listFiles(root)) {
    h.update(f + '\0');
    h.update(readFileSync(join(root, f)));
    h.update('\0');
  }
  return h.digest('hex');
}

export function fileSize(p: string): number {
  return statSync(p).size;
}

/** physical lines (split on LF, CR stripped), BOM removed from the first */
export function physicalLines(text: string): string[] {
  const lines = text.replace(/^\ufeff/, '').split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface W3cFile {
  headerBlocks: number;
  fields: string[];
  rows: Array<{ line: number; values: string[] }>;
}

/** IIS W3C: '#' directives (re-read on every #Fields), space-separated rows */
export function parseW3c(text: string): W3cFile {
  const res: W3cFile = { headerBlocks: 0, fields: [], rows: [] };
  physicalLines(text).forEach((l, i) => {
    if (l.startsWith('#')) {
      if (l.startsWith('#Software:')) res.headerBlocks++;
      if (l.startsWith('#Fields: ')) res.fields = l.slice(9).split(' ');
      return;
    }
    res.rows.push({ line: i + 1, values: l.split(' ') });
  });
  return res;
}

export interface CsvFile {
  header: Record<string, string>;
  fields: string[];
  /** line = physical line the record starts on */
  rows: Array<{ line: number; values: string[] }>;
}

/** Exchange CSV: '#Key: value' header lines, then RFC 4180 records (quoted fields may span lines). */
export function parseExchangeCsv(text: string): CsvFile {
  const res: CsvFile = { header: {}, fields: [], rows: [] };
  const s = text.replace(/^\ufeff/, '');
  let i = 0;
  let line = 1;
  while (i < s.length) {
    if (s[i] === '#') {
      const end = s.indexOf('\n', i);
      const l = s.slice(i, end === -1 ? s.length : end).replace(/\r$/, '');
      const colon = l.indexOf(': ');
      const key = l.slice(1, colon);
      res.header[key] = l.slice(colon + 2);
      if (key === 'Fields') res.fields = l.slice(colon + 2).split(',');
      i = end === -1 ? s.length : end + 1;
      line++;
      continue;
    }
    const start = line;
    const values: string[] = [];
    let field = '';
    let quoted = false;
    for (;;) {
      const ch = s[i];
      if (ch === undefined) {
        values.push(field);
        break;
      }
      if (quoted) {
        if (ch === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          quoted = false;
          i++;
          continue;
        }
        if (ch === '\n') line++;
        field += ch;
        i++;
        continue;
      }
      if (ch === '"' && field === '') {
        quoted = true;
        i++;
        continue;
      }
      if (ch === ',') {
        values.push(field);
        field = '';
        i++;
        continue;
      }
      if (ch === '\r' && s[i + 1] === '\n') i++;
      if (s[i] === '\n') {
        values.push(field);
        i++;
        line++;
        break;
      }
      field += ch;
      i++;
    }
    res.rows.push({ line: start, values });
  }
  return res;
}

export function record(f: CsvFile, values: string[]): Record<string, string> {
  const r: Record<string, string> = {};
  f.fields.forEach((k, i) => (r[k] = values[i] ?? ''));
  return r;
}

export const DOC_RANGES = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/;

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTextLog, type TextFormat, type TextLogSummary } from '../../src/readers/text-log.js';
import type { LogRecord } from '../../src/types.js';

export function tempFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-test-'));
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

export async function readAll(path: string, format: TextFormat, literals: string[] | null, chunkSize?: number): Promise<{ recs: LogRecord[]; summary: TextLogSummary }> {
  const recs: LogRecord[] = [];
  const summary = await readTextLog({ absPath: path, path: 'x.log', format, literals, ...(chunkSize ? { chunkSize } : {}) }, (r) => recs.push(r));
  return { recs, summary };
}

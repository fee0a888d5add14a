// The stock-file baseline of the simulated server. Its stand-in OWA/ECP pages are exhunt's own text, so
// no real build's hashes match them; this writes their hashes in the baseline format
// (sha256,build,\path below the Exchange folder) so a scan can be told what "stock" means for this server.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EXV15 } from './layout.js';

export function writeSimBaseline(collection: string, stockFiles: string[], build: string, dir: string): string {
  const lines: string[] = [];
  for (const rel of stockFiles) {
    const i = rel.indexOf(EXV15);
    if (i === -1) continue; // only files below the Exchange folder have a stock baseline
    const sha = createHash('sha256').update(readFileSync(join(collection, rel))).digest('hex').toUpperCase();
    lines.push(`${sha},${build},\\${rel.slice(i + EXV15.length).replace(/^\//, '').replace(/\//g, '\\')}`);
  }
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `baseline_${build}.csv.gz`);
  writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
  return file;
}

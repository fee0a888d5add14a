// A labelled set of web files for measuring the web-shell detection: fresh malicious samples per
// technique and benign pages, written under a collection folder with the collector's prefix.
import { createHash } from 'node:crypto';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeRng } from '../rng.js';
import { BENIGN_STAGING, generateBenign } from './benign.js';
import { generateShellSamples } from './malicious.js';

export { TECHNIQUES, generateShellSamples, type Sample } from './malicious.js';
export { BENIGN, BENIGN_STAGING, generateBenign, type BenignFile } from './benign.js';
export * as folders from './folders.js';

export interface LabelledFile {
  /** collection-relative posix path */
  path: string;
  absPath: string;
  size: number;
  sha256: string;
  mtime: string;
  label: 'malicious' | 'benign';
  /** technique (malicious) or page category (benign) */
  category: string;
  exchangeSpecific: boolean;
}

export interface LabelledSetOptions {
  seed?: number;
  perTechnique?: number;
  benignPages?: number;
  benignStaging?: number;
  /** collector prefix: '' (drive copy), 'C/' (KAPE), 'uploads/auto/C%3A/' (Velociraptor) */
  prefix?: string;
  /** when the files were written (ISO); shells get later dates than benign pages */
  installedAt?: string;
}

export function writeLabelledSet(root: string, opts: LabelledSetOptions = {}): LabelledFile[] {
  const rng = makeRng(opts.seed ?? 1);
  const prefix = opts.prefix ?? 'C/';
  const installed = Date.parse(opts.installedAt ?? '2020-06-01T10:00:00Z');
  const out: LabelledFile[] = [];
  const put = (drivePath: string, content: Buffer, label: LabelledFile['label'], category: string, exchangeSpecific: boolean, when: number) => {
    const path = prefix + drivePath;
    const absPath = join(root, ...path.split('/'));
    mkdirSync(dirname(absPath), { recursive: true });
    writeFileSync(absPath, content);
    utimesSync(absPath, when / 1000, when / 1000);
    out.push({ path, absPath, size: content.length, sha256: createHash('sha256').update(content).digest('hex'), mtime: new Date(when).toISOString(), label, category, exchangeSpecific });
  };
  for (const s of generateShellSamples(rng.fork('shells'), opts.perTechnique ?? 5)) put(s.path, s.content, 'malicious', s.technique, s.exchangeSpecific, installed + 280 * 86_400_000);
  for (const b of generateBenign(rng.fork('benign'), opts.benignPages ?? 500)) put(b.path, b.content, 'benign', b.category, false, installed + rng.int(200) * 86_400_000);
  for (const b of generateBenign(rng.fork('staging'), opts.benignStaging ?? 40, BENIGN_STAGING)) put(b.path, b.content, 'benign', b.category, false, installed + rng.int(200) * 86_400_000);
  return out;
}

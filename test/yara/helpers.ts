// Shared bits for the YARA tests: a temp tree of generated samples, and Debian's yara as an oracle.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLabelledSet, type LabelledFile } from '../../src/sim/webshells/index.js';

export function yaraCli(): string | undefined {
  const r = spawnSync('yara', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** `yara` over files; returns "rule\tabsPath" pairs. */
export function runYaraCli(ruleFiles: string[], targets: string[], defines: Record<string, string> = {}): Set<string> {
  const out = new Set<string>();
  const args = ['-w', '-N', '-r', ...Object.entries(defines).flatMap(([k, v]) => ['-d', `${k}=${v}`]), ...ruleFiles];
  // one call per chunk: yara takes a single target (file or folder) per call, so use a file list
  for (const t of targets) {
    const r = spawnSync('yara', [...args, t], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`yara failed: ${r.stderr}`);
    for (const line of r.stdout.split('\n')) {
      const sp = line.indexOf(' ');
      if (sp > 0) out.add(`${line.slice(0, sp)}\t${line.slice(sp + 1)}`);
    }
  }
  return out;
}

export function sampleTree(seed = 7, perTechnique = 3, benignPages = 60): { root: string; files: LabelledFile[] } {
  const root = mkdtempSync(join(tmpdir(), 'exhunt-yara-'));
  return { root, files: writeLabelledSet(root, { seed, perTechnique, benignPages, benignStaging: 8 }) };
}

// Web folders, staging folders and extra virtual directories: every file there is hashed and scanned
// (YARA, published IOCs, the stock-file baseline), and suspicious ones become findings.
import { readFile } from 'node:fs/promises';
import { isWebScanTarget, parseVirtualDirectories, scanWebFiles, type WebFileFinding, type WebFileInput } from '../detect/webshell/index.js';
import type { EvidenceFile } from '../evidence/gather.js';
import { sha256Files } from '../evidence/hash.js';
import type { CoverageEntry } from '../types.js';

export interface WebStageOptions {
  root: string;
  build?: string;
  yara: string[];
  baseline?: string[];
  onFileDone: (bytes: number) => void;
}

export interface WebStageResult {
  findings: WebFileFinding[];
  coverage: CoverageEntry[];
  notes: string[];
  /** physical paths of the IIS virtual directories (for tying requests to files) */
  vdirs: string[];
}

const MAX_CONFIG = 32 << 20;

export async function virtualDirectories(files: EvidenceFile[]): Promise<string[]> {
  const out = new Set<string>();
  for (const f of files) {
    if (!/(^|\/)applicationhost\.config$/.test(f.logical) || f.size > MAX_CONFIG) continue;
    try {
      for (const v of parseVirtualDirectories(await readFile(f.absPath, 'utf8'))) out.add(v);
    } catch {
      /* unreadable: reported by the coverage account */
    }
  }
  return [...out];
}

export async function scanWeb(files: EvidenceFile[], opts: WebStageOptions): Promise<WebStageResult> {
  const vdirs = await virtualDirectories(files);
  const targets = files.filter((f) => f.kind === 'web-file' || isWebScanTarget(f.path, vdirs));
  const inputs: WebFileInput[] = [];
  const coverage: CoverageEntry[] = [];
  const hashes = await sha256Files(targets.map((f) => f.absPath));
  targets.forEach((f, i) => {
    const h = hashes[i]!;
    if (typeof h === 'string') inputs.push({ path: f.path, absPath: f.absPath, size: f.size, sha256: h, mtime: f.mtime });
    else coverage.push({ path: f.path, kind: f.kind, size: f.size, status: 'error', reason: `not readable: ${(h as NodeJS.ErrnoException).code ?? h.message}` });
  });
  if (inputs.length === 0) return { findings: [], coverage, notes: [], vdirs };
  const r = await scanWebFiles({
    root: opts.root,
    files: inputs,
    yaraDirs: opts.yara,
    vdirs,
    ...(opts.build ? { build: opts.build } : {}),
    ...(opts.baseline?.length ? { baselineDir: opts.baseline } : {}),
  });
  const problems = new Map<string, string[]>();
  for (const p of r.problems) problems.set(p.path, [...(problems.get(p.path) ?? []), p.reason]);
  for (const f of inputs) {
    const e: CoverageEntry = { path: f.path, kind: 'web-file', size: f.size, sha256: f.sha256, status: 'read' };
    const pr = problems.get(f.path);
    if (pr) e.reason = pr.join('; ');
    coverage.push(e);
    opts.onFileDone(f.size);
  }
  const notes = r.notices.map((n) => `${n.origin}: ${n.message}`);
  return { findings: r.findings, coverage, notes, vdirs };
}

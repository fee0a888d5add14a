// The Finding for one suspicious file, with its signals and score kept as data (webFile) and as text.
import { emptyEntities, type Finding } from '../../types.js';
import type { RequestSummary } from './link-requests.js';
import { explain, levelOf, scoreOf, type Signal } from './signals.js';
import type { FileAssessment } from './assess-file.js';
import type { WebArea } from './web-paths.js';

/** A Finding plus the file facts behind it. `webFile` is an extra field (see the report to the lead). */
export interface WebFileFinding extends Finding {
  webFile: {
    score: number;
    signals: Signal[];
    size: number;
    sha256: string;
    mtime?: string;
    area?: WebArea;
    /** bytes around the first content match, control characters escaped */
    snippet?: string;
    requests?: RequestSummary;
  };
}

export function escapeBytes(b: Buffer): string {
  let s = '';
  for (const c of b) s += c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : c === 0x5c ? '\\\\' : `\\x${c.toString(16).padStart(2, '0')}`;
  return s;
}

export function buildFinding(
  file: { path: string; size: number; sha256: string; mtime?: string },
  a: FileAssessment,
  area: WebArea | undefined,
  snippet: { offset: number; text: string } | undefined,
  ruleSource: string,
): WebFileFinding {
  const score = scoreOf(a.signals);
  const level = levelOf(score);
  const top = a.topRule;
  const strongest = [...a.signals].sort((x, y) => y.points - x.points)[0];
  const id = top ? top.rule : a.hashIoc ? 'exhunt-webfile-ioc-hash' : a.pathIocs.length ? 'exhunt-webfile-ioc-path' : `exhunt-webfile-${(strongest?.id ?? 'signal').replace(/[^a-z0-9]+/gi, '-')}`;
  const title = top && typeof top.meta.description === 'string' ? top.meta.description : a.hashIoc ? `Known malicious file: ${a.hashIoc.family}` : strongest?.text ?? 'Suspicious file in a web folder';
  const t = file.mtime ? Date.parse(file.mtime) : NaN;
  const entities = emptyEntities();
  entities.files.push(file.path);
  const f: WebFileFinding = {
    rule: { id, title, source: ruleSource, level, ...(a.references.length ? { references: a.references } : {}) },
    level,
    stage: a.stage,
    cves: a.cves,
    attack: a.attack,
    ...(Number.isFinite(t) ? { time: t } : {}),
    evidence: { path: file.path, excerpt: explain(score, a.signals) + (snippet ? ` | match at ${snippet.offset}: ${snippet.text}` : ''), ...(snippet ? { offset: snippet.offset } : {}) },
    entities,
    webFile: { score, signals: a.signals, size: file.size, sha256: file.sha256, ...(file.mtime ? { mtime: file.mtime } : {}), ...(area ? { area } : {}), ...(snippet ? { snippet: snippet.text } : {}) },
  };
  return f;
}

/** Recompute score, level and the explanation after signals were added (request linking). */
export function refresh(f: WebFileFinding): void {
  const score = scoreOf(f.webFile.signals);
  const level = levelOf(score);
  f.webFile.score = score;
  f.level = level;
  f.rule.level = level;
  const snip = f.webFile.snippet !== undefined && f.evidence.offset !== undefined ? ` | match at ${f.evidence.offset}: ${f.webFile.snippet}` : '';
  f.evidence.excerpt = explain(score, f.webFile.signals) + snip;
}

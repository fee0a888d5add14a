// Rule metadata: exhunt's custom attribute (`exhunt: { stage, cves }`), CVE and ATT&CK ids from tags,
// and the RuleRef that findings carry.
import { LEVELS, STAGES, type Level, type RuleRef, type Stage } from '../../types.js';
import type { SigmaRule } from './types.js';

export function parseLevel(v: unknown): Level | undefined {
  return typeof v === 'string' && (LEVELS as readonly string[]).includes(v.toLowerCase()) ? (v.toLowerCase() as Level) : undefined;
}

export function parseStage(v: unknown): Stage | undefined {
  return typeof v === 'string' && (STAGES as readonly string[]).includes(v) ? (v as Stage) : undefined;
}

const CVE_RE = /^cve[.-](\d{4})[.-](\d{4,7})$/i;

export function normaliseCve(s: string): string | undefined {
  const m = CVE_RE.exec(s.trim());
  return m ? `CVE-${m[1]}-${m[2]}` : undefined;
}

export function cvesFromTags(tags: string[]): string[] {
  return tags.map(normaliseCve).filter((x): x is string => !!x);
}

/** attack.t1190 -> T1190, attack.t1505.003 -> T1505.003 (tactic names like attack.persistence are not ids). */
export function attackFromTags(tags: string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    const m = /^attack\.(t\d{4}(\.\d{3})?)$/i.exec(t.trim());
    if (m) out.push(m[1]!.toUpperCase());
  }
  return out;
}

export function uniq<T>(a: T[]): T[] {
  return [...new Set(a)];
}

export function ruleRef(rule: SigmaRule): RuleRef {
  const ref: RuleRef = { id: rule.id, title: rule.title, source: rule.source, level: rule.level };
  if (rule.references.length) ref.references = [...rule.references];
  return ref;
}

// Loading Sigma rule files: YAML parsing, rule-level validation, and the problems list (a rule that
// cannot be used is reported with the reason, never dropped silently).
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Scalar, isScalar, parseAllDocuments, visit } from 'yaml';
import { parseDetection } from './detection.js';
import { attackFromTags, cvesFromTags, normaliseCve, parseLevel, parseStage, uniq } from './meta.js';
import type { LoadProblem, SigmaLogsource, SigmaRule } from './types.js';

/** Rule files bigger than this are not parsed (a Sigma rule is a few KB). */
const MAX_RULE_FILE = 1024 * 1024;
const MAX_DEPTH = 32;

export interface LoadResult {
  rules: SigmaRule[];
  problems: LoadProblem[];
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const strList = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(str).filter((x): x is string => x !== undefined) : typeof v === 'string' ? [v] : [];

/** Collect *.yml / *.yaml files under the given files or folders (recursive, sorted, symlink loops avoided). */
export async function collectRuleFiles(paths: string[], problems: LoadProblem[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = async (p: string, depth: number): Promise<void> => {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      problems.push({ path: p, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, severity: 'error' });
      return;
    }
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (st.isDirectory()) {
      if (depth > MAX_DEPTH) return;
      let entries: string[];
      try {
        entries = (await readdir(p)).sort();
      } catch (e) {
        problems.push({ path: p, reason: `cannot list: ${(e as Error).message}`, severity: 'error' });
        return;
      }
      for (const e of entries) {
        if (e.startsWith('.')) continue;
        const child = join(p, e);
        if (/\.ya?ml$/i.test(e)) await walk(child, depth + 1);
        else {
          try {
            if ((await stat(child)).isDirectory()) await walk(child, depth + 1);
          } catch {
            /* dangling link: not a rule file */
          }
        }
      }
    } else if (st.isFile()) out.push(p);
  };
  for (const p of paths) await walk(p, 0);
  return out;
}

export async function loadSigmaRules(paths: string[]): Promise<LoadResult> {
  const problems: LoadProblem[] = [];
  const rules: SigmaRule[] = [];
  for (const file of await collectRuleFiles(paths, problems)) {
    let text: string;
    try {
      const st = await stat(file);
      if (st.size > MAX_RULE_FILE) {
        problems.push({ path: file, reason: `file too large for a Sigma rule (${st.size} bytes)`, severity: 'error' });
        continue;
      }
      text = await readFile(file, 'utf8');
    } catch (e) {
      problems.push({ path: file, reason: `cannot read: ${(e as Error).message}`, severity: 'error' });
      continue;
    }
    const r = parseSigmaText(text, file);
    rules.push(...r.rules);
    problems.push(...r.problems);
  }
  // the same id twice (e.g. a rule folder given twice, or a copied rule) would double every finding
  const seen = new Map<string, string>();
  for (const r of rules) {
    const first = seen.get(r.id);
    if (first === undefined) seen.set(r.id, r.source);
    else problems.push({ path: r.source, id: r.id, title: r.title, reason: `duplicate rule id (also in ${first})`, severity: 'warning' });
  }
  return { rules, problems };
}

/** Parse one rule file's text. Exposed for tests and for rules that do not come from disk. */
export function parseSigmaText(text: string, path: string): LoadResult {
  const problems: LoadProblem[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: false });
  } catch (e) {
    return { rules: [], problems: [{ path, reason: `YAML error: ${(e as Error).message}`, severity: 'error' }] };
  }
  if (!Array.isArray(docs)) return { rules: [], problems: [{ path, reason: 'YAML error: not a document stream', severity: 'error' }] };
  const nonEmpty = docs.filter((d) => d.contents !== null);
  if (nonEmpty.length === 0) return { rules: [], problems: [{ path, reason: 'empty file', severity: 'error' }] };
  if (nonEmpty.length > 1) {
    const first = nonEmpty[0]!.toJS({ maxAliasCount: 100 }) as unknown;
    const meta = isMap(first) ? first : {};
    return {
      rules: [],
      problems: [
        {
          path,
          ...ids(meta),
          reason: `multi-document rule (${nonEmpty.length} YAML documents${meta['action'] ? `, action: ${String(meta['action'])}` : ''}) is not supported`,
          severity: 'error',
        },
      ],
    };
  }
  const doc = nonEmpty[0]!;
  if (doc.errors.length) return { rules: [], problems: [{ path, reason: `YAML error: ${doc.errors[0]!.message.split('\n')[0]}`, severity: 'error' }] };
  // Keep numbers as written (0401, 1.0) so that they compare as the log writes them.
  let obj: unknown;
  try {
    visit(doc, {
      Scalar(_key, node: Scalar) {
        if (typeof node.value === 'number' && typeof node.source === 'string' && isScalar(node) && node.type === 'PLAIN') node.value = node.source;
      },
    });
    obj = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { rules: [], problems: [{ path, reason: `YAML error: ${(e as Error).message}`, severity: 'error' }] };
  }
  const r = ruleFromObject(obj, path);
  if (r.rule) {
    for (const w of r.rule.warnings) problems.push({ path, id: r.rule.id, title: r.rule.title, reason: w, severity: 'warning' });
    return { rules: [r.rule], problems };
  }
  problems.push({ path, ...ids(isMap(obj) ? obj : {}), reason: r.error ?? 'invalid rule', severity: 'error' });
  return { rules: [], problems };
}

function ids(m: Record<string, unknown>): { id?: string; title?: string } {
  const out: { id?: string; title?: string } = {};
  const id = str(m['id']);
  const title = str(m['title']);
  if (id) out.id = id;
  if (title) out.title = title;
  return out;
}

export function ruleFromObject(obj: unknown, path: string): { rule?: SigmaRule; error?: string } {
  if (!isMap(obj)) return { error: 'not a YAML map' };
  if (obj['action'] !== undefined) return { error: `'action: ${String(obj['action'])}' rule collections are not supported` };
  if (obj['correlation'] !== undefined) return { error: 'correlation rules are not supported' };
  if (obj['filter'] !== undefined && obj['detection'] === undefined) return { error: 'Sigma filter (meta filter) rules are not supported' };
  const title = str(obj['title']);
  if (!title) return { error: 'rule has no title' };
  if (!isMap(obj['logsource'])) return { error: 'rule has no logsource' };
  if (obj['detection'] === undefined) return { error: 'rule has no detection' };
  const d = parseDetection(obj['detection']);
  if (!d.detection) return { error: d.error ?? 'invalid detection' };
  const warnings = [...d.warnings];

  const ls = obj['logsource'];
  const logsource: SigmaLogsource = {};
  for (const k of ['product', 'category', 'service', 'definition'] as const) {
    const v = str(ls[k]);
    if (v !== undefined) logsource[k] = k === 'definition' ? v : v.toLowerCase();
  }
  let level = parseLevel(obj['level']);
  if (!level) {
    if (obj['level'] !== undefined) warnings.push(`unknown level '${String(obj['level'])}', using medium`);
    level = 'medium';
  }
  const tags = strList(obj['tags']);
  const ex = isMap(obj['exhunt']) ? obj['exhunt'] : undefined;
  let stage = undefined;
  if (ex && ex['stage'] !== undefined) {
    stage = parseStage(ex['stage']);
    if (!stage) warnings.push(`unknown exhunt stage '${String(ex['stage'])}'`);
  }
  const exCves = ex ? strList(ex['cves']) : [];
  const cves: string[] = [];
  for (const c of exCves) {
    const n = normaliseCve(c);
    if (n) cves.push(n);
    else warnings.push(`exhunt.cves: '${c}' is not a CVE id`);
  }
  const id = str(obj['id']) ?? `sha1:${createHash('sha1').update(`${path}\0${title}`).digest('hex').slice(0, 16)}`;
  const rule: SigmaRule = {
    id,
    title,
    level,
    references: strList(obj['references']),
    tags,
    source: path,
    logsource,
    cves: uniq([...cves, ...cvesFromTags(tags)]),
    attack: uniq(attackFromTags(tags)),
    detection: d.detection,
    warnings,
  };
  const opt = (k: 'status' | 'description' | 'author' | 'date' | 'modified'): void => {
    const v = str(obj[k]) ?? (obj[k] instanceof Date ? (obj[k] as Date).toISOString().slice(0, 10) : undefined);
    if (v !== undefined) rule[k] = v;
  };
  opt('status');
  opt('description');
  opt('author');
  opt('date');
  opt('modified');
  if (stage) rule.stage = stage;
  if (obj['fields'] !== undefined) rule.fields = strList(obj['fields']);
  if (obj['falsepositives'] !== undefined) rule.falsepositives = strList(obj['falsepositives']);
  return { rule };
}

// A compiled rule set: rules bound to the mapping entries that answer their logsource, selected and
// cached per log type, with the literal prefilter set of each log type.
import type { LogRecord } from '../../types.js';
import { bindRule, type BoundRule } from './bind.js';
import { unionLits, type LitSet } from './literals.js';
import { entryMatches, globMatch, type LogsourceMapping, type MappingEntry } from './mapping.js';
import type { LoadProblem, SigmaRule } from './types.js';
import { LiteralScanner } from './scanner.js';
import { AccessorRegistry, RecordView } from './view.js';

export interface LogTypeRules {
  logType: string;
  /** rules that can apply to this log type */
  rules: SigmaRule[];
  /** the rules this record (of this log type) matches, in rule order */
  match(record: LogRecord): SigmaRule[];
  /**
   * Lower-case literals such that any raw line (lower-cased) of this log type that one of these rules
   * matches contains at least one of them; null when no such set exists (every line must be parsed).
   * Empty list when there are no rules.
   */
  literals: string[] | null;
  /** the rules without a necessary literal set (the reason `literals` is null) */
  unfiltered: SigmaRule[];
  /** the necessary literal set of one rule for this log type (null: none) */
  literalsOf(rule: SigmaRule): string[] | null;
  /**
   * Aho-Corasick scanner over the literals of the filterable rules (ASCII case-insensitive):
   * scanner.test(buf, start, end) tells whether a raw line can match one of them. Meaningful as a
   * prefilter for the whole log type only when `literals` is not null.
   */
  scanner: LiteralScanner;
}

export interface RuleSet {
  forLogType(logType: string): LogTypeRules;
  /** number of rules bound to at least one mapping entry */
  size: number;
  rules: SigmaRule[];
}

interface Group {
  rule: SigmaRule;
  bound: { b: BoundRule; where: ((v: RecordView) => boolean) | null }[];
  literals: LitSet;
  /** scanner ids of the literals; null: always evaluate */
  litIds: Int32Array | null;
}

function describe(ls: SigmaRule['logsource']): string {
  return (['product', 'category', 'service'] as const)
    .filter((k) => ls[k] !== undefined)
    .map((k) => `${k}: ${ls[k]}`)
    .join(', ');
}

export function compileRuleSet(rules: SigmaRule[], mapping: LogsourceMapping): { ruleSet: RuleSet; problems: LoadProblem[] } {
  const problems: LoadProblem[] = [];
  const reg = new AccessorRegistry();
  const byRule: { rule: SigmaRule; bound: BoundRule[] }[] = [];
  for (const rule of rules) {
    const entries = mapping.entries.filter((e) => entryMatches(e, rule.logsource));
    const where = { path: rule.source, id: rule.id, title: rule.title };
    if (entries.length === 0) {
      problems.push({ ...where, reason: `logsource (${describe(rule.logsource) || 'empty'}) maps to no exhunt log type; rule not used`, severity: 'error' });
      continue;
    }
    const bound: BoundRule[] = [];
    for (const e of entries) {
      try {
        const b = bindRule(rule, e, mapping, reg);
        for (const w of b.warnings) problems.push({ ...where, reason: `${e.name}: ${w}`, severity: 'warning' });
        bound.push(b);
      } catch (err) {
        // defensive: a binding bug must not take the scan down; the rule is reported instead
        problems.push({ ...where, reason: `${e.name}: cannot compile: ${(err as Error).message}`, severity: 'error' });
      }
    }
    if (bound.length) byRule.push({ rule, bound });
  }
  const cache = new Map<string, LogTypeRules>();
  const ruleSet: RuleSet = {
    size: byRule.length,
    rules: byRule.map((r) => r.rule),
    forLogType(logType: string): LogTypeRules {
      let lt = cache.get(logType);
      if (!lt) {
        lt = makeLogTypeRules(logType, byRule, reg);
        cache.set(logType, lt);
      }
      return lt;
    },
  };
  return { ruleSet, problems };
}

function whereTest(entry: MappingEntry, reg: AccessorRegistry): ((v: RecordView) => boolean) | null {
  if (entry.where.length === 0) return null;
  const conds = entry.where.map((w) => ({ idx: reg.index({ kind: 'field', name: w.field }), values: new Set(w.values) }));
  return (v) => {
    for (const c of conds) {
      const x = v.low(c.idx);
      if (x === undefined || !c.values.has(x.trim())) return false;
    }
    return true;
  };
}

function makeLogTypeRules(logType: string, byRule: { rule: SigmaRule; bound: BoundRule[] }[], reg: AccessorRegistry): LogTypeRules {
  const groups: Group[] = [];
  for (const r of byRule) {
    const bs = r.bound.filter((b) => b.entry.logTypes.some((g) => globMatch(g, logType)));
    if (bs.length === 0) continue;
    groups.push({
      rule: r.rule,
      bound: bs.map((b) => ({ b, where: whereTest(b.entry, reg) })),
      literals: unionLits(bs.map((b) => b.literals)),
      litIds: null,
    });
  }
  // One automaton over every rule literal: a rule runs only when one of its literals is in the record.
  // Sound because each literal lies within one field value as the log writes it (see bind.ts).
  const ids = new Map<string, number>();
  for (const g of groups)
    if (g.literals) g.litIds = Int32Array.from(g.literals, (l) => ids.get(l) ?? (ids.set(l, ids.size), ids.size - 1));
  const scanner = new LiteralScanner([...ids.keys()]);
  const stamp = new Int32Array(ids.size);
  let gen = 0;
  const view = new RecordView(reg);
  const litsByRule = new Map(groups.map((g) => [g.rule, g.literals]));
  const literals = groups.length === 0 ? [] : unionLits(groups.map((g) => g.literals));
  return {
    logType,
    rules: groups.map((g) => g.rule),
    literals,
    unfiltered: groups.filter((g) => g.literals === null).map((g) => g.rule),
    literalsOf: (rule) => {
      const l = litsByRule.get(rule);
      return l ? [...l] : null;
    },
    scanner,
    match(record: LogRecord): SigmaRule[] {
      const out: SigmaRule[] = [];
      const fields = record.fields;
      view.reset(fields);
      if (++gen === 0x7fffffff) {
        stamp.fill(0);
        gen = 1;
      }
      for (const k in fields) {
        const v = fields[k];
        if (v) scanner.markString(v, stamp, gen);
      }
      outer: for (let i = 0; i < groups.length; i++) {
        const g = groups[i]!;
        const li = g.litIds;
        if (li !== null) {
          let seen = false;
          for (let j = 0; j < li.length; j++)
            if (stamp[li[j]!] === gen) {
              seen = true;
              break;
            }
          if (!seen) continue outer;
        }
        for (let j = 0; j < g.bound.length; j++) {
          const x = g.bound[j]!;
          if ((x.where === null || x.where(view)) && x.b.test(view)) {
            out.push(g.rule);
            break;
          }
        }
      }
      return out;
    },
  };
}

/** A rule's own necessary-literal set for a log type (null: none exists, or the rule does not apply). */
export function ruleLiterals(ruleSet: RuleSet, rule: SigmaRule, logType: string): string[] | null {
  return ruleSet.forLogType(logType).literalsOf(rule);
}

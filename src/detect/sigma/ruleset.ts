// A compiled rule set: rules bound to the mapping entries that answer their logsource, selected and
// cached per log type, with the literal prefilter set of each log type.
import type { LogRecord } from '../../types.js';
import { bindRule, type BoundRule } from './bind.js';
import { cnfHolds, unionLits, type Cnf, type LitSet } from './literals.js';
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
   * Can this lower-cased raw line match any rule? Every rule's conjunction of literal clauses is
   * checked (short literals included), so most prefilter candidates are dropped before parsing.
   */
  confirm(lowerLine: string): boolean;
  /**
   * confirm() for a line whose literals are already known (the prefilter found them): only the rules of
   * those literals (and the rules without literals) are checked. `literals` must be every literal of this
   * log type that occurs in the line.
   */
  confirmHits(lowerLine: string, literals: readonly string[]): boolean;
  /**
   * The values of a mapping `where` field (e.g. Channel) that some rule of this log type needs; null when
   * a rule applies whatever that field holds. Lets a reader skip records no rule can match.
   */
  whereValues(field: string): string[] | null;
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
  /** bindings for this log type; e: index of the binding's mapping entry (its where-test) */
  bound: { b: BoundRule; e: number }[];
  literals: LitSet;
  /** conjunction per bound entry; the rule can match when one of them holds */
  confirm: Cnf[];
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
  // mapping entries in use, each with its record condition, evaluated at most once per record
  const entryIdx = new Map<MappingEntry, number>();
  const wheres: (((v: RecordView) => boolean) | null)[] = [];
  const idxOf = (e: MappingEntry): number => {
    let i = entryIdx.get(e);
    if (i === undefined) {
      i = wheres.length;
      entryIdx.set(e, i);
      wheres.push(whereTest(e, reg));
    }
    return i;
  };
  const globs = new Map<string, boolean>();
  const applies = (g: string): boolean => globs.get(g) ?? (globs.set(g, globMatch(g, logType)), globs.get(g)!);
  for (const r of byRule) {
    const bs = r.bound.filter((b) => b.entry.logTypes.some(applies));
    if (bs.length === 0) continue;
    groups.push({
      rule: r.rule,
      bound: bs.map((b) => ({ b, e: idxOf(b.entry) })),
      literals: unionLits(bs.map((b) => b.literals)),
      confirm: bs.map((b) => b.confirm),
      litIds: null,
    });
  }
  // One automaton over every rule literal: a rule runs only when one of its literals is in the record.
  // Sound because each literal lies within one field value as the log writes it (see bind.ts).
  const ids = new Map<string, number>();
  const litGroups: number[][] = [];
  const always: number[] = [];
  groups.forEach((g, gi) => {
    if (!g.literals) {
      always.push(gi);
      return;
    }
    g.litIds = Int32Array.from(g.literals, (l) => {
      let id = ids.get(l);
      if (id === undefined) {
        id = ids.size;
        ids.set(l, id);
        litGroups.push([]);
      }
      litGroups[id]!.push(gi);
      return id;
    });
  });
  const scanner = new LiteralScanner([...ids.keys()]);
  const stamp = new Int32Array(ids.size);
  const groupStamp = new Int32Array(groups.length);
  const whereGen = new Int32Array(wheres.length);
  const whereVal = new Uint8Array(wheres.length);
  const found: number[] = [];
  const cand = new Int32Array(groups.length);
  let gen = 0;
  const view = new RecordView(reg);
  const litsByRule = new Map(groups.map((g) => [g.rule, g.literals]));
  const literals = groups.length === 0 ? [] : unionLits(groups.map((g) => g.literals));
  const whereHolds = (e: number): boolean => {
    if (whereGen[e] !== gen) {
      const w = wheres[e]!;
      whereVal[e] = w === null || w(view) ? 1 : 0;
      whereGen[e] = gen;
    }
    return whereVal[e] === 1;
  };
  const nextGen = (): number => {
    if (++gen === 0x7fffffff) {
      stamp.fill(0);
      groupStamp.fill(0);
      whereGen.fill(0);
      gen = 1;
    }
    return gen;
  };
  /** Does some rule without literals, or some rule of the found literal ids, have its clauses in the line? */
  const confirmGroups = (line: string, litIds: readonly number[]): boolean => {
    for (let i = 0; i < always.length; i++) for (const c of groups[always[i]!]!.confirm) if (cnfHolds(c, line)) return true;
    for (let i = 0; i < litIds.length; i++) {
      const gs = litGroups[litIds[i]!]!;
      for (let j = 0; j < gs.length; j++) {
        const gi = gs[j]!;
        if (groupStamp[gi] === gen) continue;
        groupStamp[gi] = gen;
        for (const c of groups[gi]!.confirm) if (cnfHolds(c, line)) return true;
      }
    }
    return false;
  };
  return {
    logType,
    rules: groups.map((g) => g.rule),
    literals,
    unfiltered: always.map((gi) => groups[gi]!.rule),
    whereValues: (field) => {
      const out = new Set<string>();
      for (const g of groups) {
        for (const { b } of g.bound) {
          const w = b.entry.where.find((x) => x.field === field);
          if (!w) return null;
          for (const v of w.values) out.add(v);
        }
      }
      return [...out];
    },
    confirm: (line) => {
      found.length = 0;
      scanner.markString(line, stamp, nextGen(), found);
      return confirmGroups(line, found);
    },
    confirmHits: (line, lits) => {
      found.length = 0;
      for (const l of lits) {
        const id = ids.get(l);
        if (id !== undefined) found.push(id);
      }
      nextGen();
      return confirmGroups(line, found);
    },
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
        groupStamp.fill(0);
        whereGen.fill(0);
        gen = 1;
      }
      // candidates: rules without literals, plus the rules of every literal found in a field value
      found.length = 0;
      for (const k in fields) {
        const v = fields[k];
        if (v) scanner.markString(v, stamp, gen, found);
      }
      let nc = 0;
      for (let i = 0; i < always.length; i++) cand[nc++] = always[i]!;
      for (let i = 0; i < found.length; i++) {
        const gs = litGroups[found[i]!]!;
        for (let j = 0; j < gs.length; j++) {
          const gi = gs[j]!;
          if (groupStamp[gi] !== gen) {
            groupStamp[gi] = gen;
            cand[nc++] = gi;
          }
        }
      }
      if (found.length > 0 && nc > 1) cand.subarray(0, nc).sort(); // rule order (numeric typed-array sort)
      for (let i = 0; i < nc; i++) {
        const g = groups[cand[i]!]!;
        for (let j = 0; j < g.bound.length; j++) {
          const x = g.bound[j]!;
          if (whereHolds(x.e) && x.b.test(view)) {
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

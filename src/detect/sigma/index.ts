// exhunt's Sigma engine: load rules, load the logsource mapping, compile per log type, match records.
export { loadSigmaRules, parseSigmaText, collectRuleFiles, type LoadResult } from './load.js';
export {
  loadLogsourceMapping,
  parseMappingText,
  defaultMappingDir,
  entryMatches,
  type LogsourceMapping,
  type MappingEntry,
  type FieldSource,
  type RawEncoding,
} from './mapping.js';
export { compileRuleSet, ruleLiterals, type RuleSet, type LogTypeRules } from './ruleset.js';
export { ruleRef, attackFromTags, cvesFromTags } from './meta.js';
export { parseCondition } from './condition.js';
export { MIN_LITERAL, type Cnf } from './literals.js';
export { LiteralScanner } from './scanner.js';
export type { SigmaRule, SigmaLogsource, LoadProblem, Detection, CondNode, FieldTest, ValueTest, Search } from './types.js';

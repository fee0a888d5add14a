// Loading the Sigma rule set a scan uses: exhunt's bundled pack plus the user's folders.
import { fileURLToPath } from 'node:url';
import { compileRuleSet, loadLogsourceMapping, loadSigmaRules, type RuleSet } from '../detect/sigma/index.js';

export const BUNDLED_SIGMA = fileURLToPath(new URL('../../rules/sigma/', import.meta.url));

export interface RuleOptions {
  /** the user's Sigma folders or files (--sigma) */
  sigma: string[];
  /** leave out the bundled pack (--no-builtin-rules) */
  noBuiltin?: boolean;
}

export interface LoadedRules {
  ruleSet: RuleSet;
  loaded: number;
  problems: { path: string; id?: string; title?: string; reason: string; severity?: string }[];
}

export async function loadRules(opts: RuleOptions): Promise<LoadedRules> {
  const paths = [...(opts.noBuiltin ? [] : [BUNDLED_SIGMA]), ...opts.sigma];
  const { rules, problems } = await loadSigmaRules(paths);
  const compiled = compileRuleSet(rules, loadLogsourceMapping());
  return { ruleSet: compiled.ruleSet, loaded: rules.length, problems: [...problems, ...compiled.problems] };
}

// Loading the Sigma rule set a scan uses: exhunt's bundled pack plus the user's folders.
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileRuleSet, loadLogsourceMapping, loadSigmaRules, type RuleSet } from '../detect/sigma/index.js';

export const BUNDLED_SIGMA = fileURLToPath(new URL('../../rules/sigma/', import.meta.url));
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

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
  // Bundled rules are named by their place in the package (rules/sigma/...), not this machine's install path.
  for (const r of rules) if (r.source.startsWith(PACKAGE_ROOT)) r.source = r.source.slice(PACKAGE_ROOT.length).split(sep).join('/');
  const compiled = compileRuleSet(rules, loadLogsourceMapping());
  return { ruleSet: compiled.ruleSet, loaded: rules.length, problems: [...problems, ...compiled.problems] };
}

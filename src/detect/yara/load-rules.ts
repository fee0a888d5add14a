// Read YARA rule files from folders (exhunt's own rules/yara and the user's --yara DIRs).
// Walks without following symlinked folders twice (loops), skips what it cannot read with a notice.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleNotice, RuleSource } from './types.js';

/** exhunt's own rules folder (rules/yara at the package root). */
export const OWN_RULES_DIR = fileURLToPath(new URL('../../../rules/yara/', import.meta.url));
const RULE_EXT = /\.(yar|yara)$/i;
const MAX_RULE_FILE = 16 << 20;

export function loadRuleDirs(dirs: string[]): { sources: RuleSource[]; notices: RuleNotice[] } {
  const sources: RuleSource[] = [];
  const notices: RuleNotice[] = [];
  const seen = new Set<string>();
  const walk = (dir: string, depth: number): void => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (e) {
      notices.push({ origin: dir, kind: 'error', message: `cannot open rule folder: ${(e as Error).message}` });
      return;
    }
    if (seen.has(real) || depth > 32) return;
    seen.add(real);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      notices.push({ origin: dir, kind: 'error', message: `cannot list rule folder: ${(e as Error).message}` });
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      let st;
      try {
        st = statSync(p);
      } catch (e) {
        notices.push({ origin: p, kind: 'error', message: `cannot stat: ${(e as Error).message}` });
        continue;
      }
      if (st.isDirectory()) walk(p, depth + 1);
      else if (st.isFile() && RULE_EXT.test(n)) {
        if (st.size > MAX_RULE_FILE) {
          notices.push({ origin: p, kind: 'error', message: `not loaded: rule file larger than ${MAX_RULE_FILE} bytes` });
          continue;
        }
        try {
          sources.push({ origin: p, text: readFileSync(p, 'utf8') });
        } catch (e) {
          notices.push({ origin: p, kind: 'error', message: `unreadable: ${(e as Error).message}` });
        }
      }
    }
  };
  for (const d of dirs) walk(d, 0);
  return { sources, notices };
}

/** A short name for a rule file: relative to the package for own rules, else the path as given. */
export function ruleOrigin(path: string): string {
  // forward slashes on every platform: Windows paths would otherwise never start with 'rules/'
  const rel = relative(fileURLToPath(new URL('../../../', import.meta.url)), path).split(sep).join('/');
  return rel.startsWith('rules/') ? rel : path;
}

// Data shapes of the Sigma engine: a loaded rule (logType-independent) and its parsed detection.
// Binding a rule to a log type (field names, raw encoding) happens later, in bind.ts.
import type { Level, Stage } from '../../types.js';

/** One piece of a plain Sigma value after wildcard parsing. */
export type Part =
  | { t: 'lit'; s: string }
  | { t: 'star' } // '*': any run of characters
  | { t: 'one' } // '?': exactly one character
  | { t: 'ph'; name: string }; // %name% placeholder (expand modifier), resolved from the mapping

/** How one value of a field (or keyword) is tested. */
export type ValueTest =
  | { k: 'null' } // field absent or empty
  | { k: 'str'; variants: Part[][]; cased: boolean; num?: number; binary?: boolean } // OR of glob variants
  | { k: 're'; re: RegExp; slow: boolean }
  | { k: 'cmp'; op: 'lt' | 'lte' | 'gt' | 'gte'; n: number }
  | { k: 'cidr'; nets: Cidr[] }
  | { k: 'exists'; want: boolean }
  | { k: 'fieldref'; other: string; mode: 'eq' | 'contains' | 'start' | 'end'; cased: boolean };

export interface Cidr {
  v6: boolean;
  /** 16 bytes for v6, 4 for v4 */
  bytes: Uint8Array;
  bits: number;
  text: string;
}

/** `field|mods: values` (or a keyword list when field is null). */
export interface FieldTest {
  field: string | null;
  modifiers: string[];
  values: ValueTest[];
  /** true: every value must match ('all' modifier); false: any value */
  all: boolean;
}

/** A search identifier: OR over alternatives, each an AND of field tests. */
export interface Search {
  name: string;
  alternatives: FieldTest[][];
}

export type CondNode =
  | { t: 'and'; a: CondNode[] }
  | { t: 'or'; a: CondNode[] }
  | { t: 'not'; a: CondNode }
  | { t: 'ref'; name: string }
  | { t: 'of'; n: number | 'all'; names: string[] };

export interface Detection {
  searches: Record<string, Search>;
  condition: CondNode;
}

export interface SigmaLogsource {
  product?: string;
  category?: string;
  service?: string;
  definition?: string;
}

export interface SigmaRule {
  id: string;
  title: string;
  level: Level;
  status?: string;
  description?: string;
  author?: string;
  date?: string;
  modified?: string;
  references: string[];
  tags: string[];
  /** path of the file the rule came from */
  source: string;
  logsource: SigmaLogsource;
  fields?: string[];
  falsepositives?: string[];
  /** exhunt's custom attribute `exhunt: { stage }` */
  stage?: Stage;
  /** CVE ids from `exhunt: { cves }` and tags like cve.2021-26855, upper-case, deduplicated */
  cves: string[];
  /** ATT&CK technique ids from tags like attack.t1190 (upper-case, e.g. T1190, T1505.003) */
  attack: string[];
  detection: Detection;
  /** non-fatal remarks made at load (e.g. regex that may backtrack badly) */
  warnings: string[];
}

export interface LoadProblem {
  path: string;
  id?: string;
  title?: string;
  reason: string;
  /** 'error': the rule was not loaded / not compiled for any log type. 'warning': loaded, but note this. */
  severity: 'error' | 'warning';
}

// A small flag parser: --name value, --name=value, repeatable flags, booleans, positionals.
// Unknown flags are errors, so a typo never silently changes what a scan does.

export interface FlagSpec {
  /** takes a value (else boolean) */
  value?: boolean;
  /** may be given more than once */
  repeat?: boolean;
  short?: string;
}

export interface Parsed {
  flags: Record<string, string | boolean | string[]>;
  positionals: string[];
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: Record<string, FlagSpec>): Parsed {
  const flags: Parsed['flags'] = {};
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(spec).filter(([, s]) => s.short).map(([n, s]) => [s.short!, n]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { positionals.push(...argv.slice(i + 1)); break; }
    let name: string | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      if (eq !== -1) inline = a.slice(eq + 1);
    } else if (a.startsWith('-') && a.length === 2) {
      name = byShort.get(a.slice(1));
      if (!name) throw new UsageError(`unknown option ${a}`);
    } else {
      positionals.push(a);
      continue;
    }
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option --${name}`);
    if (!s.value) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const v = inline ?? argv[++i];
    if (v === undefined) throw new UsageError(`--${name} needs a value`);
    if (s.repeat) flags[name] = [...((flags[name] as string[] | undefined) ?? []), v];
    else flags[name] = v;
  }
  return { flags, positionals };
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(p: Parsed, name: string): string[] {
  const v = p.flags[name];
  return Array.isArray(v) ? v : [];
}

export function bool(p: Parsed, name: string): boolean {
  return p.flags[name] === true;
}

/** A --since/--until value: an ISO date or date-time (UTC when no zone is given). */
export function timeArg(p: Parsed, name: string): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  const s = /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`;
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new UsageError(`--${name} wants a date like 2021-03-01 or 2021-03-01T12:00:00Z, not ${v}`);
  return t;
}

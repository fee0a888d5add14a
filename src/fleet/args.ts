/** `--name value` / `--name=value` / `--flag` parsing for the serve and worker commands. */
export function parseFlags(argv: string[], spec: { values: string[]; flags: string[] }): { opts: Record<string, string | true>; errors: string[] } {
  const opts: Record<string, string | true> = {};
  const errors: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) { errors.push(`unexpected argument: ${a}`); continue; }
    const name = m[1]!;
    if (spec.flags.includes(name)) { opts[name] = true; continue; }
    if (!spec.values.includes(name)) { errors.push(`unknown option: --${name}`); continue; }
    const v = m[2] ?? argv[++i];
    if (v === undefined) errors.push(`--${name} needs a value`);
    else opts[name] = v;
  }
  return { opts, errors };
}

export function parseBytes(v: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmg]?)b?$/i.exec(v.trim());
  if (!m) throw new Error(`not a size: ${v}`);
  return Math.floor(Number(m[1]) * 1024 ** ' kmg'.indexOf((m[2] || ' ').toLowerCase()));
}

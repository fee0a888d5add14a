// Per-record value access with caching: each field source (a record field or a template such as
// '{cs-uri-stem}?{cs-uri-query}') is read and lower-cased at most once per record, however many rules
// test it. Index 0 is reserved for "all field values" (keyword search).
import type { FieldSource } from './mapping.js';

export type Accessor = (fields: Record<string, string>) => string | undefined;

/** Separator between field values in the all-values string searched by keywords. */
export const ALL_SEP = '\n';

function allValues(fields: Record<string, string>): string {
  let s = '';
  let first = true;
  for (const k in fields) {
    const v = fields[k];
    if (v === undefined || v === '') continue;
    s = first ? v : s + ALL_SEP + v;
    first = false;
  }
  return s;
}

function templateAccessor(src: Extract<FieldSource, { kind: 'template' }>): Accessor {
  const chunks = src.chunks;
  const suffix = src.suffix;
  return (f) => {
    let out: string | undefined;
    for (const c of chunks) {
      const v = f[c.field];
      if (v === undefined || v === '') continue;
      out = (out ?? '') + c.prefix + v;
    }
    return out === undefined ? undefined : out + suffix;
  };
}

/** Field sources are registered once per rule set; their index addresses the per-record cache. */
export class AccessorRegistry {
  readonly accessors: Accessor[] = [allValues];
  private readonly keys = new Map<string, number>([['\0all', 0]]);

  index(src: FieldSource): number {
    const key = src.kind === 'field' ? `f:${src.name}` : `t:${src.text}`;
    let i = this.keys.get(key);
    if (i === undefined) {
      i = this.accessors.length;
      const name = src.kind === 'field' ? src.name : '';
      this.accessors.push(src.kind === 'field' ? (f) => f[name] : templateAccessor(src));
      this.keys.set(key, i);
    }
    return i;
  }
}

export class RecordView {
  fields: Record<string, string> = {};
  private gen = 1;
  private readonly stampRaw: number[] = [];
  private readonly stampLow: number[] = [];
  private readonly rawC: (string | undefined)[] = [];
  private readonly lowC: (string | undefined)[] = [];

  constructor(private readonly reg: AccessorRegistry) {}

  reset(fields: Record<string, string>): void {
    this.fields = fields;
    this.gen++;
  }

  raw(i: number): string | undefined {
    if (this.stampRaw[i] === this.gen) return this.rawC[i];
    const v = this.reg.accessors[i]!(this.fields);
    this.rawC[i] = v;
    this.stampRaw[i] = this.gen;
    return v;
  }

  low(i: number): string | undefined {
    if (this.stampLow[i] === this.gen) return this.lowC[i];
    const r = this.raw(i);
    const v = r === undefined ? undefined : r.toLowerCase();
    this.lowC[i] = v;
    this.stampLow[i] = this.gen;
    return v;
  }
}

// Both backends report matches in their own shape; turn them into one so results compare equal.
import type { YaraMatch, YaraPatternHit } from './types.js';

const MAX_OFFSETS = 8;

type MetaValue = string | number | boolean;

export function fromNative(raw: unknown[]): YaraMatch[] {
  return raw.map((r) => {
    const m = r as { ruleIdentifier: string; namespace: string; meta: Record<string, unknown>; tags: string[]; matches: { identifier: string; offset: number; length: number }[] };
    const byId = new Map<string, YaraPatternHit>();
    for (const hit of m.matches) {
      let p = byId.get(hit.identifier);
      if (!p) byId.set(hit.identifier, (p = { id: hit.identifier, offsets: [], lengths: [] }));
      p.offsets.push(hit.offset);
      p.lengths.push(hit.length);
    }
    return finish({ rule: m.ruleIdentifier, namespace: m.namespace, tags: [...m.tags], meta: metaOf(m.meta), patterns: [...byId.values()] });
  });
}

export function fromWasm(raw: unknown): YaraMatch[] {
  const res = raw as { matches?: { identifier: string; namespace: string; tags: string[]; metadata: { identifier: string; value: unknown }[]; patterns: { identifier: string; matches: { offset: number; length: number }[] }[] }[] };
  return (res.matches ?? []).map((m) => {
    const meta: Record<string, unknown> = {};
    for (const kv of m.metadata) if (!(kv.identifier in meta)) meta[kv.identifier] = kv.value;
    const patterns: YaraPatternHit[] = m.patterns
      .filter((p) => p.matches.length > 0)
      .map((p) => ({ id: p.identifier, offsets: p.matches.map((x) => x.offset), lengths: p.matches.map((x) => x.length) }));
    return finish({ rule: m.identifier, namespace: m.namespace, tags: [...m.tags], meta: metaOf(meta), patterns });
  });
}

function metaOf(raw: Record<string, unknown>): Record<string, MetaValue> {
  const out: Record<string, MetaValue> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else if (v instanceof Uint8Array) out[k] = Buffer.from(v).toString('latin1');
    else if (v !== null && v !== undefined) out[k] = String(v);
  }
  return out;
}

function finish(m: YaraMatch): YaraMatch {
  m.patterns.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const p of m.patterns) {
    const order = p.offsets.map((o, i) => [o, p.lengths[i] ?? 0] as const).sort((a, b) => a[0] - b[0]);
    // keep the first few hits only: enough to show where, bounded in size
    p.offsets = order.slice(0, MAX_OFFSETS).map((x) => x[0]);
    p.lengths = order.slice(0, MAX_OFFSETS).map((x) => x[1]);
  }
  return m;
}

// Conformance: every EVTX in the shared corpora reads the same as libevtx's evtxexport, value by value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { hasEvtxexport } from './evtxexport.js';
import { compareFile } from './compare.js';

const corpora = fileURLToPath(new URL('../../../shared/corpora/', import.meta.url));
const roots = [join(corpora, 'evtx'), join(corpora, 'sigmahq', 'regression_data')];

function evtxFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...evtxFiles(p));
    else if (e.name.toLowerCase().endsWith('.evtx')) out.push(p);
  }
  return out.sort();
}

test('records equal evtxexport -f xml, field by field, on every corpus EVTX', async (t) => {
  if (!existsSync(corpora)) return t.skip('corpus ../shared/corpora not present');
  if (!hasEvtxexport()) return t.skip('evtxexport (Debian libevtx-utils) not installed');
  const files = roots.filter((r) => existsSync(r)).flatMap(evtxFiles);
  assert.ok(files.length > 0, 'no .evtx files found in the corpus');
  let records = 0;
  let values = 0;
  const known = new Map<string, number>();
  const failures: string[] = [];
  for (const f of files) {
    const c = await compareFile(f, 1);
    records += c.compared;
    values += c.fields;
    for (const k of c.known) known.set(k.why, (known.get(k.why) ?? 0) + 1);
    const rel = f.slice(corpora.length);
    if (c.ours !== c.theirs) failures.push(`${rel}: ${c.ours} records, evtxexport ${c.theirs}`);
    for (const m of c.mismatches.slice(0, 3)) failures.push(`${rel} record ${m.record} ${m.field}: ours ${JSON.stringify(m.ours)} evtxexport ${JSON.stringify(m.theirs)}`);
    // these files are intact: a problem report would mean we dropped something evtxexport read
    for (const p of c.problems.slice(0, 3)) failures.push(`${rel}: problem ${p}`);
  }
  t.diagnostic(`${files.length} files, ${records} records, ${values} values compared; known evtxexport faults: ${JSON.stringify(Object.fromEntries(known))}`);
  assert.deepEqual(failures, []);
});

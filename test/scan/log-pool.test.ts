// The worker pool must give exactly what the in-process scan gives: same findings, same coverage.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openCollection } from '../../src/evidence/gather.js';
import { scanLogs } from '../../src/scan/log-stage.js';
import { loadRules } from '../../src/scan/rules.js';
import { generateDemo } from '../../src/sim/index.js';

test('log findings are the same on two worker threads as on the calling thread', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'exhunt-pool-')), 'EXCH01');
  await generateDemo(dir, { days: 1 });
  const col = await openCollection(dir);
  const rules = await loadRules({ sigma: [] });
  const base = { sigma: [], ruleSet: rules.ruleSet, watchNames: ['shell.aspx'] };
  const key = (rs: Awaited<ReturnType<typeof scanLogs>>): string[] =>
    rs.flatMap((r) => [...r.findings.map((f) => `${f.rule.id}@${f.evidence.path}:${f.evidence.line}`), `${r.path} ${r.summary?.sha256} ${r.summary?.lines} ${r.requests.length}`]).sort();
  const single = await scanLogs(col.files, { ...base, threads: 1 });
  const pooled = await scanLogs(col.files, { ...base, threads: 2, poolFrom: 0 });
  assert.ok(single.some((r) => r.findings.length > 0));
  assert.deepEqual(key(pooled), key(single));
  await col.close();
});

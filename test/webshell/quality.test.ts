// Recall and false alarms on a labelled set: fresh samples per public technique and benign IIS pages.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { scanWebFiles } from '../../src/detect/webshell/index.js';
import { writeLabelledSet } from '../../src/sim/webshells/index.js';
import { LEVELS, type Level } from '../../src/types.js';

const root = mkdtempSync(join(tmpdir(), 'exhunt-quality-'));
after(() => rmSync(root, { recursive: true, force: true }));
const at = (l: Level | undefined, min: Level) => l !== undefined && LEVELS.indexOf(l) >= LEVELS.indexOf(min);

test('every Exchange-specific technique is caught; benign pages stay under 1 false alarm per 500 at high+', async (t) => {
  const files = writeLabelledSet(root, { seed: 2026, perTechnique: 6, benignPages: 1000, benignStaging: 60, prefix: 'uploads/auto/C%3A/' });
  const res = await scanWebFiles({ root, files, build: '15.1.2176.2' });
  const level = new Map(res.findings.map((f) => [f.evidence.path, f.level]));
  const rows = new Map<string, { label: string; exch: boolean; n: number; medium: number; high: number }>();
  for (const f of files) {
    const k = `${f.label}/${f.category}`;
    const r = rows.get(k) ?? { label: f.label, exch: f.exchangeSpecific, n: 0, medium: 0, high: 0 };
    r.n++;
    if (at(level.get(f.path), 'medium')) r.medium++;
    if (at(level.get(f.path), 'high')) r.high++;
    rows.set(k, r);
  }
  const pct = (a: number, n: number) => `${((100 * a) / n).toFixed(1)}%`.padStart(7);
  const lines = ['category                                             n   medium+    high+'];
  for (const [k, r] of [...rows].sort()) lines.push(`${(k + (r.exch ? ' [exchange]' : '')).padEnd(50)} ${String(r.n).padStart(4)}  ${pct(r.medium, r.n)}  ${pct(r.high, r.n)}`);
  const mal = [...rows.values()].filter((r) => r.label === 'malicious');
  const ben = [...rows.values()].filter((r) => r.label === 'benign');
  const sum = (rs: typeof mal, k: 'n' | 'medium' | 'high') => rs.reduce((a, r) => a + r[k], 0);
  lines.push(`malicious recall: medium+ ${pct(sum(mal, 'medium'), sum(mal, 'n'))}, high+ ${pct(sum(mal, 'high'), sum(mal, 'n'))} of ${sum(mal, 'n')}`);
  lines.push(`benign false alarms: medium+ ${sum(ben, 'medium')} (${pct(sum(ben, 'medium'), sum(ben, 'n'))}), high+ ${sum(ben, 'high')} (${pct(sum(ben, 'high'), sum(ben, 'n'))}) of ${sum(ben, 'n')}`);
  for (const l of lines) t.diagnostic(l);

  for (const [k, r] of rows) {
    if (r.label === 'malicious' && r.exch) assert.equal(r.high, r.n, `${k}: every Exchange-specific sample at high or above`);
    if (r.label === 'malicious') assert.equal(r.medium, r.n, `${k}: every sample reported`);
  }
  const benN = sum(ben, 'n');
  assert.ok(benN >= 1000);
  assert.ok((sum(ben, 'high') * 500) / benN < 1, 'under 1 false alarm per 500 benign files at high+');
  assert.deepEqual(res.problems, []);
  // every finding explains itself
  for (const f of res.findings) {
    assert.match(f.evidence.excerpt, /^score \d+\/100 \((low|medium|high|critical)\): /);
    assert.ok(f.webFile.signals.length > 0);
    assert.deepEqual(f.entities.files, [f.evidence.path]);
  }
});

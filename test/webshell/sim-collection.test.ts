// The simulated server's planted files (src/sim generateCollection): every web shell and dropped artifact in
// a web or staging folder is reported; its stock stand-ins are not, once the scan knows they are stock.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, test } from 'node:test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isWebScanTarget, scanWebFiles, type WebFileInput } from '../../src/detect/webshell/index.js';
import { generateCollection, writeSimBaseline, LAYOUTS } from '../../src/sim/index.js';

const dir = mkdtempSync(join(tmpdir(), 'exhunt-simweb-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function walk(root: string): string[] {
  const out: string[] = [];
  const go = (d: string) => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, n.name);
      if (n.isDirectory()) go(p);
      else if (n.isFile()) out.push(p);
    }
  };
  go(root);
  return out;
}

for (const layout of LAYOUTS.filter((l) => l !== 'loose')) {
  test(`planted files are found in a ${layout} collection`, async () => {
    const out = join(dir, layout);
    const res = await generateCollection({ out, seed: 11, days: 2, scale: 0.005, users: 30, scenarios: 'all', layout, eventLogs: false });
    const baselineDir = join(dir, `${layout}-baseline`);
    writeSimBaseline(out, res.stockFiles, res.build, baselineDir);
    const files: WebFileInput[] = walk(out)
      .map((abs) => ({ abs, path: relative(out, abs).split(sep).join('/') }))
      .filter((f) => isWebScanTarget(f.path))
      .map((f) => ({ path: f.path, absPath: f.abs, size: statSync(f.abs).size, sha256: createHash('sha256').update(readFileSync(f.abs)).digest('hex') }));
    const r = await scanWebFiles({ root: out, files, build: res.build, baselineDir: [baselineDir] });
    const reported = new Map(r.findings.map((f) => [f.evidence.path, f]));
    const planted = res.truth.filter((t) => t.kind === 'file' && !t.context && isWebScanTarget(t.path));
    assert.ok(planted.length > 0, 'the scenarios plant files in web or staging folders');
    for (const t of planted) {
      const f = reported.get(t.path);
      assert.ok(f && f.level !== 'informational' && f.level !== 'low', `${t.scenario}/${t.step} ${t.path}: ${f?.evidence.excerpt ?? 'not reported'}`);
      assert.equal(f.stage === t.stage || t.stage === 'persistence' || f.stage === 'persistence', true, `${t.step}: stage ${f.stage} vs ${t.stage}`);
    }
    for (const s of res.stockFiles) assert.equal(reported.get(s), undefined, `stock stand-in ${s} is not reported: ${reported.get(s)?.evidence.excerpt}`);
  });
}

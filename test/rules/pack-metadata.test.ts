// The pack as data: every rule file loads and compiles without a problem, and carries what the report and
// the verdict rely on (sources, level, stage, CVEs, a unique id).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { LEVELS, STAGES } from '../../src/types.js';
import { loadPack, packPath } from './harness.js';

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const FAMILIES = ['proxylogon', 'proxyshell', 'proxynotshell', 'owassrf', 'other-cves', 'webshell-access', 'scanners', 'cmdlets', 'windows'];

describe('rule pack metadata', async () => {
  const pack = await loadPack();
  const raw = new Map(pack.rules.map((r) => [r, parseAllDocuments(readFileSync(r.source, 'utf8'))]));

  it('loads every rule file with no load or compile problem', () => {
    assert.ok(pack.rules.length >= 50, `only ${pack.rules.length} rules loaded`);
    assert.deepEqual(pack.loadProblems, []);
    assert.deepEqual(pack.compileProblems.map((p) => `${p.path}: ${p.reason}`), []);
  });

  it('holds one rule per file, in a family folder, under a snake_case .yml name', () => {
    for (const r of pack.rules) {
      const p = packPath(r);
      assert.match(p, /^[a-z-]+\/[a-z0-9_]+\.yml$/, p);
      assert.ok(FAMILIES.includes(p.split('/')[0]!), `${p}: unknown family`);
      assert.equal(raw.get(r)!.length, 1, `${p}: one YAML document expected`);
    }
  });

  it('gives every rule a fresh, unique UUID v4', () => {
    const seen = new Map<string, string>();
    for (const r of pack.rules) {
      assert.match(r.id, UUID4, packPath(r));
      assert.ok(!seen.has(r.id), `${packPath(r)} reuses the id of ${seen.get(r.id)}`);
      seen.set(r.id, packPath(r));
    }
  });

  it('gives every rule public references, a level, an exhunt stage and the common Sigma attributes', () => {
    for (const r of pack.rules) {
      const p = packPath(r);
      assert.ok(r.references.length > 0, `${p}: no references`);
      for (const ref of r.references) assert.match(ref, /^https:\/\/[^\s]+$/, `${p}: reference ${ref}`);
      assert.ok(LEVELS.includes(r.level), `${p}: level ${r.level}`);
      assert.ok(r.stage && STAGES.includes(r.stage), `${p}: exhunt.stage ${String(r.stage)}`);
      assert.equal(r.author, 'exhunt', p);
      assert.match(r.date ?? '', /^\d{4}-\d{2}-\d{2}$/, `${p}: date`);
      assert.ok(['stable', 'test', 'experimental'].includes(r.status ?? ''), `${p}: status ${String(r.status)}`);
      assert.ok((r.description ?? '').length > 40, `${p}: description`);
      assert.ok((r.falsepositives ?? []).length > 0, `${p}: falsepositives`);
      assert.ok(r.tags.some((t) => /^attack\.t\d{4}/.test(t)), `${p}: no ATT&CK technique tag`);
    }
  });

  it('writes CVE ids the same way in exhunt.cves and in cve.* tags', () => {
    for (const r of pack.rules) {
      const p = packPath(r);
      const doc = raw.get(r)![0]!.toJS() as { exhunt?: { cves?: unknown } };
      const listed = doc.exhunt?.cves;
      assert.ok(Array.isArray(listed), `${p}: exhunt.cves must be a list`);
      for (const c of listed) assert.match(String(c), /^CVE-\d{4}-\d{4,7}$/, `${p}: ${String(c)}`);
      for (const t of r.tags.filter((x) => x.startsWith('cve.'))) {
        assert.ok(listed.includes(t.replace(/^cve\./, 'CVE-')), `${p}: tag ${t} missing from exhunt.cves`);
      }
      assert.deepEqual([...r.cves].sort(), [...new Set(listed.map(String))].sort(), `${p}: cves as the engine reads them`);
    }
  });

  it('cites SigmaHQ rules that exist (checked against the SigmaHQ corpus)', (t) => {
    const corpus = fileURLToPath(new URL('../../../shared/corpora/sigmahq/', import.meta.url));
    if (!existsSync(corpus)) return t.skip('SigmaHQ corpus not present at ../shared/corpora/sigmahq');
    const prefix = 'https://github.com/SigmaHQ/sigma/blob/master/';
    const cited = pack.rules.flatMap((r) => r.references.filter((u) => u.startsWith(prefix)).map((u) => [packPath(r), u.slice(prefix.length)] as const));
    assert.ok(cited.length > 20, `${cited.length} SigmaHQ citations`);
    const missing = cited.filter(([, p]) => !existsSync(corpus + p)).map(([r, p]) => `${r}: ${p}`);
    assert.deepEqual(missing, []);
  });

  it('uses ids of its own, none taken from a SigmaHQ rule', async (t) => {
    const corpus = fileURLToPath(new URL('../../../shared/corpora/sigmahq/', import.meta.url));
    if (!existsSync(corpus)) return t.skip('SigmaHQ corpus not present at ../shared/corpora/sigmahq');
    const theirs = new Set<string>();
    for (const f of await readdir(corpus, { recursive: true })) {
      if (!f.endsWith('.yml')) continue;
      for (const m of (await readFile(corpus + f, 'utf8')).matchAll(/^id: *([0-9a-f-]{36})/gm)) theirs.add(m[1]!);
    }
    assert.ok(theirs.size > 1000, `${theirs.size} SigmaHQ ids read`);
    assert.deepEqual(pack.rules.filter((r) => theirs.has(r.id)).map(packPath), []);
  });

  it('keeps stages consistent with what the detection can see', () => {
    for (const r of pack.rules) {
      const p = packPath(r);
      // an 'exploited' verdict must name what was exploited
      if (r.stage === 'exploited') assert.ok(r.cves.length > 0, `${p}: exploited without a CVE`);
      // recon rules must never outrank exploitation findings
      if (r.stage === 'recon') assert.ok(['informational', 'low', 'medium'].includes(r.level), `${p}: recon at level ${r.level}`);
    }
  });
});

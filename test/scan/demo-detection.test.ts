// End to end on the simulated server: the attack steps the simulator planted (written from the public
// incident reports, not from our rules) must be found at their exact file and line, and the benign
// lines made to look alarming must stay quiet.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { scanCollection } from '../../src/scan/run-scan.js';
import { generateDemo, writeSimBaseline, type GenerateResult } from '../../src/sim/index.js';
import type { HostAssessment } from '../../src/types.js';

let gen: GenerateResult;
let host: HostAssessment;
const at = new Map<string, { level: string; stage: string }[]>();

before(async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'exhunt-e2e-')), 'EXCH01');
  gen = await generateDemo(dir);
  // The simulated stock pages are stand-ins: tell the scan they are this server's stock files.
  writeSimBaseline(dir, gen.stockFiles, gen.build, `${dir}-baseline`);
  host = (await scanCollection(dir, { threads: 1, baseline: [`${dir}-baseline`] })).hosts[0]!;
  for (const f of host.findings) {
    const k = `${f.evidence.path}:${f.evidence.line ?? ''}`;
    at.set(k, [...(at.get(k) ?? []), { level: f.level, stage: f.stage }]);
  }
});

// Steps whose traces are in log families exhunt reads and that the public write-ups describe as indicators.
const DETECTABLE_LOGS = new Set(['iis', 'ecp-server', 'oab-generator', 'rps-cmdlet']);

test('every planted exploitation step in IIS, HttpProxy, ECP, OAB and cmdlet logs is found at its line', () => {
  const planted = gen.truth.filter((t) => t.kind === 'log-line' && t.stage !== 'recon' && (DETECTABLE_LOGS.has(t.logType ?? '') || t.logType?.startsWith('httpproxy/')));
  assert.ok(planted.length > 50, `the demo plants many steps (${planted.length})`);
  const missed = planted.filter((t) => !at.has(`${t.path}:${t.line}`) && !/clear-externalurl/.test(t.step));
  assert.deepEqual(missed.map((t) => `${t.scenario}/${t.step} ${t.path}:${t.line}`), []);
});

test('every planted web shell and dropped artifact is found', () => {
  const files = gen.truth.filter((t) => t.kind === 'file' && t.logType === undefined && !/\.config$/i.test(t.path));
  assert.ok(files.length >= 3);
  const found = new Set(host.findings.map((f) => f.evidence.path));
  assert.deepEqual(files.filter((t) => !found.has(t.path)).map((t) => t.path), []);
});

test('the verdict is compromised, with the attackers and the first evidence named', () => {
  assert.equal(host.verdict, 'compromised');
  assert.equal(host.confidence, 'high');
  for (const s of ['exploited', 'persistence', 'data-access'] as const) assert.ok(host.stages.includes(s), s);
  const exploiting = new Set(gen.truth.filter((t) => t.stage === 'exploited').map((t) => t.attackerIp));
  for (const ip of exploiting) assert.ok(host.attackerIps.includes(ip), `attacker ${ip} listed`);
  const first = Math.min(...gen.truth.filter((t) => t.stage !== 'recon' && t.kind === 'log-line').map((t) => Date.parse(t.time)));
  assert.ok(host.firstEvidence !== undefined && host.firstEvidence <= first);
});

test('every file of the collection is accounted for, and the log families report their time span', () => {
  assert.equal(host.coverage.files.length, gen.files);
  assert.ok(host.coverage.files.every((f) => f.status === 'read' || f.reason), 'a file not read says why');
  assert.ok(host.coverage.files.filter((f) => f.status === 'read').every((f) => /^[0-9a-f]{64}$/.test(f.sha256 ?? '')), 'read files are hashed');
  const iis = host.coverage.families.find((f) => f.family === 'iis')!;
  assert.equal(new Date(iis.first!).toISOString().slice(0, 10), '2021-03-01');
  assert.equal(new Date(iis.last!).toISOString().slice(0, 10), '2021-03-03');
});

test('benign lines made to look alarming (internal scanner, admin changes) raise nothing above low', () => {
  assert.ok(gen.decoys.length > 0);
  const loud = gen.decoys.filter((d) => (at.get(`${d.path}:${d.line}`) ?? []).some((f) => f.level !== 'low' && f.level !== 'informational'));
  assert.deepEqual(loud.map((d) => `${d.what} ${d.path}:${d.line}`), []);
});

test('a server with only benign traffic is not called exploited or compromised', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'exhunt-benign-')), 'EXCH02');
  const g = await generateDemo(dir, { scenarios: 'none', seed: 99 });
  writeSimBaseline(dir, g.stockFiles, g.build, `${dir}-baseline`);
  const h = (await scanCollection(dir, { threads: 1, baseline: [`${dir}-baseline`] })).hosts[0]!;
  assert.equal(g.truth.length, 0);
  // The simulated build predates the March 2021 fixes: with no attack traces it is vulnerable, not hacked.
  assert.equal(h.verdict, 'vulnerable');
  assert.deepEqual(h.findings.filter((f) => f.level !== 'low' && f.level !== 'informational').map((f) => `${f.rule.title} ${f.evidence.path}:${f.evidence.line}`), []);
  assert.ok((h.exposure as { missingFixes: { cve: string }[] }).missingFixes.some((m) => m.cve === 'CVE-2021-26855'));
});

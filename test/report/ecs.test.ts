// --format ecs: one ECS document per finding, checked against the field types and allowed values of
// the Elastic Common Schema 8.11 reference (written out by hand).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderEcs } from '../../src/report/ecs.js';
import { result } from '../assess/fixtures.js';
import { handHost } from './hosts.js';
import { checkEcs } from './spec-checks.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type O = Record<string, any>;

test('every finding is one valid ECS document; untimed findings carry the scan time and say so', () => {
  const r = result([handHost()]);
  const lines = renderEcs(r).trimEnd().split('\n');
  assert.equal(lines.length, r.hosts[0]!.findings.length);
  const docs = lines.map((l) => JSON.parse(l) as O);
  docs.forEach(checkEcs);
  const ssrf = docs.find((d) => d.rule.name === 'ProxyLogon SSRF')!;
  assert.equal(ssrf.source.ip, '5.254.43.18');
  assert.deepEqual(ssrf.vulnerability.id, ['CVE-2021-26855']);
  assert.deepEqual(ssrf.threat.technique.id, ['T1190']);
  assert.equal(ssrf['@timestamp'], '2021-03-03T02:00:00.000Z');
  const shell = docs.find((d) => d.file)!;
  assert.equal(shell.file.hash.sha256, '2e1eb00575e1a8f6c95a23c87b05e23eb4718557f787aa905bb000e98b31c5f0');
  assert.ok(shell.event.category.includes('file'));
  const untimed = docs.find((d) => d.rule.name === 'No time')!;
  assert.equal(untimed.exhunt.time_unknown, true);
  assert.equal(untimed['@timestamp'], new Date(r.finished).toISOString());
  assert.equal(renderEcs(result([])), '');
});

// --format ecs: one ECS document per finding, checked against the field types and allowed values of
// the Elastic Common Schema 8.11 reference (written out by hand).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { ECS_VERSION, renderEcs } from '../../src/report/ecs.js';
import { result } from '../assess/fixtures.js';
import { handHost } from './hosts.js';

const KIND = ['alert', 'asset', 'enrichment', 'event', 'metric', 'state', 'pipeline_error', 'signal'];
const CATEGORY = ['api', 'authentication', 'configuration', 'database', 'driver', 'email', 'file', 'host', 'iam', 'intrusion_detection', 'library', 'malware', 'network', 'package', 'process', 'registry', 'session', 'threat', 'vulnerability', 'web'];
const TYPE = ['access', 'admin', 'allowed', 'change', 'connection', 'creation', 'deletion', 'denied', 'end', 'error', 'group', 'indicator', 'info', 'installation', 'protocol', 'start', 'user'];
type O = Record<string, any>;

export function checkEcs(d: O): void {
  assert.match(d['@timestamp'], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  assert.equal(d.ecs.version, ECS_VERSION);
  assert.ok(KIND.includes(d.event.kind));
  assert.ok(Array.isArray(d.event.category) && d.event.category.every((c: string) => CATEGORY.includes(c)));
  assert.ok(Array.isArray(d.event.type) && d.event.type.every((c: string) => TYPE.includes(c)));
  assert.ok(Number.isInteger(d.event.severity));
  assert.equal(typeof d.event.risk_score, 'number');
  assert.equal(typeof d.message, 'string');
  assert.equal(typeof d.rule.id, 'string');
  assert.equal(typeof d.rule.name, 'string');
  assert.equal(typeof d.host.name, 'string');
  if (d.source) assert.notEqual(isIP(d.source.ip), 0);
  for (const ip of d.related.ip) assert.notEqual(isIP(ip), 0, `related.ip ${ip}`);
  assert.ok(Array.isArray(d.related.user));
  if (d.file?.hash) assert.match(d.file.hash.sha256, /^[0-9a-f]{64}$/);
  if (d.file) assert.equal(typeof d.file.path, 'string');
  if (d.threat) for (const t of d.threat.technique.id) assert.match(t, /^T\d{4}$/);
  if (d.vulnerability) for (const v of d.vulnerability.id) assert.match(v, /^CVE-\d{4}-\d+$/);
  for (const k of Object.keys(d)) assert.ok(['@timestamp', 'ecs', 'message', 'event', 'rule', 'host', 'observer', 'related', 'log', 'exhunt', 'source', 'user', 'threat', 'vulnerability', 'file'].includes(k), `field set ${k} is ECS or under exhunt.`);
}

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

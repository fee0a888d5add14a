// --format stix: a STIX 2.1 bundle checked against the required properties and rules of the OASIS
// STIX 2.1 specification (sections 3, 4, 5, 6 and 9), written out by hand here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderStix, uuidv5, patternString } from '../../src/report/stix.js';
import { result } from '../assess/fixtures.js';
import { handHost } from './hosts.js';
import { checkBundle } from './spec-checks.js';

type O = Record<string, unknown>;

test('the bundle holds the attacker addresses, the shell hash and URL, each with indicator, observed-data and sighting', () => {
  const b = JSON.parse(renderStix(result([handHost()]))) as O;
  checkBundle(b);
  const objs = b['objects'] as O[];
  const patterns = objs.filter((o) => o['type'] === 'indicator').map((o) => o['pattern']);
  assert.ok(patterns.includes("[ipv4-addr:value = '5.254.43.18']"));
  assert.ok(patterns.includes("[ipv4-addr:value = '203.0.113.77']"));
  assert.ok(patterns.includes("[file:hashes.'SHA-256' = '2e1eb00575e1a8f6c95a23c87b05e23eb4718557f787aa905bb000e98b31c5f0']"));
  assert.ok(patterns.includes("[url:value = 'https://EX02/aspnet_client/discover.aspx']"));
  assert.equal(objs.filter((o) => o['type'] === 'sighting').length, patterns.length, 'one sighting per indicator');
  assert.equal(renderStix(result([handHost()])), renderStix(result([handHost()])), 'deterministic');
});

test('UUIDv5 matches the RFC 4122 test vector; pattern strings escape quotes and backslashes', () => {
  // RFC 4122 appendix B / Python uuid.uuid5(NAMESPACE_DNS, 'python.org')
  assert.equal(uuidv5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '886313e1-3b8a-5372-9b90-0c9aee199e5d');
  assert.equal(patternString("a'b\\c"), "'a\\'b\\\\c'");
});

test('a host without evidence gives a valid bundle with only identities', () => {
  const b = JSON.parse(renderStix(result([]))) as O;
  assert.equal(b['type'], 'bundle');
  assert.deepEqual((b['objects'] as O[]).map((o) => o['type']), ['identity']);
});

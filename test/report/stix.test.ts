// --format stix: a STIX 2.1 bundle checked against the required properties and rules of the OASIS
// STIX 2.1 specification (sections 3, 4, 5, 6 and 9), written out by hand here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { renderStix, uuidv5, patternString } from '../../src/report/stix.js';
import { result } from '../assess/fixtures.js';
import { handHost } from './hosts.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const SDO = new Set(['identity', 'indicator', 'observed-data']);
const SRO = new Set(['sighting', 'relationship']);
const SCO = new Set(['ipv4-addr', 'ipv6-addr', 'file', 'url']);
type O = Record<string, unknown>;

export function checkBundle(b: O): void {
  assert.equal(b['type'], 'bundle');
  assert.match(String(b['id']), /^bundle--/);
  assert.equal(b['spec_version'], undefined, '2.1 bundles carry no spec_version');
  const objs = b['objects'] as O[];
  assert.ok(Array.isArray(objs) && objs.length > 0);
  const ids = new Map(objs.map((o) => [o['id'] as string, o]));
  assert.equal(ids.size, objs.length, 'ids are unique');
  const ref = (id: unknown, types: string[]): void => {
    const o = ids.get(id as string);
    assert.ok(o, `reference ${String(id)} resolves inside the bundle`);
    assert.ok(types.includes(o['type'] as string), `${String(id)} is one of ${types}`);
  };
  for (const o of objs) {
    const type = o['type'] as string;
    assert.match(type, /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/);
    const [t, u] = String(o['id']).split('--');
    assert.equal(t, type);
    assert.match(u!, UUID);
    if (SDO.has(type) || SRO.has(type)) {
      assert.equal(o['spec_version'], '2.1');
      assert.match(String(o['created']), TS);
      assert.match(String(o['modified']), TS);
      assert.ok(String(o['modified']) >= String(o['created']));
      if (o['created_by_ref']) ref(o['created_by_ref'], ['identity']);
    } else {
      assert.ok(SCO.has(type), `unexpected type ${type}`);
      assert.equal(u![14], '5', 'SCO ids are UUIDv5 (section 2.9)');
    }
    switch (type) {
      case 'identity': assert.equal(typeof o['name'], 'string'); break;
      case 'indicator':
        assert.equal(o['pattern_type'], 'stix');
        assert.match(String(o['valid_from']), TS);
        assert.match(String(o['pattern']), /^\[(ipv4-addr|ipv6-addr|file|url):[a-z_.']+(?:'SHA-256')? = '(?:[^'\\]|\\.)*'\]$/);
        break;
      case 'observed-data': {
        assert.match(String(o['first_observed']), TS);
        assert.match(String(o['last_observed']), TS);
        assert.ok(String(o['last_observed']) >= String(o['first_observed']));
        const n = o['number_observed'] as number;
        assert.ok(Number.isInteger(n) && n >= 1 && n <= 999_999_999);
        const refs = o['object_refs'] as string[];
        assert.ok(refs.length > 0);
        for (const r of refs) ref(r, [...SCO]);
        break;
      }
      case 'sighting': {
        ref(o['sighting_of_ref'], ['indicator']);
        for (const r of o['observed_data_refs'] as string[]) ref(r, ['observed-data']);
        for (const r of o['where_sighted_refs'] as string[]) ref(r, ['identity', 'location']);
        const c = o['count'] as number;
        assert.ok(Number.isInteger(c) && c >= 0 && c <= 999_999_999);
        assert.ok(String(o['last_seen']) >= String(o['first_seen']));
        break;
      }
      case 'ipv4-addr': assert.equal(isIP(String(o['value'])), 4); break;
      case 'ipv6-addr': assert.equal(isIP(String(o['value'])), 6); break;
      case 'file': assert.ok(o['hashes'] || o['name']); if (o['hashes']) assert.match(String((o['hashes'] as O)['SHA-256']), /^[0-9a-f]{64}$/); break;
      case 'url': assert.doesNotThrow(() => new URL(String(o['value']))); break;
    }
  }
}

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

// Hand-written checks from the published specifications: STIX 2.1 (OASIS, sections 2.9, 3-6, 9) and
// the Elastic Common Schema 8.11 field reference (types and allowed values).
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { ECS_VERSION } from '../../src/report/ecs.js';

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


const KIND = ['alert', 'asset', 'enrichment', 'event', 'metric', 'state', 'pipeline_error', 'signal'];
const CATEGORY = ['api', 'authentication', 'configuration', 'database', 'driver', 'email', 'file', 'host', 'iam', 'intrusion_detection', 'library', 'malware', 'network', 'package', 'process', 'registry', 'session', 'threat', 'vulnerability', 'web'];
const TYPE = ['access', 'admin', 'allowed', 'change', 'connection', 'creation', 'deletion', 'denied', 'end', 'error', 'group', 'indicator', 'info', 'installation', 'protocol', 'start', 'user'];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type A = Record<string, any>;

export function checkEcs(d: A): void {
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


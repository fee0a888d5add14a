// STIX 2.1 bundle of what this scan observed (OASIS STIX 2.1, https://docs.oasis-open.org/cti/stix/v2.1/):
// for each attacker address, dropped file (hashes and path) and shell URL: the cyber observable (SCO), an
// indicator with a STIX pattern, the observed-data, and a sighting of the indicator on the scanned host
// (an identity). SCO ids are UUIDv5 over their id-contributing properties as the spec prescribes; the
// other ids are UUIDv5 too (own namespace), so the same scan gives the same bundle.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { HostAssessment, ScanResult } from '../types.js';

/** The namespace STIX 2.1 section 2.9 fixes for deterministic SCO ids. */
const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** exhunt's own namespace for SDO/SRO ids (random, fixed once). */
const EXHUNT_NAMESPACE = '6f0c3c43-8d0e-4f58-9a0b-6c7bde1c9a51';

export function uuidv5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const x = hash.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** RFC 8785-style canonical JSON for the small flat objects SCO ids are computed from (sorted keys). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** A STIX pattern string literal: quotes and backslashes escaped (STIX 2.1 part 9). */
export function patternString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const ts = (t: number): string => new Date(t).toISOString();
type Obj = Record<string, unknown>;

interface Observed { sco: Obj; pattern: string; name: string; first: number; last: number; count: number; labels: string[] }

function observedOf(h: HostAssessment, fallback: number): Observed[] {
  const a = h.answers;
  if (!a) return [];
  const out: Observed[] = [];
  const t0 = (t: number | undefined): number => (typeof t === 'number' && Number.isFinite(t) ? t : fallback);
  for (const x of a.attackers) {
    const v = isIP(x.ip);
    if (!v) continue;
    const type = v === 4 ? 'ipv4-addr' : 'ipv6-addr';
    out.push({ sco: { type, spec_version: '2.1', id: `${type}--${uuidv5(canonical({ value: x.ip }), SCO_NAMESPACE)}`, value: x.ip }, pattern: `[${type}:value = ${patternString(x.ip)}]`, name: `Address that attacked ${h.host}: ${x.ip}`, first: t0(x.first), last: t0(x.last ?? x.first), count: Math.max(1, Math.min(999_999_999, x.requests || x.findings || 1)), labels: x.stages });
  }
  for (const f of a.files) {
    if (f.modifiedStock) continue;
    const name = f.path.split(/[\\/]/).pop() ?? f.path;
    const sha = f.sha256 && /^[0-9a-f]{64}$/i.test(f.sha256) ? f.sha256.toLowerCase() : undefined;
    const sco: Obj = { type: 'file', spec_version: '2.1', name };
    if (sha) sco['hashes'] = { 'SHA-256': sha };
    sco['id'] = `file--${uuidv5(canonical(sha ? { hashes: { 'SHA-256': sha }, name } : { name }), SCO_NAMESPACE)}`;
    const pattern = sha ? `[file:hashes.'SHA-256' = ${patternString(sha)}]` : `[file:name = ${patternString(name)}]`;
    out.push({ sco, pattern, name: `File dropped on ${h.host}: ${f.path}`, first: t0(f.time), last: t0(f.lastRequest ?? f.time), count: 1, labels: [f.stage] });
    const stem = f.requests ? webStem(f.path) : undefined;
    if (stem) {
      const url = `https://${h.host}${stem}`;
      out.push({ sco: { type: 'url', spec_version: '2.1', id: `url--${uuidv5(canonical({ value: url }), SCO_NAMESPACE)}`, value: url }, pattern: `[url:value = ${patternString(url)}]`, name: `Web shell URL on ${h.host}: ${stem}`, first: t0(f.firstRequest ?? f.time), last: t0(f.lastRequest ?? f.time), count: Math.max(1, Math.min(999_999_999, f.requests ?? 1)), labels: ['persistence'] });
    }
  }
  return out;
}

/** The URL path a web folder file is served under (the two folders Exchange web shells live in). */
function webStem(path: string): string | undefined {
  const p = path.replace(/\\/g, '/');
  const m = /\/(?:FrontEnd\/HttpProxy|ClientAccess)\/((?:owa|ecp|ews|oab|autodiscover|mapi|rpc|powershell)\/.+)$/i.exec(p) ?? /inetpub\/wwwroot\/(.+)$/i.exec(p);
  return m ? `/${encodeURI(m[1]!)}` : undefined;
}

export function stixBundle(r: ScanResult): Obj {
  const created = ts(r.finished || Date.now());
  const id = (type: string, key: string): string => `${type}--${uuidv5(key, EXHUNT_NAMESPACE)}`;
  const tool: Obj = { type: 'identity', spec_version: '2.1', id: id('identity', 'exhunt'), created, modified: created, name: `exhunt ${r.tool.version}`, identity_class: 'system' };
  const objects: Obj[] = [tool];
  const seen = new Set<string>([tool['id'] as string]);
  const add = (o: Obj): void => { if (!seen.has(o['id'] as string)) { seen.add(o['id'] as string); objects.push(o); } };
  for (const h of r.hosts) {
    const where: Obj = { type: 'identity', spec_version: '2.1', id: id('identity', `host:${h.host}`), created, modified: created, name: h.host, identity_class: 'system', created_by_ref: tool['id'] };
    add(where);
    for (const o of observedOf(h, r.finished || Date.now())) {
      add(o.sco);
      const ind: Obj = { type: 'indicator', spec_version: '2.1', id: id('indicator', o.pattern), created, modified: created, created_by_ref: tool['id'], name: o.name.slice(0, 250), indicator_types: ['malicious-activity'], pattern: o.pattern, pattern_type: 'stix', valid_from: ts(o.first), labels: o.labels };
      add(ind);
      const od: Obj = { type: 'observed-data', spec_version: '2.1', id: id('observed-data', `${h.host}|${o.pattern}`), created, modified: created, created_by_ref: tool['id'], first_observed: ts(o.first), last_observed: ts(Math.max(o.first, o.last)), number_observed: o.count, object_refs: [o.sco['id']] };
      add(od);
      add({ type: 'sighting', spec_version: '2.1', id: id('sighting', `${h.host}|${o.pattern}`), created, modified: created, created_by_ref: tool['id'], sighting_of_ref: ind['id'], observed_data_refs: [od['id']], where_sighted_refs: [where['id']], first_seen: ts(o.first), last_seen: ts(Math.max(o.first, o.last)), count: o.count });
    }
  }
  return { type: 'bundle', id: `bundle--${uuidv5(`${r.started}|${r.hosts.map((h) => h.host).join('|')}`, EXHUNT_NAMESPACE)}`, objects };
}

export function renderStix(r: ScanResult): string {
  return JSON.stringify(stixBundle(r), null, 2) + '\n';
}

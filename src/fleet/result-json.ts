import type { ScanResult, HostAssessment, Finding, Level, Stage, Verdict } from '../types.js';
import { LEVELS, STAGES } from '../types.js';

// The scan-result JSON contract (schema/scan-result.schema.json) <-> the in-memory ScanResult.
// JSON carries ISO-8601 times and schemaVersion; memory carries epoch ms. Posted results are attacker-
// influenced input: everything is checked, and a clear message names the first bad field.

import { SCHEMA_VERSION } from '../report/json.js';

export { SCHEMA_VERSION };
const VERDICTS: readonly Verdict[] = ['compromised', 'exploited', 'attempted', 'vulnerable', 'clean', 'inconclusive'];
const CONFIDENCES = ['high', 'medium', 'low'] as const;

export class ResultFormatError extends Error {
  override name = 'ResultFormatError';
}

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(where: string, what: string): never {
  throw new ResultFormatError(`${where}: ${what}`);
}
function str(o: J, k: string, where: string): string {
  const v = o[k];
  if (typeof v !== 'string') fail(`${where}.${k}`, 'expected a string');
  return v;
}
function optStr(o: J, k: string, where: string): string | undefined {
  return o[k] === undefined ? undefined : str(o, k, where);
}
function strArr(o: J, k: string, where: string): string[] {
  const v = o[k];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(`${where}.${k}`, 'expected an array of strings');
  return v as string[];
}
function time(o: J, k: string, where: string): number {
  const v = o[k];
  const t = typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isFinite(t)) fail(`${where}.${k}`, 'expected an ISO-8601 time');
  return t;
}
function optTime(o: J, k: string, where: string): number | undefined {
  return o[k] === undefined || o[k] === null ? undefined : time(o, k, where);
}
function oneOf<T extends string>(o: J, k: string, allowed: readonly T[], where: string): T {
  const v = o[k];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) fail(`${where}.${k}`, `expected one of ${allowed.join(', ')}`);
  return v as T;
}
function optInt(o: J, k: string, where: string): number | undefined {
  const v = o[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(`${where}.${k}`, 'expected a non-negative integer');
  return v;
}

function finding(v: unknown, where: string): Finding {
  if (!isObj(v)) fail(where, 'expected an object');
  const rule = v['rule'];
  if (!isObj(rule)) fail(`${where}.rule`, 'expected an object');
  const ev = v['evidence'];
  if (!isObj(ev)) fail(`${where}.evidence`, 'expected an object');
  const en = v['entities'];
  if (!isObj(en)) fail(`${where}.entities`, 'expected an object');
  const refs = rule['references'] === undefined ? undefined : strArr(rule, 'references', `${where}.rule`);
  const t = optTime(v, 'time', where);
  const line = optInt(ev, 'line', `${where}.evidence`);
  const record = optInt(ev, 'record', `${where}.evidence`);
  const offset = optInt(ev, 'offset', `${where}.evidence`);
  return {
    rule: {
      id: str(rule, 'id', `${where}.rule`),
      title: str(rule, 'title', `${where}.rule`),
      source: str(rule, 'source', `${where}.rule`),
      level: oneOf<Level>(rule, 'level', LEVELS, `${where}.rule`),
      ...(refs ? { references: refs } : {}),
    },
    level: oneOf<Level>(v, 'level', LEVELS, where),
    stage: oneOf<Stage>(v, 'stage', STAGES, where),
    cves: strArr(v, 'cves', where),
    attack: strArr(v, 'attack', where),
    ...(t !== undefined ? { time: t } : {}),
    evidence: {
      path: str(ev, 'path', `${where}.evidence`),
      excerpt: str(ev, 'excerpt', `${where}.evidence`),
      ...(line !== undefined ? { line } : {}),
      ...(record !== undefined ? { record } : {}),
      ...(offset !== undefined ? { offset } : {}),
    },
    entities: {
      ips: strArr(en, 'ips', `${where}.entities`),
      users: strArr(en, 'users', `${where}.entities`),
      mailboxes: strArr(en, 'mailboxes', `${where}.entities`),
      files: strArr(en, 'files', `${where}.entities`),
    },
  };
}

function host(v: unknown, where: string): HostAssessment {
  if (!isObj(v)) fail(where, 'expected an object');
  const name = str(v, 'host', where);
  if (name.length === 0 || name.length > 255) fail(`${where}.host`, 'expected 1..255 characters');
  const findings = v['findings'];
  if (!Array.isArray(findings)) fail(`${where}.findings`, 'expected an array');
  const cov = v['coverage'];
  if (!isObj(cov) || !Array.isArray(cov['families']) || !Array.isArray(cov['files']) || !Array.isArray(cov['notes'])) {
    fail(`${where}.coverage`, 'expected {families, files, notes}');
  }
  const exposure = v['exposure'];
  if (exposure !== undefined && !isObj(exposure)) fail(`${where}.exposure`, 'expected an object');
  const first = optTime(v, 'firstEvidence', where);
  const last = optTime(v, 'lastEvidence', where);
  return {
    host: name,
    verdict: oneOf<Verdict>(v, 'verdict', VERDICTS, where),
    confidence: oneOf(v, 'confidence', CONFIDENCES, where),
    reason: str(v, 'reason', where),
    stages: strArr(v, 'stages', where).map((s, i) => oneOf<Stage>({ s }, 's', STAGES, `${where}.stages[${i}]`)),
    ...(first !== undefined ? { firstEvidence: first } : {}),
    ...(last !== undefined ? { lastEvidence: last } : {}),
    attackerIps: strArr(v, 'attackerIps', where),
    findings: findings.map((f, i) => finding(f, `${where}.findings[${i}]`)),
    // Coverage is stored and shown as given (times stay ISO strings inside it): it is display data.
    coverage: cov as unknown as HostAssessment['coverage'],
    ...(exposure ? { exposure } : {}),
  };
}

/** Validate a parsed JSON document against the contract and convert it to a ScanResult. */
export function parseResultJson(doc: unknown): ScanResult {
  if (!isObj(doc)) fail('result', 'expected a JSON object');
  const sv = doc['schemaVersion'];
  if (typeof sv !== 'string') fail('result.schemaVersion', 'missing');
  const major = sv.split('.')[0];
  if (major !== SCHEMA_VERSION.split('.')[0]) {
    fail('result.schemaVersion', `version ${JSON.stringify(sv).slice(0, 40)} is not supported by this server (it reads ${SCHEMA_VERSION}); upgrade the server`);
  }
  const tool = doc['tool'];
  if (!isObj(tool) || tool['name'] !== 'exhunt') fail('result.tool', 'expected {name: "exhunt", version}');
  const hosts = doc['hosts'];
  if (!Array.isArray(hosts)) fail('result.hosts', 'expected an array');
  return {
    tool: { name: 'exhunt', version: str(tool, 'version', 'result.tool') },
    started: time(doc, 'started', 'result'),
    finished: time(doc, 'finished', 'result'),
    hosts: hosts.map((h, i) => host(h, `result.hosts[${i}]`)),
  };
}

/** ScanResult -> the JSON contract: the report stage's own serialiser, so there is one. */
export { resultJson as toResultJson } from '../report/json.js';

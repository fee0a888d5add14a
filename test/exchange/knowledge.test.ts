import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadKnowledge, validateBuildData, buildKnowledge } from '../../src/detect/exchange/build-data.js';
import { identifyBuild, missingFixes, hasSecurityUpdate } from '../../src/detect/exchange/knowledge.js';
import { parseBuild } from '../../src/detect/exchange/build-parse.js';
import { loadMilestones, validateMilestones } from '../../src/detect/exchange/milestones.js';

const k = loadKnowledge();
const cves = (b: string, opts = {}): Set<string> => new Set(missingFixes(b, opts).map((m) => m.cve));
const fix = (b: string, cve: string) => missingFixes(b).find((m) => m.cve === cve);

test('the bundled data validates and covers 2010 SP3 to SE with sources and conflicts', () => {
  assert.ok(k.data.releases.length >= 240);
  for (const p of ['2010', '2013', '2016', '2019', 'SE']) assert.ok(k.data.releases.some((r) => r.product === p), p);
  for (const r of k.data.releases) assert.ok(r.sources.length > 0 && r.sources.every((s) => s in k.data.sources), r.build);
  for (const su of ['Mar21SU', 'Apr21SU', 'May21SU', 'Jul21SU', 'Nov21SU', 'Nov22SU', 'Jan23SU', 'Aug23SU', 'Mar24SU']) assert.ok(k.suById.has(su), su);
  assert.ok(k.data.conflicts.length >= 8);
  assert.ok(k.data.releases.some((r) => r.rerelease), 'hotfix re-releases are listed');
  assert.ok(k.data.releases.filter((r) => r.product === '2013').every((r) => r.outOfSupport));
  assert.ok(k.data.releases.filter((r) => r.product === 'SE').every((r) => !r.outOfSupport));
});

test('the validator names the bad field', () => {
  const raw = JSON.parse(readFileSync(new URL('../../rules/exchange/builds.json', import.meta.url), 'utf8'));
  const bad = structuredClone(raw);
  bad.releases[5].su = 'Foo21SU';
  assert.throws(() => validateBuildData(bad), /releases\[5\].*Foo21SU/);
  const bad2 = structuredClone(raw);
  bad2.releases[0].sources = ['nowhere'];
  assert.throws(() => validateBuildData(bad2), /unknown source nowhere/);
  const bad3 = structuredClone(raw);
  bad3.releases.push({ ...raw.releases[0] });
  assert.throws(() => validateBuildData(bad3), /duplicate build/);
  assert.throws(() => validateBuildData(null), /root/);
});

test('15.1.2176.2 is Exchange 2016 CU19 before the March 2021 SU: ProxyLogon fixes missing', () => {
  const id = identifyBuild('15.1.2176.2');
  assert.equal(id.product, '2016');
  assert.equal(id.cu, 'CU19');
  assert.equal(id.su, undefined);
  assert.equal(id.known, true);
  const f = fix('15.1.2176.2', 'CVE-2021-26855')!;
  assert.equal(f.fixedBuild, '15.1.2176.9');
  assert.deepEqual(f.kbs, ['KB5000871']);
  assert.equal(f.su, 'Mar21SU');
  assert.equal(f.status, 'missing');
  for (const c of ['CVE-2021-26857', 'CVE-2021-26858', 'CVE-2021-27065', 'CVE-2021-34473', 'CVE-2021-31207', 'CVE-2021-33766', 'CVE-2021-42321', 'CVE-2022-41040', 'CVE-2022-41080']) assert.ok(cves('15.1.2176.2').has(c), c);
});

test('the March SU build has ProxyLogon fixed but still lacks ProxyShell', () => {
  const m = cves('15.1.2176.9');
  assert.ok(!m.has('CVE-2021-26855'));
  assert.equal(identifyBuild('15.01.2176.009').su, 'Mar21SU');
  assert.equal(fix('15.1.2176.9', 'CVE-2021-34473')!.fixedBuild, '15.1.2176.12');
  assert.equal(fix('15.1.2176.12', 'CVE-2021-31207')!.fixedBuild, '15.1.2176.14');
  assert.ok(!cves('15.1.2176.14').has('CVE-2021-31207'));
});

test('ProxyToken follows Microsoft\'s CVE record (April SU builds), and the disagreement with the July date is recorded', () => {
  assert.equal(fix('15.1.2176.9', 'CVE-2021-33766')!.fixedBuild, '15.1.2176.12');
  assert.ok(!cves('15.2.858.10').has('CVE-2021-33766'));
  const c = k.data.conflicts.find((x) => x.id === 'proxytoken-fix-su')!;
  assert.ok(c.claims.length >= 2 && /July/.test(c.claims[0]!.value));
});

test('a CU released after an SU contains it; old CUs without an SU need a CU upgrade', () => {
  assert.ok(!cves('15.1.2242.4').has('CVE-2021-26855'), '2016 CU20 includes Mar21SU');
  assert.ok(!cves('15.2.858.5').has('CVE-2021-26855'), '2019 CU9 includes Mar21SU');
  assert.ok(!cves('15.1.2308.8').has('CVE-2021-34473'), '2016 CU21 includes Apr21SU');
  const ps = fix('15.1.2106.13', 'CVE-2021-34473')!;
  assert.equal(ps.needsCuUpgrade, true, '2016 CU18 never got the April SU');
  assert.equal(ps.fixedBuild, undefined);
  assert.deepEqual(ps.fixedBuilds, ['15.1.2176.12', '15.1.2242.8']);
  assert.equal(fix('15.1.225.42', 'CVE-2021-26855')!.needsCuUpgrade, true, '2016 RTM never got a March SU');
});

test('ProxyNotShell/OWASSRF: Oct22SU is not enough, Nov22SU is', () => {
  const f = fix('15.2.986.30', 'CVE-2022-41080')!;
  assert.equal(f.fixedBuild, '15.2.986.36');
  assert.deepEqual(f.kbs, ['KB5019758']);
  assert.equal(f.family, 'owassrf');
  assert.ok(!cves('15.2.986.36').has('CVE-2022-41082'));
  assert.ok(!cves('15.0.1497.44').has('CVE-2022-41040'));
  assert.ok(cves('15.0.1497.42').has('CVE-2022-41040'));
  assert.ok(cves('15.1.2507.16').has('CVE-2023-21529'));
  assert.equal(cves('15.0.1497.48').size, 0, 'last 2013 SU: nothing later applies to 2013');
});

test('the 2016 CU8/CU9 March SU disagreement is surfaced, not hidden', () => {
  const f = fix('15.1.1415.8', 'CVE-2021-26855')!;
  assert.equal(f.status, 'likely-fixed');
  assert.match(f.note!, /15\.1\.1415\.8/);
  assert.equal(fix('15.1.1466.13', 'CVE-2021-26855')!.status, 'likely-fixed');
  assert.equal(fix('15.1.1466.12', 'CVE-2021-26855')!.status, 'missing');
  assert.ok(identifyBuild('15.1.1415.10').notes.some((n) => /conflict/.test(n)));
});

test('an installed SU KB turns an unplaceable build into likely-fixed', () => {
  const f = missingFixes('15.1.1591.17', { installedKbs: ['KB5000871'] }).find((m) => m.cve === 'CVE-2021-26855')!;
  assert.equal(f.status, 'likely-fixed');
});

test('Exchange 2010 SP3 only lacks CVE-2021-26857 of ProxyLogon, SE lacks none of the 2021-2022 fixes', () => {
  assert.deepEqual([...cves('14.3.509.0')], ['CVE-2021-26857']);
  assert.equal(cves('14.3.513.0').size, 0);
  const se = cves('15.2.2562.17');
  assert.ok(!se.has('CVE-2022-41040') && !se.has('CVE-2021-26855'));
  assert.ok(se.has('CVE-2025-25005'));
  assert.equal(identifyBuild('15.2.2562.17').product, 'SE');
  assert.equal(identifyBuild('15.2.2562.17').outOfSupport, false);
  assert.equal(identifyBuild('15.0.1497.2').outOfSupport, true);
});

test('a three-part build gives CU but marks the SU level unknown', () => {
  const id = identifyBuild('15.1.2375');
  assert.equal(id.cu, 'CU22');
  assert.equal(id.revisionKnown, false);
  assert.ok(missingFixes('15.1.2375').every((m) => m.status === 'revision-unknown'));
});

test('HealthChecker rule: SU not shipped for the product line is "not affected"', () => {
  assert.equal(hasSecurityUpdate(parseBuild('14.3.509.0')!, 'Nov22SU', k), undefined);
  assert.equal(hasSecurityUpdate(parseBuild('15.2.1118.7')!, 'Nov21SU', k), true, 'newer CU than every Nov21SU build');
  assert.equal(hasSecurityUpdate(parseBuild('15.2.858.15')!, 'Nov21SU', k), false, 'CU9 had no Nov21SU');
  assert.equal(hasSecurityUpdate(parseBuild('15.1.2507.31')!, 'Aug23SU', k), true, 'v1 of a re-released SU counts');
});

test('milestones validate and every one has a source', () => {
  const m = loadMilestones();
  for (const f of ['proxylogon', 'proxyshell', 'proxynotshell', 'owassrf']) assert.ok(m.families.some((x) => x.id === f), f);
  assert.ok(m.families.every((f) => f.milestones.every((x) => x.sources.length > 0)));
  assert.throws(() => validateMilestones({ schemaVersion: 1, families: [{ id: 'x', cves: [], milestones: [{ kind: 'poc', date: '2021-13-45', sources: ['https://a'] }] }] }), /bad date/);
  assert.throws(() => validateMilestones({ schemaVersion: 1, families: [{ id: 'x', cves: [], milestones: [{ kind: 'poc', date: '2021-01-01', sources: [] }] }] }), /sources/);
});

test('buildKnowledge indexes SU rows per SU id', () => {
  const kk = buildKnowledge(k.data);
  assert.equal(kk.suReleases.get('Nov22SU')!.length, 5);
});

test('the JSON Schemas name the fields the loader enforces', () => {
  const s = JSON.parse(readFileSync(new URL('../../rules/exchange/builds.schema.json', import.meta.url), 'utf8'));
  for (const k of ['releases', 'securityUpdates', 'conflicts', 'families']) assert.ok(s.required.includes(k), k);
  assert.deepEqual(s.properties.releases.items.properties.kind.enum, ['rtm', 'cu', 'sp', 'ru', 'su', 'hu']);
  const m = JSON.parse(readFileSync(new URL('../../rules/exchange/milestones.schema.json', import.meta.url), 'utf8'));
  assert.ok(m.required.includes('families'));
});

test('SUs only HealthChecker lists (2018-2020, mid-2026) are identified, with inferred dates marked', () => {
  const id = identifyBuild('15.1.2106.8');
  assert.equal(id.cu, 'CU18');
  assert.equal(id.su, 'Feb21SU');
  assert.equal(id.release!.date, '2021-02-09', 'second Tuesday of February 2021');
  assert.deepEqual(id.release!.sources, ['hc-builds']);
  const row = k.data.releases.find((r) => r.build === '15.1.2106.8') as { dateInferred?: boolean; kb: string | null };
  assert.equal(row.dateInferred, true);
  assert.equal(row.kb, null);
  assert.equal(identifyBuild('15.0.1473.3').su, 'Feb19SU', 'HealthChecker names the Feb 2019 CU build as the SU');
  assert.equal(fix('15.1.1847.3', 'CVE-2020-0688')!.fixedBuild, '15.1.1847.7');
  assert.ok(!cves('15.1.2106.2').has('CVE-2020-0688'), 'CU18 came after the February 2020 SU');
  assert.equal(identifyBuild('15.2.1748.53').su, 'Sep26SU');
  assert.ok(k.data.conflicts.some((c) => c.id === 'cu-dates-2017'));
});

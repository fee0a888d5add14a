import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectInstalledBuild } from '../../src/detect/exchange/installed-build.js';
import { createTimelineAccumulator, accumulateObservation } from '../../src/detect/exchange/build-timeline.js';
import type { BuildObservation } from '../../src/detect/exchange/build-timeline.js';
import { makePe, regUtf16, tempCollection } from './helpers.js';

const E = 'C/Program Files/Microsoft/Exchange Server/V15';
const day = (d: string, h = 12): number => Date.parse(`${d}T${String(h).padStart(2, '0')}:00:00Z`);
const obs = (d: string, build: string, h = 12): BuildObservation => ({ time: day(d, h), build, source: { path: `${E}/Logging/HttpProxy/Ecp/HttpProxy_${d.replace(/-/g, '')}00-1.LOG`, line: 3, excerpt: `#Version: ${build}` } });

test('ExSetup.exe version resource wins; registry, folders and logs are kept as candidates', async (t) => {
  const c = tempCollection();
  t.after(() => c.cleanup());
  c.add(`${E}/Bin/ExSetup.exe`, makePe([15, 1, 2507, 16], '15.01.2507.016'));
  c.add('registry/exchange.reg', regUtf16([
    'Windows Registry Editor Version 5.00',
    '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup]',
    '"MsiProductMajor"=dword:0000000f', '"MsiProductMinor"=dword:00000001', '"MsiBuildMajor"=dword:000009cb', '"MsiBuildMinor"=dword:00000006',
    '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange 2016\\SP1\\KB5019758]',
    '"PackageName"="Security Update For Exchange Server 2016 CU23 (KB5019758)"', '"InstalledDate"="11/9/2022"',
  ]));
  c.add(`${E}/FrontEnd/HttpProxy/owa/auth/15.1.2507/themes/resources/favicon.ico`, 'x');
  c.add(`${E}/FrontEnd/HttpProxy/owa/auth/15.1.2375/themes/resources/favicon.ico`, 'x');
  const r = await detectInstalledBuild(c.files, [obs('2022-11-01', '15.01.2507.013'), obs('2022-11-10', '15.01.2507.016')]);
  assert.equal(r.build, '15.1.2507.16');
  assert.equal(r.basis, 'exsetup-pe');
  assert.equal(r.confidence, 'high');
  assert.equal(r.identity!.cu, 'CU23');
  assert.equal(r.identity!.su, 'Nov22SU');
  const sources = r.candidates.map((x) => x.source);
  for (const s of ['exsetup-pe', 'registry-updates', 'registry-setup', 'owa-folder', 'logs']) assert.ok(sources.includes(s as never), s);
  assert.equal(r.candidates.find((x) => x.source === 'registry-updates')!.build, '15.1.2507.16');
  assert.equal(r.candidates.find((x) => x.source === 'owa-folder')!.build, '15.1.2507');
  assert.deepEqual(r.updates.map((u) => [u.kb, u.installedDate]), [['KB5019758', '2022-11-09']]);
  assert.equal(r.conflicts.length, 0);
  assert.deepEqual(r.timeline.segments.map((s) => [s.build, s.from, s.to]), [['15.1.2507.13', '2022-11-01', '2022-11-01'], ['15.1.2507.16', '2022-11-10', '2022-11-10']]);
});

test('conflicting evidence is shown, not hidden', async (t) => {
  const c = tempCollection();
  t.after(() => c.cleanup());
  c.add(`${E}/Bin/ExSetup.exe`, makePe([15, 1, 2375, 37]));
  c.add('uploads/auto/C%3A/exsetup-version.txt', 'ProductVersion   FileVersion      FileName\r\n--------------   -----------      --------\r\n15.01.2507.016   15.01.2507.016   C:\\Program Files\\Microsoft\\Exchange Server\\V15\\bin\\ExSetup.exe\r\n');
  const r = await detectInstalledBuild(c.files, []);
  assert.equal(r.build, '15.1.2375.37');
  assert.ok(r.conflicts.some((x) => /exsetup-file shows 15\.1\.2507\.16/.test(x.message)), JSON.stringify(r.conflicts));
});

test('bad files are reported and skipped; no evidence gives no build', async (t) => {
  const c = tempCollection();
  t.after(() => c.cleanup());
  c.add(`${E}/bin/ExSetup.exe`, Buffer.from('MZ this is not really a PE file'));
  c.add('reg/broken.reg', Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41]));
  c.files.push({ path: 'missing/ExSetup.exe', absPath: `${c.root}/nope/ExSetup.exe`, size: 10 });
  const r = await detectInstalledBuild(c.files, [{ time: NaN, build: '15.1.2176.2', source: { path: 'x', excerpt: '' } }, { time: 1, build: 'garbage', source: { path: 'x', excerpt: '' } }]);
  assert.equal(r.build, undefined);
  assert.equal(r.confidence, 'none');
  assert.equal(r.errors.length, 2);
  assert.equal(r.timeline.rejected, 2);
});

test('build timeline: which build ran on which day, upgrades mid-day, backend builds apart', async () => {
  const acc = createTimelineAccumulator();
  for (const o of [
    obs('2021-02-27', '15.01.2176.002', 1), obs('2021-02-28', '15.01.2176.002'), obs('2021-03-04', '15.01.2176.002', 8),
    obs('2021-03-04', '15.1.2176.9', 20), obs('2021-03-05', '15.1.2176.9'),
  ]) accumulateObservation(acc, o);
  accumulateObservation(acc, { ...obs('2021-03-05', '15.01.2242.004'), role: 'backend' });
  const r = await detectInstalledBuild([], acc);
  assert.deepEqual(r.timeline.segments.map((s) => [s.build, s.from, s.to, s.days]), [['15.1.2176.2', '2021-02-27', '2021-02-28', 2], ['15.1.2176.9', '2021-03-04', '2021-03-05', 2]]);
  assert.deepEqual(r.timeline.days.find((d) => d.day === '2021-03-04')!.builds.map((b) => b.build), ['15.1.2176.9', '15.1.2176.2']);
  assert.deepEqual(r.timeline.backendBuilds, ['15.1.2242.4']);
  assert.equal(r.build, '15.1.2176.9');
  assert.equal(r.basis, 'logs');
});

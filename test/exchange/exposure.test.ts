import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectInstalledBuild } from '../../src/detect/exchange/installed-build.js';
import { detectMitigations } from '../../src/detect/exchange/mitigations.js';
import { assessExposure } from '../../src/detect/exchange/exposure.js';
import type { BuildObservation } from '../../src/detect/exchange/build-timeline.js';
import { makePe, regUtf16, tempCollection } from './helpers.js';

const obs = (d: string, build: string): BuildObservation => ({ time: Date.parse(`${d}T10:00:00Z`), build, source: { path: `Logging/ECP/Server/ECPServer${d.replace(/-/g, '')}-1.LOG`, line: 5, excerpt: `S:BLD=${build}` } });
const days = (from: string, to: string, build: string): BuildObservation[] => {
  const out: BuildObservation[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) out.push(obs(new Date(t).toISOString().slice(0, 10), build));
  return out;
};

test('ProxyLogon window from the logs: vulnerable at mass exploitation, fixed build appears on 2021-03-06', async () => {
  const installed = await detectInstalledBuild([], [...days('2021-02-20', '2021-03-05', '15.1.2176.2'), ...days('2021-03-06', '2021-03-20', '15.1.2176.9')]);
  const { exposure, findings } = assessExposure({ host: 'EX01', installed });
  assert.equal(exposure.build, '15.1.2176.9');
  assert.equal(exposure.cu, 'CU19');
  assert.equal(exposure.su, 'Mar21SU');
  const pl = exposure.families.find((f) => f.family === 'proxylogon')!;
  assert.equal(pl.state, 'fixed');
  assert.deepEqual(pl.windows.map((w) => [w.from, w.fromBasis, w.to, w.toBasis]), [['2021-03-02', 'fix-release', '2021-03-06', 'fixed-build-in-logs']]);
  assert.deepEqual(pl.atMilestones.map((m) => [m.kind, m.state]), [['in-the-wild', 'no-logs'], ['mass-exploitation', 'vulnerable']]);
  const ps = exposure.families.find((f) => f.family === 'proxyshell')!;
  assert.equal(ps.state, 'vulnerable');
  assert.equal(ps.windows[0]!.toBasis, 'open');
  assert.ok(exposure.vulnerable);
  const f = findings.find((x) => x.rule.id === 'exposure.proxyshell')!;
  assert.equal(f.level, 'critical');
  assert.ok(f.cves.includes('CVE-2021-34473') && f.cves.includes('CVE-2021-31207'));
  assert.ok(!findings.some((x) => x.rule.id === 'exposure.proxylogon'));
  assert.ok(findings.some((x) => x.rule.id === 'exposure.out-of-support'));
  assert.doesNotThrow(() => JSON.stringify(exposure));
  assert.deepEqual(JSON.parse(JSON.stringify(exposure)), exposure, 'plain JSON data');
});

test('logs that begin after the fix date start the window at the first log day', async () => {
  const installed = await detectInstalledBuild([], days('2021-04-01', '2021-04-03', '15.1.2176.2'));
  const pl = assessExposure({ host: 'h', installed }).exposure.families.find((f) => f.family === 'proxylogon')!;
  assert.equal(pl.windows[0]!.from, '2021-04-01');
  assert.equal(pl.windows[0]!.fromBasis, 'first-log-day');
});

test('mitigated but unpatched: ProxyNotShell mitigated, OWASSRF still vulnerable; install date closes windows', async (t) => {
  const c = tempCollection();
  t.after(() => c.cleanup());
  c.add('C/Program Files/Microsoft/Exchange Server/V15/bin/ExSetup.exe', makePe([15, 2, 986, 30]));
  c.add('C/inetpub/wwwroot/web.config', '<configuration><system.webServer><rewrite><rules><rule name="PowerShell - inbound" stopProcessing="true"><match url=".*" /><conditions><add input="{UrlDecode:{REQUEST_URI}}" pattern="(?=.*autodiscover)(?=.*powershell)" /></conditions><action type="AbortRequest" /></rule></rules></rewrite></system.webServer></configuration>');
  const installed = await detectInstalledBuild(c.files, []);
  const mitigations = await detectMitigations(c.files);
  const { exposure, findings } = assessExposure({ host: 'EX02', installed, mitigations });
  const pns = exposure.families.find((f) => f.family === 'proxynotshell')!;
  const ows = exposure.families.find((f) => f.family === 'owassrf')!;
  assert.equal(pns.state, 'mitigated');
  assert.equal(ows.state, 'vulnerable');
  assert.match(ows.mitigation!.why, /do not stop OWASSRF/);
  assert.equal(findings.find((x) => x.rule.id === 'exposure.owassrf')!.level, 'high');
  assert.equal(findings.find((x) => x.rule.id === 'exposure.proxynotshell')!.level, 'low');
  assert.equal(exposure.families.find((f) => f.family === 'proxylogon')!.state, 'fixed');

  const c2 = tempCollection();
  t.after(() => c2.cleanup());
  c2.add('C/Program Files/Microsoft/Exchange Server/V15/bin/ExSetup.exe', makePe([15, 2, 986, 36]));
  c2.add('reg/updates.reg', regUtf16(['Windows Registry Editor Version 5.00', '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange 2019\\KB5019758]', '"PackageName"="Security Update For Exchange Server 2019 CU11 (KB5019758)"', '"InstalledDate"="11/20/2022"']));
  const i2 = await detectInstalledBuild(c2.files, []);
  const ows2 = assessExposure({ host: 'EX03', installed: i2 }).exposure.families.find((f) => f.family === 'owassrf')!;
  assert.equal(ows2.state, 'fixed');
  assert.deepEqual([ows2.windows[0]!.from, ows2.windows[0]!.to, ows2.windows[0]!.toBasis], ['2022-11-08', '2022-11-20', 'update-installed-date']);
});

test('CVE-2024-21410 follows Extended Protection, not the build', async (t) => {
  const c = tempCollection();
  t.after(() => c.cleanup());
  c.add('C/Program Files/Microsoft/Exchange Server/V15/bin/ExSetup.exe', makePe([15, 2, 1544, 9]));
  const installed = await detectInstalledBuild(c.files, []);
  const noConfig = assessExposure({ host: 'h', installed, mitigations: await detectMitigations(c.files) }).exposure.families.find((f) => f.family === 'cve-2024-21410')!;
  assert.equal(noConfig.state, 'likely-fixed', 'CU14 default, unconfirmed');
  c.add('C/Windows/System32/inetsrv/config/applicationHost.config', '<configuration><location path="Default Web Site/OWA"><system.webServer><security><authentication><windowsAuthentication /></authentication></security></system.webServer></location></configuration>');
  const off = assessExposure({ host: 'h', installed, mitigations: await detectMitigations(c.files) }).exposure.families.find((f) => f.family === 'cve-2024-21410')!;
  assert.equal(off.state, 'vulnerable');
});

test('no build evidence: nothing decided, nothing claimed', async () => {
  const installed = await detectInstalledBuild([], []);
  const { exposure, findings } = assessExposure({ host: 'h', installed });
  assert.equal(exposure.vulnerable, false);
  assert.ok(exposure.families.every((f) => f.state === 'unknown'));
  assert.equal(findings.length, 0);
  assert.ok(exposure.notes.some((n) => /no build evidence/.test(n)));
});

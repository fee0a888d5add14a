import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandWinEnv, formatWinPath, parseWinPath, winInside } from '../../src/live/win-path.js';
import { escapeSegment, memberName } from '../../src/live/member-name.js';
import { parseApplicationHost } from '../../src/live/iis-config.js';
import { parseRegQuery } from '../../src/live/reg-query.js';
import { nameDate } from '../../src/live/enumerate.js';
import { channelFileName, timeQuery } from '../../src/live/exports.js';
import { logicalPath } from '../../src/evidence/logical-path.js';

test('Windows paths: drive letters, UNC shares, long-path and device forms, forward slashes', () => {
  assert.deepEqual(parseWinPath('c:\\Program Files\\Microsoft\\'), { root: 'C', parts: ['Program Files', 'Microsoft'] });
  assert.deepEqual(parseWinPath('\\\\?\\D:\\Logs\\.\\a\\..\\b'), { root: 'D', parts: ['Logs', 'b'] });
  assert.deepEqual(parseWinPath('\\\\FS01\\share$\\iis'), { root: 'UNC/FS01/share$', parts: ['iis'] });
  assert.deepEqual(parseWinPath('\\\\?\\UNC\\FS01\\share\\x'), { root: 'UNC/FS01/share', parts: ['x'] });
  assert.deepEqual(parseWinPath('C:/inetpub/logs'), { root: 'C', parts: ['inetpub', 'logs'] });
  assert.equal(parseWinPath('inetpub\\logs'), undefined);
  assert.equal(parseWinPath('%SystemDrive%\\inetpub'), undefined);
  assert.equal(formatWinPath(parseWinPath('\\\\fs01\\share\\a\\b')!), '\\\\fs01\\share\\a\\b');
  assert.equal(formatWinPath(parseWinPath('c:')!), 'C:\\');
});

test('containment and identity ignore case, as NTFS does, but not partial names', () => {
  const a = parseWinPath('C:\\Program Files\\Microsoft\\Exchange Server\\V15')!;
  assert.ok(winInside(a, parseWinPath('c:\\PROGRAM FILES\\microsoft\\exchange server\\v15\\Logging')!));
  assert.ok(!winInside(a, parseWinPath('C:\\Program Files\\Microsoft\\Exchange Server\\V150')!));
  assert.ok(!winInside(a, parseWinPath('D:\\Program Files\\Microsoft\\Exchange Server\\V15')!));
});

test('%variables% expand with case-insensitive names; unknown ones stay visible', () => {
  const env = (n: string): string | undefined => ({ systemdrive: 'C:', exchangeinstallpath: 'D:\\Exchange\\' })[n.toLowerCase()];
  assert.equal(expandWinEnv('%SYSTEMDRIVE%\\inetpub\\logs', env), 'C:\\inetpub\\logs');
  assert.equal(expandWinEnv('%ExchangeInstallPath%FrontEnd\\HttpProxy\\owa', env), 'D:\\Exchange\\FrontEnd\\HttpProxy\\owa');
  assert.equal(expandWinEnv('%NOPE%\\x', env), '%NOPE%\\x');
});

test('member names unpack on Windows and Linux and classify like the original name', () => {
  // characters Windows refuses, trailing dots/spaces (Win32 strips them), device names
  assert.equal(escapeSegment('a:b.aspx'), 'a%3Ab.aspx');
  assert.equal(escapeSegment('x\\y.aspx'), 'x%5Cy.aspx');
  assert.equal(escapeSegment('shell.aspx.'), 'shell.aspx%2E');
  assert.equal(escapeSegment('web.config  '), 'web.config%20%20');
  assert.equal(escapeSegment('CON.txt'), '%43ON.txt');
  assert.equal(escapeSegment('Microsoft-Windows-PowerShell%4Operational.evtx'), 'Microsoft-Windows-PowerShell%4Operational.evtx');
  for (const s of ['a:b.aspx', 'x\\y.aspx', 'shell.aspx.', 'q?"<>|*.aspx']) {
    assert.equal(logicalPath('C/inetpub/wwwroot/' + escapeSegment(s)), logicalPath('C/inetpub/wwwroot/' + s));
    assert.doesNotMatch(escapeSegment(s), /[<>:"|?*\\/]|[. ]$/);
  }
  // 255 UTF-16 units are legal on NTFS but 765 UTF-8 bytes are not on Linux; distinct long names stay distinct
  const long1 = 'ж'.repeat(200) + '1.aspx';
  const long2 = 'ж'.repeat(200) + '2.aspx';
  const m1 = escapeSegment(long1);
  assert.ok(Buffer.byteLength(m1) <= 255);
  assert.ok(m1.endsWith('.aspx'));
  assert.notEqual(m1, escapeSegment(long2));
  // lone surrogates (legal in NTFS names) cannot be UTF-8: replaced, with a hash keeping names apart
  const lone = escapeSegment('a\uD800.aspx');
  assert.equal(Buffer.from(lone, 'utf8').toString('utf8'), lone);
  assert.notEqual(lone, escapeSegment('a\uDC00.aspx'));
  assert.equal(memberName(parseWinPath('C:\\inetpub\\wwwroot\\shell.aspx')!), 'C/inetpub/wwwroot/shell.aspx');
  assert.equal(memberName(parseWinPath('\\\\FS01\\logs\\W3SVC1\\u_ex210303.log')!), 'UNC/FS01/logs/W3SVC1/u_ex210303.log');
});

test('applicationHost.config: per-site log folders, defaults, virtual directories, comments ignored', () => {
  const cfg = parseApplicationHost(`<?xml version="1.0"?>
<configuration><system.applicationHost>
  <sites>
    <site name="Default Web Site" id="1">
      <application path="/"><virtualDirectory path="/" physicalPath="%SystemDrive%\\inetpub\\wwwroot" />
        <virtualDirectory path="/x" physicalPath='C:\\ProgramData\\COM' /></application>
      <logFile directory="D:\\IISLogs" />
    </site>
    <site name="Exchange Back End" id="2">
      <application path="/owa"><virtualDirectory path="/" physicalPath="%ExchangeInstallPath%ClientAccess\\owa" /></application>
    </site>
    <!-- <site name="old" id="9"><logFile directory="E:\\old" /></site> -->
    <siteDefaults><logFile logFormat="W3C" directory="%SystemDrive%\\inetpub\\logs\\LogFiles" /></siteDefaults>
  </sites>
</system.applicationHost></configuration>`);
  assert.deepEqual(cfg.sites.map((s) => [s.id, s.logDirectory]), [['1', 'D:\\IISLogs'], ['2', '%SystemDrive%\\inetpub\\logs\\LogFiles']]);
  assert.deepEqual(cfg.physicalPaths, ['%SystemDrive%\\inetpub\\wwwroot', 'C:\\ProgramData\\COM', '%ExchangeInstallPath%ClientAccess\\owa']);
  assert.equal(cfg.centralW3C, undefined);
  const central = parseApplicationHost('<log centralLogFileMode="CentralW3C"><centralW3CLogFile enabled="true" directory="E:\\central" /></log>');
  assert.equal(central.centralW3C, 'E:\\central');
  // hostile or damaged input never throws
  assert.deepEqual(parseApplicationHost('<site id="1" <<<< \u0000 <logFile directory=').sites.length <= 1, true);
});

test('reg query output, event-log file names, time filters and log dates', () => {
  const out = '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup\r\n    MsiInstallPath    REG_SZ    C:\\Program Files\\Microsoft\\Exchange Server\\V15\\\r\n    MsiBuildMajor    REG_DWORD    0x880\r\n\r\n';
  assert.equal(parseRegQuery(out, 'msiinstallpath'), 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\');
  assert.equal(parseRegQuery(out, 'Nothing'), undefined);
  assert.equal(channelFileName('Microsoft-Windows-PowerShell/Operational'), 'Microsoft-Windows-PowerShell%4Operational.evtx');
  assert.equal(timeQuery({}), undefined);
  assert.equal(timeQuery({ since: Date.UTC(2021, 2, 1) }), "*[System[TimeCreated[@SystemTime>='2021-03-01T00:00:00.000Z']]]");
  assert.equal(nameDate('u_ex210303.log'), Date.UTC(2021, 2, 3));
  assert.equal(nameDate('u_ex21030314.log'), Date.UTC(2021, 2, 3));
  assert.equal(nameDate('HttpProxy_2021030301-1.LOG'), Date.UTC(2021, 2, 3));
  assert.equal(nameDate('MSGTRK2021030301-1.LOG'), Date.UTC(2021, 2, 3));
  assert.equal(nameDate('web.config'), undefined);
});

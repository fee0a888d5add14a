// A day of ordinary Exchange traffic must give no finding at all from the whole pack: health probes,
// remote PowerShell of administrators, Outlook's autodiscover, vulnerability scanners answered 404/302,
// OWA/EWS/MAPI/ActiveSync use, ECP administration, and the Windows events of a quiet server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPack, scan, type Input, type LogKey } from './harness.js';
import { corr, evt, EXV15, iis, mgmt, proc, UA_CHROME, UA_OUTLOOK, UA_PROBE, UA_WINRM } from './cases/build.js';
import { benignAutodiscover, nessusProbes } from './cases/proxyshell.js';
import { stockPages } from './cases/webshell-access.js';

const user = 'CONTOSO\\jdoe';
const adm = 'CONTOSO\\exadmin';
const ext = '198.51.100.7';
const EAS_UA = 'Apple-iPhone14C2/2001.405';

const IIS: Input[] = [
  ...benignAutodiscover,
  ...nessusProbes,
  ...stockPages,
  // health probes from the server itself
  iis({ stem: '/owa/healthcheck.htm', ip: '::1', ua: UA_PROBE }),
  iis({ stem: '/ecp/healthcheck.htm', ip: '127.0.0.1', ua: UA_PROBE }),
  iis({ m: 'POST', stem: '/mapi/emsmdb/', q: `mailboxId=0a1b@contoso.com&${corr}`, user: 'CONTOSO\\HealthMailbox0a1b2c3', ip: '::1', ua: 'MapiHttpClient' }),
  iis({ m: 'POST', stem: '/autodiscover/autodiscover.xml', user: 'CONTOSO\\HealthMailbox0a1b2c3', ip: '::1', ua: UA_PROBE }),
  iis({ m: 'POST', stem: '/powershell', q: `clientApplication=ActiveMonitor;PSVersion=5.1&${corr}`, port: 444, user: 'CONTOSO\\HealthMailbox0a1b2c3', ip: '10.0.0.5', ua: 'Exchange BackEnd Probes' }),
  // administrators' remote PowerShell
  iis({ m: 'POST', stem: '/powershell', q: `serializationLevel=Full;ExchClientVer=15.1.2375.7;clientApplication=ManagementShell;TargetServer=;PSVersion=5.1.17763.1852&${corr}`, user: adm, ip: '10.0.1.20', ua: UA_WINRM }),
  iis({ m: 'POST', stem: '/powershell', q: `serializationLevel=Full;clientApplication=ManagementShell&${corr}`, port: 444, user: adm, ip: '10.0.0.5', ua: UA_WINRM }),
  iis({ m: 'POST', stem: '/powershell', port: 444, user: adm, ip: '10.0.0.5', ua: 'ClientInfo' }),
  // Outlook, OWA, EWS, ActiveSync, OAB
  iis({ stem: '/owa/', q: `${corr}&encoding=;`, user, ip: ext, ua: UA_CHROME }),
  iis({ m: 'POST', stem: '/owa/auth.owa', ip: ext, ua: UA_CHROME, status: 302 }),
  iis({ m: 'POST', stem: '/owa/service.svc', q: `action=GetItem&EP=1&ID=-33&AC=1&${corr}`, user, ip: ext, ua: UA_CHROME }),
  iis({ stem: '/owa/15.1.2176/scripts/boot.worldwide.0.mouse.js', ip: ext, ua: UA_CHROME }),
  iis({ stem: '/owa/auth/15.1.2176/themes/resources/segoeui-regular.ttf', ip: ext, ua: UA_CHROME }),
  iis({ m: 'POST', stem: '/EWS/Exchange.asmx', user, ip: ext, ua: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13127; Pro)' }),
  iis({ m: 'POST', stem: '/mapi/emsmdb/', q: `mailboxId=6f0a2b1c@contoso.com&${corr}`, user, ip: ext, ua: UA_OUTLOOK }),
  iis({ m: 'POST', stem: '/mapi/nspi/', q: `mailboxId=6f0a2b1c@contoso.com&${corr}`, user, ip: ext, ua: UA_OUTLOOK }),
  iis({ m: 'POST', stem: '/Microsoft-Server-ActiveSync/default.eas', q: `Cmd=Sync&User=jdoe&DeviceId=ABC123&DeviceType=iPhone&${corr}`, user, ip: ext, ua: EAS_UA }),
  iis({ stem: '/OAB/6f0a2b1c-1111-4222-8333-444455556666/oab.xml', user, ip: ext, ua: UA_OUTLOOK }),
  iis({ m: 'RPC_IN_DATA', stem: '/rpc/rpcproxy.dll', q: `ex01.contoso.local:6001&${corr}`, user, ip: ext, ua: 'MSRPC' }),
  // ECP administration
  iis({ stem: '/ecp/', q: `${corr}`, user: adm, ip: '10.0.1.20', ua: UA_CHROME }),
  iis({ m: 'POST', stem: '/ecp/DDI/DDIService.svc/GetList', q: `schema=VirtualDirectory&msExchEcpCanary=x&${corr}`, user: adm, ip: '10.0.1.20', ua: UA_CHROME }),
  iis({ m: 'POST', stem: '/ecp/DDI/DDIService.svc/SetObject', q: `schema=OABVirtualDirectory&msExchEcpCanary=x&${corr}`, user: adm, ip: '10.0.1.20', ua: UA_CHROME }),
  iis({ m: 'POST', stem: '/ecp/DDI/DDIService.svc/SetObject', q: `schema=ResetOABVirtualDirectory&msExchEcpCanary=x&${corr}`, port: 444, user: adm, ip: '10.0.0.5', ua: UA_CHROME }),
  iis({ m: 'POST', stem: '/ecp/RulesEditor/InboxRules.svc/NewObject', q: `msExchEcpCanary=x&${corr}`, user, ip: ext, ua: UA_CHROME }),
  iis({ stem: '/ecp/15.1.2176/themes/default/clear1x1.gif', user: adm, ip: '10.0.1.20', ua: UA_CHROME }),
  // crawlers that only GET
  iis({ stem: '/', q: '', ip: '66.249.66.1', ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', status: 302 }),
];

const hp = (protocol: string, stem: string, extra: Record<string, string> = {}): Record<string, string> => ({
  Protocol: protocol,
  UrlHost: 'mail.contoso.com',
  UrlStem: stem,
  IsAuthenticated: 'true',
  AuthenticatedUser: user,
  AnchorMailbox: 'Sid~S-1-5-21-1004336348-1177238915-682003330-1105',
  UserAgent: UA_OUTLOOK,
  ClientIpAddress: ext,
  HttpStatus: '200',
  Method: 'POST',
  RoutingHint: 'WindowsIdentity',
  GenericInfo: 'BeginRequest=2021-03-03T06:00:00.000Z;CorrelationID=<empty>;ProxyState-Run=None;EndRequest=2021-03-03T06:00:00.050Z;',
  ...extra,
});
const HTTPPROXY: { log: LogKey; input: Input }[] = [
  { log: 'httpproxy/owa', input: hp('Owa', '/owa/service.svc', { UrlQuery: '?action=GetItem', UserAgent: UA_CHROME }) },
  { log: 'httpproxy/owa', input: hp('Owa', '/owa/', { Method: 'GET', AnchorMailbox: 'SMTP:jdoe@contoso.com', UserAgent: UA_CHROME }) },
  { log: 'httpproxy/ews', input: hp('Ews', '/EWS/Exchange.asmx') },
  { log: 'httpproxy/mapi', input: hp('Mapi', '/mapi/emsmdb/', { UrlQuery: '?mailboxId=6f0a2b1c@contoso.com', AnchorMailbox: 'MailboxGuid~6f0a2b1c-1111-4222-8333-444455556666', RoutingHint: 'MailboxGuidWithDomain' }) },
  { log: 'httpproxy/autodiscover', input: hp('Autodiscover', '/autodiscover/autodiscover.json', { UrlQuery: '?Email=jdoe@contoso.com&Protocol=ActiveSync&RedirectCount=1', Method: 'GET', IsAuthenticated: 'false', AuthenticatedUser: '', AnchorMailbox: 'SMTP:jdoe@contoso.com' }) },
  { log: 'httpproxy/autodiscover', input: hp('Autodiscover', '/autodiscover/autodiscover.xml', { AuthenticatedUser: 'CONTOSO\\HealthMailbox0a1b2c3', UserAgent: UA_PROBE, ClientIpAddress: '::1' }) },
  { log: 'httpproxy/powershell', input: hp('PowerShell', '/powershell', { UrlQuery: '?serializationLevel=Full;clientApplication=ManagementShell', AuthenticatedUser: adm, UserAgent: UA_WINRM, ClientIpAddress: '10.0.1.20', RoutingHint: 'ExplicitLogon-SMTP-Header' }) },
  { log: 'httpproxy/ecp', input: hp('Ecp', '/ecp/DDI/DDIService.svc/SetObject', { UrlQuery: '?msExchEcpCanary=x&schema=OABVirtualDirectory', AuthenticatedUser: adm, UserAgent: UA_CHROME, ClientIpAddress: '10.0.1.20' }) },
  { log: 'httpproxy/ecp', input: hp('Ecp', '/ecp/15.1.2176/scripts/microsoft.exchange.controlpanel.client.js', { Method: 'GET', AuthenticatedUser: adm, UserAgent: UA_CHROME }) },
  { log: 'httpproxy/ecp', input: hp('Ecp', '/ecp/', { Method: 'GET', AnchorMailbox: 'ServerVersion~Version 15.1 (Build 2176.2)', AuthenticatedUser: adm, UserAgent: UA_CHROME }) },
];

const ECP: Input[] = [
  { EventData: "S:TIME=40;'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''https://mail.contoso.com/OAB''.InternalUrl=''https://ex01.contoso.local/OAB''.Identity=''3a5e2c1b''';S:URL=/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=x&schema=OABVirtualDirectory;S:BLD=15.1.2176.2" },
  { EventData: "S:TIME=22;'S:CMD=Set-OwaVirtualDirectory.ExternalUrl=''https://mail.contoso.com/owa''.Identity=''5b6c''';S:URL=/ecp/DDI/DDIService.svc/SetObject?schema=OWAVirtualDirectory" },
  { EventData: 'S:TIME=8;S:CMD=Get-Mailbox.ResultSize=500;S:URL=/ecp/DDI/DDIService.svc/GetList?schema=MailboxService' },
  { EventId: 'ECP.Exception', EventData: 'S:TIME=3;S:EX=System.Threading.ThreadAbortException: Thread was being aborted.;S:URL=/ecp/default.aspx' },
];

const RPS: Input[] = [
  { Cmdlet: 'Get-Mailbox', Parameters: '-ResultSize:"Unlimited"', AuthenticatedUser: adm },
  { Cmdlet: 'Set-Mailbox', Parameters: '-Identity:"jdoe" -ProhibitSendQuota:"50GB"', AuthenticatedUser: adm },
  { Cmdlet: 'Get-ExchangeServer', Parameters: '', AuthenticatedUser: 'CONTOSO\\HealthMailbox0a1b2c3', ClientApplication: 'ActiveMonitor' },
  { Cmdlet: 'Set-OabVirtualDirectory', Parameters: '-Identity:"EX01\\OAB (Default Web Site)" -ExternalUrl:"https://mail.contoso.com/OAB"', AuthenticatedUser: adm },
  { Cmdlet: 'Get-MailboxExportRequest', Parameters: '', AuthenticatedUser: adm },
  { Cmdlet: 'New-ManagementRoleAssignment', Parameters: '-Role:"Mail Recipients" -SecurityGroup:"Helpdesk"', AuthenticatedUser: adm },
];

const RPS_HTTP: Input[] = [
  { UrlStem: '/powershell', UrlQuery: '?serializationLevel=Full;clientApplication=ManagementShell', AuthenticatedUser: adm, ClientIpAddress: '10.0.1.20', HttpStatus: '200', UserAgent: UA_WINRM },
  { UrlStem: '/powershell', UrlQuery: '?clientApplication=ActiveMonitor', AuthenticatedUser: 'CONTOSO\\HealthMailbox0a1b2c3', ClientIpAddress: '10.0.0.5', HttpStatus: '200', UserAgent: 'Exchange BackEnd Probes' },
  { UrlStem: '/powershell', AuthenticatedUser: adm, ClientIpAddress: '10.0.1.20', HttpStatus: '200', UserAgent: 'ClientInfo' },
];

const OAB: Input[] = [
  "2021-03-03T01:00:00.000Z OABGeneratorAssistant Download failed and temporary file 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\Temp\\6f0a2b1c\\oab.xml' needs to be removed",
  '2021-03-03T01:00:05.000Z OABGeneratorAssistant OAB generation completed for 6f0a2b1c-1111-4222-8333-444455556666',
];

const W3WP = 'C:\\Windows\\System32\\inetsrv\\w3wp.exe';
const EVTX: Input[] = [
  evt('Application', 'MSExchange Common', 106, { Data: 'Performance counter updating error. Counter name is Percentage of Failed Offline Address Book Generation' }, 3),
  evt('Application', 'MSExchange Unified Messaging', 1001, { Data: 'The Unified Messaging service started.' }, 4),
  evt('Application', 'MSExchange Control Panel', 4, { Data: 'An unexpected error occurred. Url: https://ex01/ecp/default.aspx Exception: System.Threading.ThreadAbortException' }, 2),
  mgmt('Get-Mailbox', '-ResultSize "Unlimited"'),
  mgmt('Set-OabVirtualDirectory', '-ExternalUrl "https://mail.contoso.com/OAB" -Identity "EX01\\OAB (Default Web Site)"'),
  mgmt('Get-MailboxDatabaseCopyStatus', '-Server "EX01"'),
  mgmt('Get-App', '-Mailbox "jdoe"'),
  evt('Security', 'Microsoft-Windows-Security-Auditing', 4624, { TargetUserName: 'HealthMailbox0a1b2c3', LogonType: '3', IpAddress: '::1' }, 0),
  evt('Security', 'Microsoft-Windows-Security-Auditing', 4732, { TargetUserName: 'Remote Desktop Users', TargetSid: 'S-1-5-32-555', SubjectUserName: 'admin' }, 0),
  proc('C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe', 'csc.exe /noconfig @"C:\\Windows\\Temp\\x.cmdline"', W3WP),
  proc('C:\\Windows\\System32\\conhost.exe', 'conhost.exe 0xffffffff -ForceV1', 'C:\\Windows\\System32\\cmd.exe'),
  proc('C:\\Windows\\System32\\cmd.exe', 'cmd.exe /c ipconfig /all', 'C:\\Windows\\explorer.exe'),
  proc(`${EXV15}Bin\\OleConverter.exe`, 'OleConverter.exe -Embedding', `${EXV15}Bin\\EdgeTransport.exe`),
  proc('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', `powershell.exe -noexit -command ". '${EXV15}bin\\RemoteExchange.ps1'; Connect-ExchangeServer -auto"`, 'C:\\Windows\\explorer.exe'),
  proc('C:\\Windows\\System32\\WerFault.exe', 'WerFault.exe -u -p 4321 -s 512', `${EXV15}Bin\\UMWorkerProcess.exe`),
  evt('Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', 23, { Image: W3WP, TargetFilename: `${EXV15}Logging\\HttpProxy\\Owa\\HttpProxy_2021010112-1.LOG` }),
  evt('Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', 11, { Image: W3WP, TargetFilename: 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\Temporary ASP.NET Files\\owa\\App_Web_x.dll' }),
];

describe('rule pack on benign traffic', async () => {
  const pack = await loadPack();
  const inputs: { log: LogKey; input: Input }[] = [
    ...IIS.map((input) => ({ log: 'iis' as const, input })),
    ...HTTPPROXY,
    ...ECP.map((input) => ({ log: 'ecp-server' as const, input })),
    ...RPS.map((input) => ({ log: 'rps-cmdlet' as const, input })),
    ...RPS_HTTP.map((input) => ({ log: 'rps-http' as const, input })),
    ...OAB.map((input) => ({ log: 'oab-generator' as const, input })),
    ...EVTX.map((input) => ({ log: 'evtx' as const, input })),
  ];
  const outcomes = await scan(pack, inputs);

  it('produces zero findings across the whole pack', () => {
    const hits = outcomes.filter((o) => o.matched.length).map((o) => `${o.matched.join(', ')} <- ${typeof o.input === 'string' ? o.input : JSON.stringify(o.input)}`);
    assert.deepEqual(hits, []);
  });

  it('really evaluated the benign batch (the prefilter skipped only lines no rule can match)', () => {
    // lines the prefilter let through were evaluated; those it skipped hold none of the pack's literals
    const parsed = outcomes.filter((o) => o.parsed).length;
    assert.ok(parsed > inputs.length / 3, `only ${parsed} of ${inputs.length} benign records reached the rules`);
  });
});

// Low-volume benign activity per hour: admin work in ECP and remote PowerShell, OAB generation, mail flow,
// the weekly internal vulnerability scan, IIS restarts and back-end health probes.
import { DAY, HOUR } from './clock.js';
import { ecpCmd, ecpEventData } from './ecp-data.js';
import type { SimEvent } from './emit.js';
import { backendProbe } from './benign-http.js';
import { serviceEvent } from './event-logs.js';
import { EXV15 } from './layout.js';
import { guid, hex8, type Rng } from './rng.js';
import type { User, World } from './world.js';
import { newReq, type Req } from './request.js';

export interface SparseContext {
  w: World;
  r: Rng;
  scale: number;
  /** first day of the window (epoch ms) and its length in days */
  start: number;
  days: number;
  /** only IIS + HttpProxy (benchmark preset) */
  httpOnly: boolean;
}

const ADMIN_CMDLETS: Array<[string, (u: User, w: World, r: Rng) => string]> = [
  ['Get-Mailbox', (u) => `-Identity "${u.smtp}"`],
  ['Get-Mailbox', () => '-ResultSize "Unlimited"'],
  ['Get-MailboxStatistics', (u) => `-Identity "${u.smtp}"`],
  ['Get-MailboxDatabase', () => '-Status'],
  ['Get-ExchangeServer', () => ''],
  ['Get-Queue', () => ''],
  ['Get-MessageTrackingLog', (u) => `-Sender "${u.smtp}" -ResultSize "100"`],
  ['Set-Mailbox', (u) => `-Identity "${u.smtp}" -ProhibitSendQuota "4.5 GB"`],
  ['Get-OabVirtualDirectory', (_u, w) => `-Server "${w.host}"`],
  ['Get-ExchangeCertificate', () => ''],
  ['Add-MailboxPermission', (u, w, r) => `-Identity "${u.smtp}" -User "${(w.users[r.int(w.users.length)] as User).sam}" -AccessRights "FullAccess"`],
];

const ECP_ADMIN: Array<[string, string, (u: User, w: World) => ReadonlyArray<[string, string]>]> = [
  ['Get-Mailbox', 'schema=MailboxService', () => [['ResultSize', '500']]],
  ['Get-Recipient', 'schema=RecipientService', () => [['RecipientTypeDetails', 'UserMailbox']]],
  ['Get-InboxRule', 'schema=RulesEditor', (u) => [['Mailbox', u.smtp]]],
  ['Get-MailboxDatabase', 'schema=DatabaseService', () => []],
  ['Get-OabVirtualDirectory', 'schema=OABVirtualDirectory', (_u, w) => [['Server', w.host]]],
];

const SCANNER_PATHS = ['/cgi-bin/test-cgi', '/phpmyadmin/', '/.git/config', '/admin.php', '/wp-login.php', '/server-status',
  '/manager/html', '/iisstart.htm', '/_vti_bin/shtml.dll', '/scripts/..%255c../winnt/system32/cmd.exe', '/test.aspx', '/solr/admin/'];

function count(r: Rng, mean: number): number {
  return Math.floor(mean + r.next());
}

function at(r: Rng, hs: number): number {
  return hs + r.int(HOUR);
}

export function benignSparse(hs: number, c: SparseContext): SimEvent[] {
  const { w, r, scale } = c;
  const ev: SimEvent[] = [];
  const hour = new Date(hs).getUTCHours();
  const dayIndex = Math.floor((hs - c.start) / DAY);
  const business = hour >= 7 && hour <= 17;

  // IIS restarts re-emit the W3C header mid-file (every third day, one hour)
  if (dayIndex % 3 === 1 && hour === 4 + (dayIndex % 5)) ev.push({ kind: 'iis-restart', t: hs + r.int(HOUR / 2) });

  // back-end probes straight to 444
  for (let i = count(r, 6 * Math.min(1, scale * 20)); i > 0; i--) {
    const t = at(r, hs);
    ev.push({ kind: 'http', t, req: backendProbe(t, r, w) });
  }

  // an internal monitoring script polls a service mailbox over EWS every hour with python-requests: the same
  // agent string ProxyLogon tooling used, on ordinary authenticated traffic
  {
    const t = at(r, hs);
    const svc = w.netbios + '\\svc-monitor';
    const q = newReq(t, guid(r), 'POST', '/EWS/Exchange.asmx', '', svc, w.monitorIp, 'python-requests/2.25.1', 200, r.range(20, 200), 'Ews');
    q.host = w.fqdn;
    q.action = 'FindItem';
    q.authType = 'Negotiate';
    q.authUser = svc;
    q.anchor = 'Smtp~svc-monitor@' + w.smtpDomain;
    q.routingHint = 'Smtp';
    q.be = { stem: '/EWS/Exchange.asmx', query: '', user: svc, status: 200 };
    ev.push({ kind: 'http', t, req: q, decoy: 'internal monitoring script (python-requests) on EWS' });
  }

  // weekly authenticated vulnerability scan from the internal scanner, day 1 of each week, 02:00
  if (dayIndex % 7 === Math.min(1, c.days - 1) && hour === 2) ev.push(...scan(hs, c));

  if (c.httpOnly) return ev;

  // Application log background: Exchange topology discovery every hour
  ev.push({
    kind: 'evtx', t: hs + r.int(HOUR), log: 'Application',
    event: serviceEvent('MSExchange ADAccess', 2080, `Process Microsoft.Exchange.Directory.TopologyService.exe (PID=${2000 + r.int(3000)}). Exchange Active Directory Provider has discovered the following servers with the following characteristics: DC01.contoso.local CDG 1 7 7 1 0 1 1 7 1`),
  });

  // remote PowerShell and ECP admin work during business hours
  const admin = business ? 1.5 + 20 * scale : 0.1;
  for (let i = count(r, admin); i > 0; i--) {
    const u = w.admins[r.int(w.admins.length)] as User;
    const [cmdlet, params] = r.pick(ADMIN_CMDLETS);
    ev.push({ kind: 'csv', t: at(r, hs), family: 'rps-cmdlet', rec: rpsCmdlet(w, r, u, cmdlet, params(u, w, r)) });
  }
  for (let i = count(r, admin); i > 0; i--) {
    const u = w.admins[r.int(w.admins.length)] as User;
    const [cmdlet, schema, params] = r.pick(ECP_ADMIN);
    const t = at(r, hs);
    const exception = r.int(25) === 0;
    ev.push({
      kind: 'csv', t, family: 'ecp-server',
      rec: {
        ServerName: w.host, EventId: 'ECP.Request',
        EventData: ecpEventData([
          ['TIME', String(r.range(8, 900))], ['SID', guid(r)], ['CMD', ecpCmd(cmdlet, params(u, w))], ['REQID', ''],
          ['URL', `/ecp/DDI/DDIService.svc/GetList?msExchEcpCanary=${hex8(r.u32())}${hex8(r.u32())}&${schema}`],
          // ECP logs exception text with its stack trace, line breaks included (quoted CSV field)
          ['EX', exception ? 'System.Threading.ThreadAbortException: Thread was being aborted.\r\n   at System.Threading.Thread.AbortInternal()\r\n   at System.Web.HttpResponse.End()' : ''],
          ['BLD', w.build],
        ]),
      },
    });
    ev.push({
      kind: 'csv', t: t + 1, family: 'ecp-activity',
      rec: {
        ServerName: w.host, EventId: 'Request',
        EventData: ecpEventData([['URL', `https://localhost:444/ecp/DDI/DDIService.svc/GetList?${schema}`], ['Bld', w.build], ['ActID', guid(r)], ['PSA', `<PII>${u.smtp}</PII>`], ['RS', String(r.range(1, 40))]]),
      },
    });
  }

  // the routine admin change that looks like ProxyLogon's: a real URL in ExternalUrl (research §6.2 negative)
  const mid = c.start + Math.floor(c.days / 2) * DAY + 10 * HOUR;
  if (hs === mid) ev.push(...oabVdirChange(hs, c));

  // OAB generation every 8 hours
  if (hour % 8 === 1) ev.push(...oabGeneration(hs, c));

  // mail flow
  for (let i = count(r, (business ? 30 : 4) * scale * 10); i > 0; i--) ev.push(...mail(at(r, hs), c));
  return ev;
}

export function rpsCmdlet(w: World, r: Rng, u: User, cmdlet: string, params: string, result = 'Success'): Record<string, string> {
  const [ma, mi, bu, re] = w.buildParts;
  return {
    StartTime: '', RequestId: guid(r), ClientRequestId: '', MajorVersion: ma, MinorVersion: mi, BuildVersion: bu, RevisionVersion: re,
    ServerHostName: w.host, ProcessId: '10284', ProcessName: 'w3wp#MSExchangePowerShellAppPool', ThreadId: String(r.range(8, 90)),
    CultureInfo: 'en-US', Organization: '', AuthenticatedUser: `${w.netbios.toLowerCase()}.local/Users/${u.sam}`, ExecutingUserSid: u.sid,
    EffectiveOrganization: '', UserServicePlan: '', IsAdmin: 'true', ClientApplication: 'ManagementShell', Cmdlet: cmdlet, Parameters: params,
    CmdletUniqueId: guid(r), TotalTime: String(r.range(5, 1500)), ExecutionResult: result, OutputObjectCount: String(r.range(0, 30)),
    NonPiiParameters: params === '' ? '' : params.replace(/"[^"]*"/g, '"<PII>"'),
  };
}

function scan(hs: number, c: SparseContext): SimEvent[] {
  const { w, r } = c;
  const ev: SimEvent[] = [];
  const ua = 'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)';
  let t = hs + 5 * 60_000;
  const req = (method: string, stem: string, query: string, status: number, proto: string | null, extra: Partial<Req> = {}): void => {
    t += r.range(50, 3000);
    ev.push({
      kind: 'http', t, decoy: 'vulnerability scanner',
      req: { t, id: guid(r), method, stem, query, user: '', ip: w.scannerIp, ua, status, ms: r.range(0, 40), proto, corr: proto !== null, host: w.fqdn, ...extra },
    });
  };
  for (let i = 0; i < 20 + r.int(20); i++) req('GET', r.pick(SCANNER_PATHS), '', 404, null);
  // version and exposure checks a scanner makes against Exchange (research §4.3 probe strings, §6.5 benign controls)
  req('GET', '/owa/', `Email=autodiscover/autodiscover.json%3F@test.com&ClientId=${hex8(r.u32()).toUpperCase()}`, 302, 'Owa', { owa: true });
  req('GET', '/autodiscover/autodiscover.json', '@test.com/owa/?&Email=autodiscover/autodiscover.json%3F@test.com', 302, 'Autodiscover');
  req('GET', '/autodiscover/autodiscover.json', '@test.com/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@test.com', 401, 'Autodiscover');
  req('GET', '/owa/auth/x.js', '', 404, 'Owa', { anchor: 'ServerInfo~localhost/ecp/default.flt?~3', routingHint: 'X-AnonResource-Backend-Cookie' });
  req('GET', '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application', '', 200, 'Ecp');
  req('GET', '/owa/auth/logon.aspx', '', 200, 'Owa', { owa: true });
  return ev;
}

function oabVdirChange(hs: number, c: SparseContext): SimEvent[] {
  const { w, r } = c;
  const u = w.admins[0] as User;
  const t = hs + r.int(HOUR);
  const url = `https://${w.publicHost}/OAB`;
  const ev: SimEvent[] = [
    {
      kind: 'csv', t, family: 'ecp-server', decoy: 'admin sets a real OAB ExternalUrl',
      rec: {
        ServerName: w.host, EventId: 'ECP.Request',
        EventData: ecpEventData([
          ['TIME', '212'], ['SID', guid(r)], ['CMD', ecpCmd('Set-OabVirtualDirectory', [['ExternalUrl', url], ['Identity', w.oabVdirGuid]])],
          ['REQID', ''], ['URL', `/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=${hex8(r.u32())}${hex8(r.u32())}&schema=OABVirtualDirectory`],
          ['EX', ''], ['BLD', w.build],
        ]),
      },
    },
    {
      kind: 'csv', t: t + 60_000, family: 'rps-cmdlet', decoy: 'admin sets a real OAB ExternalUrl',
      rec: rpsCmdlet(w, r, u, 'Set-OabVirtualDirectory', `-Identity "${w.host}\\OAB (Default Web Site)" -ExternalUrl "${url}"`),
    },
    {
      // legitimate mailbox exports go to a UNC share too (the cmdlet requires one)
      kind: 'csv', t: t + 120_000, family: 'rps-cmdlet', decoy: 'admin exports a mailbox to a PST share',
      rec: rpsCmdlet(w, r, u, 'New-MailboxExportRequest', `-Mailbox "${(w.users[7] as User).smtp}" -FilePath "\\\\FS01\\PSTExports$\\${(w.users[7] as User).sam}.pst"`),
    },
  ];
  return ev;
}

function oabGeneration(hs: number, c: SparseContext): SimEvent[] {
  const { w, r } = c;
  const t = hs + r.int(5 * 60_000);
  const line = (dt: number, msg: string): SimEvent => ({ kind: 'text', t: t + dt, family: 'oab-generator', text: `${new Date(t + dt).toISOString()} [${r.range(10, 60)}] ${msg}` });
  const ev = [
    line(0, `Information OABGeneratorAssistant: Beginning generation of offline address book '\\Default Offline Address Book' (${w.oabGuid}).`),
    line(2000, `Information OABGeneratorAssistant: Processed ${w.users.length + 12} address list entries for '\\Default Offline Address Book'.`),
    line(9000, `Information OABGeneratorAssistant: Generation of offline address book '\\Default Offline Address Book' completed successfully.`),
  ];
  // an interrupted download inside the OAB temp folder: the benign form of the 26858 message (research §1.5)
  if (r.int(6) === 0) {
    ev.push(line(4000, `Warning OABGeneratorAssistant: Download failed and temporary file 'C:\\${EXV15.replace(/\//g, '\\')}\\ClientAccess\\OAB\\Temp\\${guid(r)}\\oab.xml.tmp' needs to be removed.`));
  }
  return ev;
}

function mail(t: number, c: SparseContext): SimEvent[] {
  const { w, r } = c;
  const from = w.users[r.int(w.users.length)] as User;
  const to = w.users[r.int(w.users.length)] as User;
  const mid = `<${hex8(r.u32())}${hex8(r.u32())}@${w.fqdn}>`;
  const internalId = String(r.range(10000, 999999));
  const subject = r.pick(['Re: budget', 'Meeting notes', 'FW: invoice 2021-03', 'Lunch?', 'Quarterly report, draft', 'Re: "urgent" request']);
  const common = {
    'server-ip': w.serverIp, 'server-hostname': w.host, 'internal-message-id': internalId, 'message-id': mid,
    'network-message-id': guid(r), 'recipient-address': to.smtp, 'total-bytes': String(r.range(2000, 900000)),
    'recipient-count': '1', 'message-subject': subject, 'sender-address': from.smtp, 'return-path': from.smtp,
    directionality: 'Originating', 'original-client-ip': from.internalIp, 'original-server-ip': w.serverIp, 'schema-version': w.buildLong,
  };
  return [
    { kind: 'csv', t, family: 'message-tracking', rec: { ...common, 'client-ip': from.internalIp, 'source-context': 'MDB:' + guid(r), source: 'STOREDRIVER', 'event-id': 'RECEIVE' } },
    { kind: 'csv', t: t + 800, family: 'message-tracking', rec: { ...common, 'source-context': 'Mailbox', source: 'STOREDRIVER', 'event-id': 'DELIVER', 'recipient-status': '250 2.1.5 RESOLVER.GRP.Delivered' } },
  ];
}

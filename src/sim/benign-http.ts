// Ordinary client traffic through the front end: the bulk of every IIS and HttpProxy log.
// Mix and shapes follow what Exchange 2016 servers log for Outlook (MAPI/HTTP), ActiveSync, OWA, EWS,
// Autodiscover, OAB, RPC/HTTP, ECP, remote PowerShell and the Managed Availability health probes
// (research exchange-detections.md §5.4 value conventions, §6.5 benign controls).
import { guid, hex8, type Rng } from './rng.js';
import { newReq, type BackendHop, type Req } from './request.js';
import type { User, World } from './world.js';

type Kind = (t: number, r: Rng, w: World, id: string) => Req;

const EAS_CMDS = ['Ping', 'Ping', 'Ping', 'Sync', 'Sync', 'Sync', 'FolderSync', 'GetItemEstimate', 'SendMail', 'ItemOperations', 'Settings'];
const OWA_ACTIONS = ['GetItem', 'FindItem', 'FindConversation', 'GetConversationItems', 'UpdateItem', 'CreateItem', 'GetFolder', 'SyncFolderItems', 'GetUserAvailability', 'SubscribeToNotification'];
const EWS_ACTIONS = ['GetItem', 'FindItem', 'SyncFolderItems', 'GetFolder', 'GetUserAvailability', 'GetStreamingEvents', 'Subscribe', 'GetUserOofSettings'];
const EWS_UAS = ['Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13801; Pro)', 'MacOutlook/16.46.21021202 (Intelx64 Mac OS X Version 11.2.1 (Build 20D74))', 'ExchangeServicesClient/15.00.0913.015', 'Mac OS X/11.2.1 (20D74); ExchangeWebServices/11.0 (307); Mail/14.0 (3654.60.0.2.21)'];
const OWA_STATIC = ['themes/resources/logon.css', 'themes/resources/owafont_en.css', 'themes/resources/lgnbotl.gif', 'themes/resources/favicon.ico', 'scripts/premium/flogon.js'];
const ECP_PAGES = ['/ecp/default.aspx', '/ecp/UsersGroups/Mailboxes.slab', '/ecp/Servers/VirtualDirectories.slab', '/ecp/Organize/DistributionGroups.slab', '/ecp/MessageTrace/Default.aspx'];
const ECP_STATIC = ['scripts/microsoftajax.js', 'scripts/common.js', 'themes/default/main.css', 'themes/resources/logo.png'];
const ECP_DDI = ['schema=MailboxService', 'schema=DistributionGroupService', 'schema=VirtualDirectoryService', 'schema=OABVirtualDirectory', 'schema=MessageTraceService'];

function user(r: Rng, w: World): User {
  return w.users[r.int(w.users.length)] as User;
}
/** most clients are inside; about a third reach us from outside */
function clientIp(r: Rng, u: User): string {
  return r.int(3) === 0 ? u.externalIp : u.internalIp;
}
function hop(stem: string, query: string, user: string): BackendHop {
  return { stem, query, user, status: 200, ip: undefined, ua: undefined };
}
/** fills the HttpProxy columns most kinds share */
function proxied(q: Req, host: string, action: string, authType: string, authUser: string, anchor: string, hint: string): Req {
  q.host = host;
  q.action = action;
  q.authType = authType;
  q.authUser = authUser;
  q.anchor = anchor;
  q.routingHint = hint;
  return q;
}

const eas: Kind = (t, r, w, id) => {
  const u = user(r, w);
  const cmd = EAS_CMDS[r.int(EAS_CMDS.length)] as string;
  const ok = r.int(40) !== 0;
  const query = 'Cmd=' + cmd + '&User=' + u.sam + '&DeviceId=' + u.deviceId + '&DeviceType=' + u.deviceType;
  const q = newReq(t, id, 'POST', '/Microsoft-Server-ActiveSync/default.eas', query, ok ? u.smtp : '', u.externalIp, u.mobileUa,
    ok ? 200 : 401, cmd === 'Ping' ? r.range(470000, 540000) : r.range(15, 900), 'Eas');
  proxied(q, w.publicHost, cmd, 'Basic', ok ? u.smtp : '', u.anchorSmtp, 'Smtp');
  q.reqBytes = r.range(150, 2200);
  q.respBytes = r.range(30, 9000);
  if (ok) q.be = hop('/Microsoft-Server-ActiveSync/Proxy/default.eas', query, u.nt);
  return q;
};

const mapi: Kind = (t, r, w, id) => {
  const u = user(r, w);
  const nspi = r.int(6) === 0;
  const challenge = r.int(14) === 0;
  const stem = nspi ? '/mapi/nspi/' : '/mapi/emsmdb/';
  const query = u.mapiQuery;
  const q = newReq(t, id, 'POST', stem, query, challenge ? '' : u.nt, clientIp(r, u), u.outlookUa, challenge ? 401 : 200,
    challenge ? r.range(0, 3) : r.range(2, 420), 'Mapi');
  proxied(q, w.publicHost, nspi ? 'Bind' : (MAPI_ACTIONS[r.int(MAPI_ACTIONS.length)] as string), challenge ? '' : 'Negotiate',
    challenge ? '' : u.nt, u.anchorGuid, 'MailboxGuidWithDomain');
  q.reqBytes = r.range(200, 5000);
  q.respBytes = r.range(100, 60000);
  q.clientRequestId = guid(r);
  if (challenge) {
    q.sub = 1;
    q.win32 = 2148074254;
  } else q.be = hop(stem, query, u.nt);
  return q;
};

const ews: Kind = (t, r, w, id) => {
  const u = user(r, w);
  const challenge = r.int(12) === 0;
  const q = newReq(t, id, 'POST', '/EWS/Exchange.asmx', '', challenge ? '' : u.nt, clientIp(r, u), EWS_UAS[r.int(EWS_UAS.length)] as string,
    challenge ? 401 : 200, r.range(3, 600), 'Ews');
  proxied(q, w.publicHost, EWS_ACTIONS[r.int(EWS_ACTIONS.length)] as string, challenge ? '' : 'Negotiate', challenge ? '' : u.nt, u.anchorSid, 'WindowsIdentity');
  q.reqBytes = r.range(400, 3000);
  q.respBytes = r.range(200, 40000);
  if (challenge) {
    q.sub = 1;
    q.win32 = 2148074254;
  } else q.be = hop('/EWS/Exchange.asmx', '', u.nt);
  return q;
};

const owa: Kind = (t, r, w, id) => {
  const u = user(r, w);
  const p = r.int(10);
  const ip = clientIp(r, u);
  let q: Req;
  if (p === 0) {
    q = proxied(newReq(t, id, 'GET', '/owa/', '', '', ip, u.browserUa, 302, r.range(1, 20), 'Owa'), w.publicHost, '', '', '', '', 'OwaCookie');
  } else if (p === 1) {
    q = proxied(newReq(t, id, 'POST', '/owa/auth.owa', '', '', ip, u.browserUa, 302, r.range(30, 300), 'Owa'), w.publicHost, 'Logon', '', '', u.anchorSmtp, 'OwaCookie');
  } else if (p === 2) {
    // static logon-page resources are served by the front end itself
    q = newReq(t, id, 'GET', '/owa/auth/' + w.build.split('.').slice(0, 3).join('.') + '/' + (OWA_STATIC[r.int(OWA_STATIC.length)] as string), '', '', ip, u.browserUa, r.int(3) === 0 ? 304 : 200, r.range(0, 15), null);
    q.corr = false;
  } else if (p === 3) {
    q = proxied(newReq(t, id, 'GET', '/owa/', 'bO=1', u.smtp, ip, u.browserUa, 200, r.range(40, 600), 'Owa'), w.publicHost, '', 'Basic', u.smtp, u.anchorSmtp, 'OwaCookie');
    q.be = hop('/owa/', 'bO=1', u.nt);
  } else {
    const action = OWA_ACTIONS[r.int(OWA_ACTIONS.length)] as string;
    const query = 'action=' + action + '&app=Mail&n=' + r.int(400);
    q = proxied(newReq(t, id, 'POST', '/owa/service.svc', query, u.smtp, ip, u.browserUa, 200, r.range(8, 900), 'Owa'), w.publicHost, action, 'Basic', u.smtp, u.anchorSmtp, 'OwaCookie');
    q.clientRequestId = guid(r);
    q.reqBytes = r.range(300, 4000);
    q.respBytes = r.range(200, 30000);
    q.be = hop('/owa/service.svc', query, u.nt);
  }
  q.owa = true;
  return q;
};

const autodiscover: Kind = (t, r, w, id) => {
  const u = user(r, w);
  if (r.int(5) <= 2) {
    // Outlook's own POX autodiscover
    const challenge = r.int(6) === 0;
    const q = newReq(t, id, 'POST', '/Autodiscover/Autodiscover.xml', '', challenge ? '' : u.nt, clientIp(r, u), u.outlookUa, challenge ? 401 : 200, r.range(5, 250), 'Autodiscover');
    proxied(q, w.publicHost, '', challenge ? '' : 'Negotiate', challenge ? '' : u.nt, u.anchorSmtp, 'Smtp');
    if (challenge) q.sub = 1;
    else q.be = hop('/Autodiscover/Autodiscover.xml', '', u.nt);
    return q;
  }
  // Outlook mobile / new Outlook: JSON autodiscover with a URL-encoded address and a Protocol
  const protocol = AD_PROTOCOLS[r.int(AD_PROTOCOLS.length)] as string;
  const v1 = r.int(2) === 0;
  const stem = v1 ? '/autodiscover/autodiscover.json/v1.0/' + u.smtp : '/autodiscover/autodiscover.json';
  const query = v1 ? 'Protocol=' + protocol + '&RedirectCount=1' : 'Email=' + u.smtp.replace('@', '%40') + '&Protocol=' + protocol + '&RedirectCount=1';
  const ua = r.int(3) === 0 ? u.mobileUa : r.int(2) === 0 ? 'Outlook-iOS-Android/1.0' : u.outlookUa;
  return proxied(newReq(t, id, 'GET', stem, query, '', u.externalIp, ua, 200, r.range(3, 80), 'Autodiscover'), w.publicHost, '', '', '', u.anchorSmtp, 'Smtp');
};

const oab: Kind = (t, r, w, id) => {
  const u = user(r, w);
  const stem = '/OAB/' + w.oabGuid + '/' + (r.int(3) === 0 ? 'oab.xml' : w.oabGuid + '-data-' + r.range(1, 40) + '.lzx');
  const q = newReq(t, id, 'GET', stem, '', u.nt, clientIp(r, u), u.outlookUa, r.int(4) === 0 ? 304 : 200, r.range(1, 120), 'Oab');
  proxied(q, w.publicHost, '', 'Negotiate', u.nt, 'OrganizationMailbox~' + w.smtpDomain, 'OABOrganizationMailbox');
  q.be = hop(stem, '', u.nt);
  return q;
};

const rpc: Kind = (t, r, w, id) => {
  const u = user(r, w);
  const query = u.mailboxGuid + '@' + w.smtpDomain + ':6001';
  const q = newReq(t, id, r.int(2) === 0 ? 'RPC_IN_DATA' : 'RPC_OUT_DATA', '/rpc/rpcproxy.dll', query, u.nt, clientIp(r, u), 'MSRPC', 200, r.range(100, 90000), 'RpcHttp');
  proxied(q, w.publicHost, '', 'Ntlm', u.nt, u.anchorGuid, 'RpcHttpQueryString');
  q.be = hop('/rpc/rpcproxy.dll', query, u.nt);
  return q;
};

const ecp: Kind = (t, r, w, id) => {
  if (r.int(5) === 0) {
    // the control panel's own scripts and styles, fetched (GET) by every admin browser: served by the front end
    const q = newReq(t, id, 'GET', '/ecp/' + w.build.split('.').slice(0, 3).join('.') + '/' + (ECP_STATIC[r.int(ECP_STATIC.length)] as string), '', '',
      (w.admins[r.int(w.admins.length)] as User).internalIp, (w.admins[0] as User).browserUa, r.int(2) === 0 ? 304 : 200, r.range(0, 20), null);
    q.corr = false;
    return q;
  }
  const admin = r.int(3) > 0;
  const u = admin ? (w.admins[r.int(w.admins.length)] as User) : user(r, w);
  const ddi = admin && r.int(2) === 0;
  const stem = ddi ? '/ecp/DDI/DDIService.svc/GetList' : admin ? (ECP_PAGES[r.int(ECP_PAGES.length)] as string) : '/ecp/PersonalSettings/HomePage.aspx';
  const query = ddi ? (ECP_DDI[r.int(ECP_DDI.length)] as string) + '&msExchEcpCanary=' + hex8(r.u32()) + hex8(r.u32()) : '';
  const q = newReq(t, id, ddi ? 'POST' : 'GET', stem, query, u.smtp, u.internalIp, u.browserUa, 200, r.range(15, 800), 'Ecp');
  proxied(q, w.publicHost, '', 'Basic', u.smtp, u.anchorSid, 'WindowsIdentity');
  q.be = hop(stem, query, u.nt);
  return q;
};

const powershell: Kind = (t, r, w, id) => {
  const u = w.admins[r.int(w.admins.length)] as User;
  const query = 'serializationLevel=Full;clientApplication=ManagementShell;TargetServer=;ExchClientVer=' + w.build;
  const q = newReq(t, id, 'POST', '/powershell', query, u.nt, u.internalIp, 'Microsoft WinRM Client', 200, r.range(5, 2500), 'PowerShell');
  proxied(q, w.fqdn, '', 'Kerberos', u.nt, u.anchorSid, 'WindowsIdentity');
  q.port = 80;
  q.be = hop('/PowerShell/', query, u.nt);
  return q;
};

const calendar: Kind = (t, r, w, id) => {
  const u = user(r, w);
  const stem = '/owa/calendar/' + u.mailboxGuid.replace(/-/g, '') + '@' + w.smtpDomain + '/' + hex8(r.u32()) + hex8(r.u32()) + '/calendar.ics';
  const q = newReq(t, id, 'GET', stem, '', '', '100.' + r.range(64, 127) + '.' + r.int(256) + '.' + r.range(1, 254), 'Google-Calendar-Importer', 200, r.range(20, 300), 'OwaCalendar');
  proxied(q, w.publicHost, '', '', '', u.anchorSmtp, 'Url');
  q.owa = true;
  return q;
};

/** Managed Availability probes from the server itself (research §5.4: AMProbe UAs, HealthMailbox users, ::1/127.0.0.1). */
const probe: Kind = (t, r, w, id) => {
  const hm = w.healthMailboxes[r.int(w.healthMailboxes.length)] as string;
  const nt = w.netbios + '\\' + hm;
  const ip = r.int(2) === 0 ? '127.0.0.1' : '::1';
  const [method, stem, proto, ua, action] = PROBES[r.int(PROBES.length)] as [string, string, string, string, string];
  const failed = proto === 'Oab';
  const query = proto === 'Eas' ? 'Cmd=FolderSync&User=' + hm + '&DeviceId=Probe&DeviceType=AirSyncProbe' : '';
  const q = newReq(t, id, method, stem, query, failed ? '' : nt, ip, ua, failed ? 401 : 200, r.range(5, 200), proto);
  proxied(q, 'localhost', action, 'Negotiate', failed ? '' : nt, 'Smtp~' + hm + '@' + w.smtpDomain, 'WindowsIdentity');
  if (proto === 'Owa') q.owa = true;
  if (!failed && proto !== 'Eas' && proto !== 'Autodiscover') q.be = hop(stem, '', nt);
  return q;
};

const MAPI_ACTIONS = ['Execute', 'Execute', 'Execute', 'NotificationWait', 'Connect'];
const AD_PROTOCOLS = ['ActiveSync', 'Ews', 'AutodiscoverV1', 'Rest'];
const PROBES: Array<[string, string, string, string, string]> = [
  ['GET', '/owa/', 'Owa', 'AMProbe/Local/ClientAccess', ''],
  ['POST', '/EWS/Exchange.asmx', 'Ews', 'AMProbe/Local/ClientAccess', 'GetFolder'],
  ['POST', '/mapi/emsmdb/', 'Mapi', 'MapiHttpClient', 'Connect'],
  ['POST', '/Microsoft-Server-ActiveSync/default.eas', 'Eas', 'AMProbe/Local/ClientAccess', 'FolderSync'],
  ['GET', '/ecp/', 'Ecp', 'AMProbe/Local/ClientAccess', ''],
  ['POST', '/Autodiscover/Autodiscover.xml', 'Autodiscover', 'AMProbe/Local/ClientAccess', ''],
  ['GET', '/oab/', 'Oab', 'AMProbe/Local/ClientAccess', ''],
];

/** Kinds and their share of requests. */
const MIX: Array<[Kind, number]> = [
  [eas, 24], [mapi, 26], [ews, 11], [owa, 12], [autodiscover, 6], [oab, 2], [rpc, 3], [probe, 11], [ecp, 2], [powershell, 1], [calendar, 0.5],
];

export function makeBenignHttp(w: World, r: Rng): (t: number) => Req {
  const table: Kind[] = [];
  const total = MIX.reduce((s, [, n]) => s + n, 0);
  for (const [k, n] of MIX) for (let i = 0; i < Math.round((n / total) * 1000); i++) table.push(k);
  return (t) => (table[r.int(table.length)] as Kind)(t, r, w, guid(r));
}

/** Back-end only health checks: 'Exchange BackEnd Probes' straight to port 444 (no front-end line). */
export function backendProbe(t: number, r: Rng, w: World): Req {
  const hm = w.healthMailboxes[r.int(w.healthMailboxes.length)] as string;
  const stem = r.pick(['/owa/', '/EWS/Exchange.asmx', '/mapi/emsmdb/', '/ecp/', '/PowerShell/']);
  // the PowerShell back end is also polled with the 'ClientInfo' agent [assumed; named as benign by research §4.4]
  const ua = stem === '/PowerShell/' && r.int(2) === 0 ? 'ClientInfo' : 'Exchange BackEnd Probes';
  const user = w.netbios + '\\' + hm;
  const q = newReq(t, guid(r), stem === '/PowerShell/' ? 'POST' : 'GET', stem, '', user, '::1', ua, 200, r.range(2, 60), null);
  q.frontEnd = false;
  q.corr = false;
  q.be = { stem, query: '', user, status: 200, ip: '::1', ua: undefined };
  return q;
}

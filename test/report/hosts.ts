// A small compromised host built by hand (no scan): an SSRF from one address, a web shell with its hash
// and requests from another, a mailbox export, an untimed finding. For the format tests.
import { assessHost } from '../../src/assess/assess-host.js';
import { emptyEntities, type Finding, type HostAssessment } from '../../src/types.js';
import { finding, iisCoverage } from '../assess/fixtures.js';

const T = (s: string): number => Date.parse(s);

export function handHost(name = 'EX02', mark = ''): HostAssessment {
  const shellPath = 'C/inetpub/wwwroot/aspnet_client/discover.aspx';
  const shell: Finding = Object.assign(
    finding({ stage: 'persistence', level: 'critical', title: `China Chopper in OAB config${mark}`, time: T('2021-03-03T02:00:05Z'), entities: { ...emptyEntities(), ips: ['203.0.113.77'], files: [shellPath] }, evidence: { path: shellPath, excerpt: `score 100 ${mark}` } }),
    { webFile: { score: 100, sha256: '2e1eb00575e1a8f6c95a23c87b05e23eb4718557f787aa905bb000e98b31c5f0', size: 2318, signals: [], requests: { count: 4, first: T('2021-03-03T03:00:00Z'), last: T('2021-03-04T03:00:00Z'), ips: ['203.0.113.77'] } } },
  );
  const fs: Finding[] = [
    finding({ stage: 'exploited', level: 'critical', title: `ProxyLogon SSRF${mark}`, cves: ['CVE-2021-26855'], attack: ['T1190'], ip: '5.254.43.18', time: T('2021-03-03T02:00:00Z'), line: 10, path: 'inetpub/logs/LogFiles/W3SVC1/u_ex210303.log' }),
    shell,
    finding({ stage: 'persistence', level: 'high', title: `Mailbox exported${mark}`, time: T('2021-03-03T04:00:00Z'), entities: { ...emptyEntities(), users: ['CONTOSO\\bob'], mailboxes: ['ceo@contoso.com'] }, evidence: { path: 'Logging/CmdletInfra/Rps_Cmdlet.LOG', line: 4, excerpt: `New-MailboxExportRequest -Mailbox ceo@contoso.com ${mark}` } }),
    finding({ stage: 'hands-on', level: 'high', title: `No time${mark}`, ip: '203.0.113.77', line: 77, path: 'inetpub/logs/LogFiles/W3SVC1/u_ex210303.log' }),
  ];
  return assessHost({ host: name, findings: fs, files: [iisCoverage(T('2021-03-01'), T('2021-03-05'))] });
}

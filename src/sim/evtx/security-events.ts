// A Security-log-like event stream (logons, special privileges, process creation) for benchmarks and
// large-file tests. Field names follow Microsoft's Security auditing events 4624, 4672 and 4688.
import type { EvtxEvent } from './writer.js';

const PROVIDER = 'Microsoft-Windows-Security-Auditing';
const GUID = '{54849625-5478-4994-A5BA-3E3B0328C30D}';
const IMAGES = ['C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\System32\\conhost.exe', 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\MSExchangeHMWorker.exe', 'C:\\Windows\\System32\\inetsrv\\w3wp.exe'];

/** n events, one every 50 ms from `start`, generated lazily (memory stays flat however many). */
export function* securityLikeEvents(n: number, start: number, computer = 'EX01.contoso.local'): Generator<EvtxEvent> {
  const base = { provider: PROVIDER, providerGuid: GUID, channel: 'Security', computer, level: 0, keywords: 0x8020000000000000n, processId: 612, threadId: 1884 };
  for (let i = 0; i < n; i++) {
    const time = start + i * 50;
    const user = `user${i % 97}`;
    const logonId = { type: 'hex64' as const, value: BigInt(0x3e7 + (i % 5000)) };
    switch (i % 3) {
      case 0:
        yield {
          ...base, eventId: 4624, version: 2, task: 12544, time,
          data: {
            SubjectUserSid: { type: 'sid', value: 'S-1-5-18' }, SubjectUserName: 'EX01$', SubjectDomainName: 'CONTOSO', SubjectLogonId: { type: 'hex64', value: 0x3e7 },
            TargetUserSid: { type: 'sid', value: `S-1-5-21-3623811015-3361044348-30300820-${1100 + (i % 97)}` }, TargetUserName: user, TargetDomainName: 'CONTOSO',
            TargetLogonId: logonId, LogonType: { type: 'uint32', value: 3 }, LogonProcessName: 'Kerberos', AuthenticationPackageName: 'Kerberos',
            WorkstationName: '-', LogonGuid: { type: 'guid', value: '{B5A5D6C3-11A2-4E4B-9D2F-3C0B2D7E9A10}' }, TransmittedServices: '-', LmPackageName: '-',
            KeyLength: { type: 'uint32', value: 0 }, ProcessId: { type: 'hex64', value: 0 }, ProcessName: '-', IpAddress: `10.0.${(i >> 8) & 255}.${i & 255}`, IpPort: '0',
            ImpersonationLevel: '%%1833', RestrictedAdminMode: '-', TargetOutboundUserName: '-', TargetOutboundDomainName: '-', VirtualAccount: '%%1843',
            TargetLinkedLogonId: { type: 'hex64', value: 0 }, ElevatedToken: '%%1842',
          },
        };
        break;
      case 1:
        yield {
          ...base, eventId: 4672, task: 12548, time,
          data: {
            SubjectUserSid: { type: 'sid', value: `S-1-5-21-3623811015-3361044348-30300820-${1100 + (i % 97)}` }, SubjectUserName: user, SubjectDomainName: 'CONTOSO',
            SubjectLogonId: logonId, PrivilegeList: 'SeSecurityPrivilege\r\n\t\t\tSeBackupPrivilege\r\n\t\t\tSeRestorePrivilege\r\n\t\t\tSeDebugPrivilege',
          },
        };
        break;
      default: {
        const image = IMAGES[i % IMAGES.length]!;
        yield {
          ...base, eventId: 4688, version: 2, task: 13312, time,
          data: {
            SubjectUserSid: { type: 'sid', value: 'S-1-5-18' }, SubjectUserName: 'EX01$', SubjectDomainName: 'CONTOSO', SubjectLogonId: { type: 'hex64', value: 0x3e7 },
            NewProcessId: { type: 'hex64', value: BigInt(0x1000 + (i % 60000)) }, NewProcessName: image, TokenElevationType: '%%1936',
            ProcessId: { type: 'hex64', value: 0x2b4 }, CommandLine: `"${image}" -k netsvcs -p -s Schedule /id ${i}`,
            TargetUserSid: { type: 'sid', value: 'S-1-0-0' }, TargetUserName: '-', TargetDomainName: '-', TargetLogonId: { type: 'hex64', value: 0 },
            ParentProcessName: 'C:\\Windows\\System32\\services.exe', MandatoryLabel: { type: 'sid', value: 'S-1-16-16384' },
          },
        };
      }
    }
  }
}

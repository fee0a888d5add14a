// Event-log content of an Exchange compromise, for fixtures and the simulator. Shapes follow the public
// descriptions in /work/shared/research/exchange-detections.md:
// - CVE-2021-26857: Application log, provider "MSExchange Unified Messaging", Level 2 (Error), message
//   containing System.InvalidCastException (§1.4, from microsoft/CSS-Exchange Test-ProxyLogon.ps1; §5.9).
//   No event ID is published for it (§1.4), so the ID used here is a placeholder.
// - MSExchange Management log, provider "MSExchange CmdletLogs", event 1 "Cmdlet succeeded", unnamed Data:
//   cmdlet name, parameters (2013+ rendering `-Name "value"`), caller, caller SID (§5.9, §6.6).
// - Sysmon event 1 (process creation): w3wp.exe spawning cmd.exe, the China Chopper shape (§5.9).
import type { EvtxEvent } from './writer.js';

const HOST = 'EX01.contoso.local';
const SYSTEM_SID = 'S-1-5-18';
const ADMIN_SID = 'S-1-5-21-3623811015-3361044348-30300820-500';

/** An Application log with the CVE-2021-26857 crash and a benign UM event beside it. */
export function umApplicationEvents(start: number): EvtxEvent[] {
  const base = { provider: 'MSExchange Unified Messaging', channel: 'Application', computer: HOST, qualifiers: 49152, task: 0, keywords: 0x80000000000000n };
  return [
    { ...base, eventId: 1009, level: 4, time: start, data: ['The Unified Messaging service started successfully.'] },
    {
      ...base,
      eventId: 1000, // placeholder: no ID is published for this event
      level: 2,
      time: start + 60_000,
      data: [
        'UMWorkerProcess',
        'An unhandled exception occurred in the UM worker process: System.InvalidCastException: Unable to cast object of type ' +
          "'System.Collections.Generic.SortedSet`1[System.String]' to type 'Microsoft.Exchange.UM.UMCommon.UMPartnerContext'.",
      ],
    },
  ];
}

function cmdlet(time: number, recordName: string, params: string, eventId = 1, level = 4): EvtxEvent {
  return {
    provider: 'MSExchange CmdletLogs',
    channel: 'MSExchange Management',
    computer: HOST,
    eventId,
    qualifiers: eventId === 6 ? 49152 : 16384,
    level,
    task: 1,
    keywords: 0x80000000000000n,
    time,
    data: [recordName, params, 'contoso.local/Users/Administrator', ADMIN_SID, 'S-1-5-21-3623811015-3361044348-30300820-500', 'w3wp.exe', '4312', '15.01.2176.002', 'Remote-PowerShell-Unknown'],
  };
}

/** The ProxyShell post-exploitation cmdlets (role grant, mailbox export to a web folder, clean-up). */
export function proxyShellCmdletEvents(start: number): EvtxEvent[] {
  return [
    cmdlet(start, 'Get-Mailbox', '-ResultSize "10"'),
    cmdlet(start + 5_000, 'New-ManagementRoleAssignment', '-Role "Mailbox Import Export" -User "jdoe"'),
    cmdlet(
      start + 20_000,
      'New-MailboxExportRequest',
      '-Mailbox "ceo@contoso.com" -FilePath "\\\\127.0.0.1\\c$\\inetpub\\wwwroot\\aspnet_client\\shell.aspx" -IncludeFolders "#Drafts#" -ContentFilter "Subject -eq \'x\'"',
    ),
    cmdlet(start + 40_000, 'Remove-MailboxExportRequest', '-Identity "ceo@contoso.com\\MailboxExport" -Confirm "False"'),
  ];
}

/** Sysmon process creation: a benign service start and w3wp.exe (MSExchangeOWAAppPool) spawning cmd.exe. */
export function sysmonProcessEvents(start: number): EvtxEvent[] {
  const base = {
    provider: 'Microsoft-Windows-Sysmon',
    providerGuid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
    channel: 'Microsoft-Windows-Sysmon/Operational',
    computer: HOST,
    eventId: 1,
    version: 5,
    level: 4,
    task: 1,
    keywords: 0x8000000000000000n,
    userId: SYSTEM_SID,
    processId: 2044,
    threadId: 3120,
  };
  const proc = (time: number, pid: number, image: string, cmd: string, parentImage: string, parentCmd: string): EvtxEvent => ({
    ...base,
    time,
    data: {
      RuleName: '-',
      UtcTime: new Date(time).toISOString().replace('T', ' ').slice(0, 23),
      ProcessGuid: { type: 'guid', value: `{6A3E1F0B-${(pid % 65536).toString(16).padStart(4, '0')}-6040-0A01-000000000E00}` },
      ProcessId: { type: 'uint32', value: pid },
      Image: image,
      FileVersion: '10.0.17763.1 (WinBuild.160101.0800)',
      Description: 'Windows Command Processor',
      Product: 'Microsoft® Windows® Operating System',
      Company: 'Microsoft Corporation',
      OriginalFileName: image.split('\\').pop()!.toUpperCase(),
      CommandLine: cmd,
      CurrentDirectory: 'c:\\windows\\system32\\inetsrv\\',
      User: 'NT AUTHORITY\\SYSTEM',
      LogonGuid: { type: 'guid', value: '{6A3E1F0B-5F3A-6040-E703-000000000000}' },
      LogonId: { type: 'hex64', value: 0x3e7 },
      TerminalSessionId: { type: 'uint32', value: 0 },
      IntegrityLevel: 'System',
      Hashes: 'SHA256=B99D114B267FFD068C3289199B6DF95C9D9ED0E8D9D5E4C0E8C0B1F3A1C2D3E4',
      ParentProcessGuid: { type: 'guid', value: '{6A3E1F0B-0A10-6040-5C01-000000000E00}' },
      ParentProcessId: { type: 'uint32', value: 4312 },
      ParentImage: parentImage,
      ParentCommandLine: parentCmd,
    },
  });
  const w3wp = 'c:\\windows\\system32\\inetsrv\\w3wp.exe';
  const w3wpCmd = 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "MSExchangeOWAAppPool" -v "v4.0" -c "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\bin\\GenericAppPoolConfigWithGCServerEnabledFalse.config" -a \\\\.\\pipe\\iisipm -h "C:\\inetpub\\temp\\apppools\\MSExchangeOWAAppPool\\MSExchangeOWAAppPool.config" -w "" -m 0';
  return [
    proc(start, 5120, 'C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p', 'C:\\Windows\\System32\\services.exe', 'C:\\Windows\\system32\\services.exe'),
    proc(start + 1_000, 6248, 'C:\\Windows\\System32\\cmd.exe', 'cmd /c cd /d "C:\\inetpub\\wwwroot\\aspnet_client"&whoami&echo [S]&cd&echo [E]', w3wp, w3wpCmd),
  ];
}

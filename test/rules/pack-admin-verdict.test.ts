// Administrators do some of what intruders do: grant the import/export role and export a leaver's mailbox,
// clean up logs, load the Exchange snap-in in a script, add a colleague to Administrators, install an IIS
// module or a vendor's transport agent, zip logs for a support case. The pack reports these as leads, but
// on a server with no exploitation evidence they must not make the verdict 'compromised' or 'exploited'.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideVerdict } from '../../src/assess/verdict.js';
import { logFinding } from '../../src/detect/log-finding.js';
import { EXV15, evt, mgmt, proc } from './cases/build.js';
import { loadPack, scan, type Input, type LogKey } from './harness.js';

const adm = 'CONTOSO\\exadmin';
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const CMD = 'C:\\Windows\\System32\\cmd.exe';
const SVCHOST = 'C:\\Windows\\System32\\svchost.exe';
const rps = (cmdlet: string, parameters: string): Record<string, string> => ({ Cmdlet: cmdlet, Parameters: parameters, AuthenticatedUser: adm, ClientApplication: 'ManagementShell' });

const ADMIN: { log: LogKey; input: Input }[] = [
  { log: 'rps-cmdlet', input: rps('New-ManagementRoleAssignment', '-Role:"Mailbox Import Export" -User:"exadmin"') },
  { log: 'rps-cmdlet', input: rps('New-MailboxExportRequest', '-Mailbox:"leaver@contoso.com" -FilePath:"\\\\fs01\\pst$\\leaver.pst"') },
  { log: 'rps-cmdlet', input: rps('Remove-MailboxExportRequest', '-Identity:"leaver\\MailboxExport" -Confirm:$false') },
  { log: 'rps-cmdlet', input: rps('Set-Mailbox', '-Identity:"leaver" -ForwardingSmtpAddress:"smtp:manager@contoso.com"') },
  { log: 'evtx', input: mgmt('New-ManagementRoleAssignment', '-Role "Mailbox Import Export" -User "exadmin"') },
  { log: 'evtx', input: mgmt('New-MailboxExportRequest', '-Mailbox "leaver@contoso.com" -FilePath "\\\\fs01\\pst$\\leaver.pst"') },
  { log: 'evtx', input: mgmt('Add-RoleGroupMember', '-Identity "Organization Management" -Member "newadmin"') },
  { log: 'evtx', input: mgmt('Install-TransportAgent', '-Name "Vendor Disclaimer Agent" -TransportAgentFactory "Vendor.Disclaimer.Factory" -AssemblyPath "C:\\Program Files\\Vendor\\Disclaimer.dll"') },
  { log: 'evtx', input: proc(PS, `powershell.exe -File C:\\Scripts\\CleanupLogs.ps1 -Path "${EXV15}Logging\\HttpProxy" ; Get-ChildItem "${EXV15}Logging\\HttpProxy" -Recurse | Remove-Item`, SVCHOST) },
  { log: 'evtx', input: evt('Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', 23, { Image: PS, TargetFilename: `${EXV15}Logging\\HttpProxy\\Mapi\\HttpProxy_2021010100-1.LOG` }) },
  { log: 'evtx', input: proc(PS, 'powershell.exe -File C:\\Scripts\\Report.ps1 -Command "Add-PSSnapin Microsoft.Exchange.Management.PowerShell.SnapIn; Get-MailboxStatistics"', SVCHOST) },
  { log: 'evtx', input: evt('Security', 'Microsoft-Windows-Security-Auditing', 4732, { TargetUserName: 'Administrators', TargetSid: 'S-1-5-32-544', MemberSid: 'S-1-5-21-1-2-3-1200', SubjectUserName: 'exadmin' }, 0) },
  { log: 'evtx', input: evt('Security', 'Microsoft-Windows-Security-Auditing', 4720, { TargetUserName: 'svc_backup', SubjectUserName: 'exadmin' }, 0) },
  { log: 'evtx', input: proc('C:\\Windows\\System32\\inetsrv\\appcmd.exe', 'appcmd.exe install module /name:RequestMonitor /image:C:\\Program Files\\Vendor\\rm.dll', CMD) },
  { log: 'evtx', input: proc('C:\\Program Files\\7-Zip\\7z.exe', `7z.exe a C:\\ProgramData\\support-case.zip "${EXV15}Logging\\HttpProxy\\Owa"`, CMD) },
];

describe('rule pack on administrators doing what intruders also do', () => {
  it('reports leads, and the verdict stays short of compromised or exploited', async () => {
    const pack = await loadPack();
    const outcomes = await scan(pack, ADMIN);
    const byPath = new Map(pack.ruleSet.rules.map((r) => [r.source.replace(/\\/g, '/').split('rules/sigma/')[1]!, r]));
    const findings = outcomes.flatMap((o) => o.matched.map((m) => logFinding(byPath.get(m)!, o.records[0]!)));
    // not vacuous: most of these actions are worth a look and are reported
    assert.ok(findings.length >= 10, `${findings.length} findings`);
    const v = decideVerdict({ findings, families: [{ family: 'iis', files: 1, records: 1000 }] });
    assert.ok(!['compromised', 'exploited'].includes(v.verdict), `${v.verdict}: ${v.reason}`);
  });
});

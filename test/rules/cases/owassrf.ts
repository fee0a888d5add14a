// OWASSRF (CVE-2022-41080/41082) cases: CrowdStrike's and Rapid7's request shape, the public PoC's path
// (/owa/mastermailbox%40outlook.com/powershell) and user agent, Exchange's own remote-PowerShell clients.
import type { RuleCase } from '../harness.js';
import { corr, iis, UA_CHROME, UA_PROBE, UA_WINRM } from './build.js';

const OWA_PS = '/owa/mastermailbox%40outlook.com/powershell';
const hp = (stem: string, status: string, ua: string, method = 'POST'): Record<string, string> => ({
  Protocol: 'Owa',
  UrlStem: stem,
  HttpStatus: status,
  Method: method,
  UserAgent: ua,
  AuthenticatedUser: 'CONTOSO\\jdoe',
  IsAuthenticated: 'true',
  ClientIpAddress: '203.0.113.9',
});

const rh = (ua: string, status: string, query = '?serializationLevel=Full;clientApplication=ManagementShell'): Record<string, string> => ({
  UrlHost: 'ex01.contoso.local',
  UrlStem: '/powershell',
  UrlQuery: query,
  AuthenticatedUser: 'CONTOSO\\jdoe',
  ClientIpAddress: '10.0.0.5',
  HttpStatus: status,
  UserAgent: ua,
  GenericInfo: ';OnEndRequest.End.ContentType=application/soap+xml charset UTF-8;S:ServiceCommonMetadata.HttpMethod=POST;',
});

export const cases: RuleCase[] = [
  {
    rule: 'owassrf/iis_owassrf_powershell_success.yml',
    log: 'iis',
    tp: [
      iis({ m: 'POST', stem: OWA_PS, user: 'CONTOSO\\jdoe', ip: '203.0.113.9', ua: UA_CHROME }),
      iis({ m: 'POST', stem: '/owa/x@contoso.com/PowerShell', user: 'jdoe@contoso.com', ip: '203.0.113.9', ua: 'python-requests/2.28.1' }),
    ],
    tn: [
      iis({ m: 'POST', stem: OWA_PS, user: 'CONTOSO\\jdoe', ip: '203.0.113.9', ua: UA_CHROME, status: 401 }),
      iis({ m: 'POST', stem: '/owa/HealthMailbox0a1b2c@contoso.com/powershell', user: 'CONTOSO\\HealthMailbox0a1b2c', ip: '::1', ua: 'Exchange BackEnd Probes' }),
      iis({ m: 'POST', stem: '/owa/service.svc', q: `action=GetFolderMailTips&app=Mail&${corr}`, user: 'CONTOSO\\jdoe', ua: UA_CHROME }),
      iis({ m: 'POST', stem: '/powershell', q: `serializationLevel=Full;ExchClientVer=15.1.2375.7;clientApplication=ManagementShell&${corr}`, user: 'CONTOSO\\exadmin', ip: '10.0.1.20', ua: UA_WINRM }),
    ],
  },
  {
    rule: 'owassrf/iis_owassrf_powershell_attempt.yml',
    log: 'iis',
    tp: [iis({ m: 'POST', stem: OWA_PS, ip: '203.0.113.9', ua: UA_CHROME, status: 401 }), iis({ m: 'POST', stem: '/owa/a%40b.com/powershell', ip: '203.0.113.9', ua: UA_CHROME, status: 500 })],
    tn: [
      iis({ m: 'POST', stem: OWA_PS, user: 'CONTOSO\\jdoe', ip: '203.0.113.9', ua: UA_CHROME }),
      iis({ m: 'POST', stem: '/owa/HealthMailbox0a1b2c@contoso.com/powershell', ip: '::1', ua: 'ClientInfo', status: 401 }),
      iis({ m: 'POST', stem: '/owa/auth.owa', ua: UA_CHROME, status: 302 }),
    ],
  },
  {
    rule: 'owassrf/iis_backend_powershell_foreign_client.yml',
    log: 'iis',
    tp: [
      iis({ m: 'POST', stem: '/powershell', q: `clientApplication=ManagementShell&${corr}`, port: 444, user: 'CONTOSO\\jdoe', ip: '10.0.0.5', ua: UA_CHROME }),
      iis({ m: 'POST', stem: '/Powershell', q: '', port: 444, ip: '10.0.0.5', ua: 'python-requests/2.28.1' }),
    ],
    tn: [
      iis({ m: 'POST', stem: '/powershell', q: `clientApplication=ManagementShell&${corr}`, port: 444, user: 'CONTOSO\\exadmin', ip: '10.0.0.5', ua: UA_WINRM }),
      iis({ m: 'POST', stem: '/powershell', q: `${corr}`, port: 444, user: 'CONTOSO\\HealthMailbox0a1b2c', ip: '10.0.0.5', ua: 'Exchange BackEnd Probes' }),
      iis({ m: 'POST', stem: '/powershell', q: `${corr}`, port: 443, user: 'CONTOSO\\jdoe', ip: '203.0.113.9', ua: UA_CHROME }),
      iis({ m: 'GET', stem: '/owa/', port: 444, ip: '127.0.0.1', ua: UA_PROBE }),
    ],
  },
  {
    rule: 'owassrf/httpproxy_owassrf_powershell.yml',
    log: 'httpproxy/owa',
    tp: [hp(OWA_PS, '200', UA_CHROME), hp('/owa/x@y.com/powershell', '200', 'python-requests/2.28.1')],
    tn: [hp(OWA_PS, '401', UA_CHROME), hp('/owa/HealthMailbox0a1b2c@contoso.com/powershell', '200', 'Exchange BackEnd Probes'), hp('/owa/service.svc', '200', UA_CHROME)],
  },
  {
    rule: 'owassrf/httpproxy_owassrf_powershell_attempt.yml',
    log: 'httpproxy/owa',
    tp: [hp(OWA_PS, '401', UA_CHROME), hp('/owa/a%40b.com/powershell', '500', 'python-requests/2.28.1')],
    tn: [hp(OWA_PS, '200', UA_CHROME), hp('/owa/HealthMailbox0a1b2c@contoso.com/powershell', '401', 'ClientInfo'), hp('/owa/auth.owa', '302', UA_CHROME)],
  },
  {
    rule: 'owassrf/rps_http_powershell_foreign_client.yml',
    log: 'rps-http',
    tp: [rh(UA_CHROME, '200'), rh('python-requests/2.26.0', '200', '?X-Rps-CAT=VgEAVAdXaW5kb3dzQwBBCEtlcmJlcm9z')],
    tn: [rh(UA_WINRM, '200'), rh('Exchange BackEnd Probes', '200'), rh('ClientInfo', '200'), rh(UA_CHROME, '401'), rh('', '200')],
  },
];

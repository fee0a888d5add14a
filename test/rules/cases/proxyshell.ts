// ProxyShell (CVE-2021-34473/34523/31207) cases. Request shapes from ZDI, PeterJson and Splunk's published
// example ('POST /autodiscover/autodiscover.json a=...@.../powershell/?X-Rps-CAT=...'), the Nessus-style probe
// quoted in signature-base, and exchange-detections.md §4.2.1 / §6.5.
import type { RuleCase } from '../harness.js';
import { corr, iis, UA_CHROME, UA_OUTLOOK } from './build.js';

const AD = '/autodiscover/autodiscover.json';
const mark = (host: string): string => `Email=autodiscover/autodiscover.json%3F@${host}`;
const py = 'python-requests/2.26.0';
const rps = 'X-Rps-CAT=VgEAVAdXaW5kb3dzQwBBCEtlcmJlcm9zTBlBZG1pbmlzdHJhdG9yQGNvbnRvc28uY29tVSxTLTEtNS0yMQ';

export const attempts = {
  powershell401: iis({ m: 'POST', stem: AD, q: `@evil.tld/powershell/?${rps}&${mark('evil.tld')}&${corr}`, ua: py, status: 401 }),
  nspi401: iis({ stem: AD, q: `@evil.tld/mapi/nspi/?&${mark('evil.tld')}&${corr}`, ua: py, status: 401 }),
  marker401: iis({ stem: AD, q: `@foo.com/ecp/?&${mark('foo.com')}&${corr}`, ua: py, status: 401 }),
};
export const benignAutodiscover = [
  iis({ m: 'POST', stem: '/autodiscover/autodiscover.xml', user: 'CONTOSO\\jdoe', ip: '10.0.1.30', ua: UA_OUTLOOK }),
  iis({ stem: AD, q: `Email=jdoe%40contoso.com&Protocol=ActiveSync&RedirectCount=1&${corr}`, ip: '198.51.100.7', ua: UA_OUTLOOK }),
  iis({ stem: `${AD}/v1.0/jdoe@contoso.com`, q: `Protocol=EWS&RedirectCount=1&${corr}`, ip: '198.51.100.7', ua: UA_OUTLOOK }),
  iis({ stem: AD, q: `Email=jdoe@contoso.com&Protocol=AutodiscoverV1&RedirectCount=1&${corr}`, ip: '198.51.100.7', ua: UA_OUTLOOK, status: 401 }),
];
// A vulnerability scanner's ProxyShell/ProxyNotShell check that a patched server answers 404 or 302.
export const nessusProbes = [
  iis({ stem: AD, q: `@test.com/owa/?&${mark('test.com')}&${corr}`, ip: '198.51.100.50', ua: UA_CHROME, status: 302 }),
  iis({ stem: '/owa/', q: `&${mark('test.com')}&ClientId=ABCDEF0123456789&${corr}`, ip: '198.51.100.50', ua: UA_CHROME, status: 404 }),
  iis({ stem: AD, q: `@test.com/owa/?&${mark('test.com')}&${corr}`, ip: '198.51.100.50', ua: UA_CHROME, status: 404 }),
  iis({ stem: AD, q: `@test.com/mapi/nspi/?&${mark('test.com')}&${corr}`, ip: '10.10.1.5', ua: 'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)', status: 401 }),
];

const hpAd = (query: string, status: string, user = ''): Record<string, string> => ({
  Protocol: 'Autodiscover', UrlStem: AD, UrlQuery: query, HttpStatus: status, Method: 'POST', UserAgent: py, ClientIpAddress: '203.0.113.8', AuthenticatedUser: user, IsAuthenticated: user ? 'true' : 'false',
});

export const cases: RuleCase[] = [
  {
    rule: 'proxyshell/httpproxy_proxyshell_ssrf_failed.yml',
    log: 'httpproxy/autodiscover',
    tp: [hpAd(`?@evil.tld/mapi/nspi/?&${mark('evil.tld')}`, '401'), hpAd(`?@x.com/powershell/?${rps}`, '401')],
    tn: [hpAd(`?@test.com/mapi/nspi/?&${mark('test.com')}`, '401'), hpAd(`?@evil.tld/mapi/nspi/?&${mark('evil.tld')}`, '200'), hpAd('?Email=jdoe@contoso.com&Protocol=AutodiscoverV1&RedirectCount=1', '401')],
  },
  {
    rule: 'proxyshell/iis_proxyshell_ssrf_success.yml',
    log: 'iis',
    tp: [
      iis({ m: 'POST', stem: AD, q: `@evil.tld/powershell/?${rps}&${mark('evil.tld')}&${corr}`, ua: py }),
      iis({ stem: AD, q: `@evil.tld/mapi/nspi/?&${mark('evil.tld')}&${corr}`, ua: py }),
      iis({ m: 'POST', stem: AD, q: `a=dsxvu@fnsso.flq/powershell/?${rps}&${corr}`, ua: py }),
      iis({ m: 'POST', stem: AD, q: `@evil.tld/autodiscover/autodiscover.xml?&${mark('evil.tld')}&${corr}`, ua: py }),
      iis({ m: 'POST', stem: AD, q: `@evil.tld/EWS/exchange.asmx?&${mark('evil.tld')}&${corr}`, ua: py, status: 302 }),
      iis({ m: 'POST', stem: AD, q: `@evil.tld/powershell/?${rps}&${mark('evil.tld')}&${corr}`, ua: py, user: 'administrator@contoso.com' }),
    ],
    tn: [
      ...benignAutodiscover,
      ...nessusProbes,
      attempts.powershell401,
      // authenticated and without the X-Rps-CAT token: ProxyNotShell's rule, not this one
      iis({ m: 'POST', stem: AD, q: `@zdi/PowerShell?serializationLevel=Full;clientApplication=ManagementShell&${mark('zdi')}&${corr}`, user: 'CONTOSO\\jdoe', ua: py }),
    ],
  },
  {
    rule: 'proxyshell/iis_proxyshell_ssrf_failed.yml',
    log: 'iis',
    tp: [attempts.powershell401, attempts.nspi401, attempts.marker401],
    tn: [...benignAutodiscover, ...nessusProbes, iis({ stem: AD, q: `@evil.tld/mapi/nspi/?&${mark('evil.tld')}&${corr}`, ua: py })],
  },
  {
    rule: 'proxyshell/httpproxy_proxyshell_autodiscover_ssrf.yml',
    log: 'httpproxy/autodiscover',
    tp: [
      { Protocol: 'Autodiscover', UrlStem: AD, UrlQuery: `?@evil.tld/mapi/nspi/?&${mark('evil.tld')}`, HttpStatus: '200', Method: 'POST', UserAgent: py, ClientIpAddress: '203.0.113.8' },
      { Protocol: 'Autodiscover', UrlStem: AD, UrlQuery: `?@evil.tld/powershell/?${rps}&${mark('evil.tld')}`, HttpStatus: '200', Method: 'POST', UserAgent: py, ClientIpAddress: '203.0.113.8' },
    ],
    tn: [
      { Protocol: 'Autodiscover', UrlStem: AD, UrlQuery: '?Email=jdoe@contoso.com&Protocol=AutodiscoverV1&RedirectCount=1', HttpStatus: '200', Method: 'GET', UserAgent: UA_OUTLOOK, ClientIpAddress: '198.51.100.7' },
      { Protocol: 'Autodiscover', UrlStem: AD, UrlQuery: `?@evil.tld/mapi/nspi/?&${mark('evil.tld')}`, HttpStatus: '401', Method: 'POST', UserAgent: py, ClientIpAddress: '203.0.113.8' },
      { Protocol: 'Autodiscover', UrlStem: AD, UrlQuery: `?@test.com/owa/?&${mark('test.com')}`, HttpStatus: '302', Method: 'GET', UserAgent: UA_CHROME, ClientIpAddress: '10.10.1.5' },
    ],
  },
];

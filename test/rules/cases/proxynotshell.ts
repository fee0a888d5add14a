// ProxyNotShell (CVE-2022-41040/41082) cases: authenticated autodiscover.json SSRF to /powershell
// (Microsoft 2022-09-30, GTSC, ZDI's description of the request; exchange-detections.md §4.3 / §6.5).
import type { RuleCase } from '../harness.js';
import { corr, iis, UA_OUTLOOK } from './build.js';
import { benignAutodiscover, nessusProbes } from './proxyshell.js';

const AD = '/autodiscover/autodiscover.json';
const q = (host: string): string =>
  `@${host}/PowerShell?serializationLevel=Full;ExchClientVer=15.2.922.7;clientApplication=ManagementShell;TargetServer=;PSVersion=5.1.17763.592&Email=autodiscover/autodiscover.json%3F@${host}&${corr}`;
const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/105.0.0.0 Safari/537.36';

const hpAd = (query: string, status: string, user: string): Record<string, string> => ({
  Protocol: 'Autodiscover', UrlStem: AD, UrlQuery: query, HttpStatus: status, Method: 'POST', UserAgent: ua, ClientIpAddress: '203.0.113.160', AuthenticatedUser: user, IsAuthenticated: user ? 'true' : 'false', AuthenticationType: user ? 'Basic' : '',
});

export const cases: RuleCase[] = [
  {
    rule: 'proxynotshell/httpproxy_proxynotshell_success.yml',
    log: 'httpproxy/autodiscover',
    tp: [hpAd('?' + q('zdi'), '200', 'karen.brown@contoso.com')],
    tn: [hpAd('?' + q('zdi'), '200', ''), hpAd('?' + q('zdi'), '401', 'karen.brown@contoso.com'), hpAd('?Email=jdoe@contoso.com&Protocol=Rest&RedirectCount=1', '200', 'CONTOSO\\jdoe')],
  },
  {
    rule: 'proxynotshell/iis_proxynotshell_success.yml',
    log: 'iis',
    tp: [
      iis({ m: 'POST', stem: AD, q: q('zdi'), user: 'CONTOSO\\jdoe', ua }),
      iis({ m: 'POST', stem: AD, q: `x=a%40evil.com/powershell?&${corr}`, user: 'jdoe@contoso.com', ua }),
    ],
    tn: [
      ...benignAutodiscover,
      ...nessusProbes,
      iis({ m: 'POST', stem: AD, q: q('zdi'), ua }),
      iis({ m: 'POST', stem: AD, q: q('zdi'), user: 'CONTOSO\\jdoe', ua, status: 403 }),
      iis({ stem: AD, q: `Email=jdoe@contoso.com&Protocol=Rest&RedirectCount=1&${corr}`, user: 'CONTOSO\\jdoe', ua: UA_OUTLOOK }),
    ],
  },
  {
    rule: 'proxynotshell/iis_proxynotshell_attempt.yml',
    log: 'iis',
    tp: [iis({ m: 'POST', stem: AD, q: q('zdi'), user: 'CONTOSO\\jdoe', ua, status: 403 }), iis({ m: 'POST', stem: AD, q: q('evil.tld'), user: 'CONTOSO\\jdoe', ua, status: 500 })],
    tn: [...benignAutodiscover, ...nessusProbes, iis({ m: 'POST', stem: AD, q: q('zdi'), user: 'CONTOSO\\jdoe', ua }), iis({ m: 'POST', stem: AD, q: q('zdi'), ua, status: 401 })],
  },
];

// Scanner and exploit user agents: Volexity's list (ProxyLogon), HelseCERT's rows, tool defaults.
import type { RuleCase } from '../harness.js';
import { corr, iis, UA_CHROME, UA_OUTLOOK, UA_PROBE, UA_WINRM } from './build.js';
import { benignAutodiscover, nessusProbes } from './proxyshell.js';

const benignUas = [
  iis({ stem: '/owa/', user: 'CONTOSO\\jdoe', ip: '198.51.100.7', ua: UA_CHROME }),
  iis({ m: 'POST', stem: '/mapi/emsmdb/', user: 'CONTOSO\\jdoe', ip: '198.51.100.7', ua: UA_OUTLOOK }),
  iis({ stem: '/owa/healthcheck.htm', ip: '::1', ua: UA_PROBE }),
  iis({ m: 'POST', stem: '/powershell', user: 'CONTOSO\\exadmin', ip: '10.0.1.20', ua: UA_WINRM }),
  iis({ stem: '/', q: '', ip: '66.249.66.1', ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }),
];

const AD = '/autodiscover/autodiscover.json';
const probe = (host: string, path = 'owa/'): string => `@${host}/${path}?&Email=autodiscover/autodiscover.json%3F@${host}&${corr}`;
const hpProbe = (host: string, status: string): Record<string, string> => ({ Protocol: 'Autodiscover', UrlStem: AD, UrlQuery: `?@${host}/owa/?&Email=autodiscover/autodiscover.json%3F@${host}`, HttpStatus: status, Method: 'GET', UserAgent: 'curl/7.68.0', ClientIpAddress: '203.0.113.40', AnchorMailbox: `Smtp~autodiscover/autodiscover.json?@${host}` });

export const cases: RuleCase[] = [
  {
    rule: 'scanners/iis_proxyshell_probe.yml',
    log: 'iis',
    tp: [iis({ stem: AD, q: probe('zhx.com'), ip: '203.0.113.40', ua: 'curl/7.68.0', status: 302 }), iis({ stem: AD, q: probe('x.com', 'mapi/nspi/'), ua: UA_CHROME, status: 404 })],
    tn: [
      ...nessusProbes,
      ...benignAutodiscover,
      iis({ stem: AD, q: probe('zhx.com'), ua: 'curl/7.68.0', status: 401 }),
      iis({ stem: AD, q: probe('x.com', 'mapi/nspi/'), ua: UA_CHROME, status: 302 }),
    ],
  },
  {
    rule: 'scanners/httpproxy_proxyshell_probe.yml',
    log: 'httpproxy/autodiscover',
    tp: [hpProbe('zhx.com', '302')],
    tn: [hpProbe('test.com', '302'), hpProbe('zhx.com', '200'), hpProbe('zhx.com', '401')],
  },
  {
    rule: 'scanners/iis_exploit_tool_user_agent.yml',
    log: 'iis',
    tp: [
      iis({ m: 'POST', stem: '/ecp/y.js', ua: 'python-requests/2.25.1' }),
      iis({ m: 'POST', stem: '/ews/exchange.asmx', ua: 'ExchangeServicesClient/0.0.0.0' }),
      iis({ stem: '/owa/', ua: 'Mozilla/5.0 zgrab/0.x' }),
      iis({ stem: '/owa/auth/logon.aspx', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.169 Safari/537.36 Nuclei - Open-source project (github.com/projectdiscovery/nuclei)' }),
      iis({ stem: '/', q: '', ua: 'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)', status: 302 }),
    ],
    tn: benignUas,
  },
  {
    rule: 'scanners/httpproxy_exploit_tool_user_agent.yml',
    log: 'httpproxy/ecp',
    tp: [{ Protocol: 'Ecp', UrlStem: '/ecp/y.js', Method: 'POST', HttpStatus: '200', UserAgent: 'ExchangeServicesClient/0.0.0.0', ClientIpAddress: '203.0.113.7' }],
    tn: [{ Protocol: 'Ecp', UrlStem: '/ecp/', Method: 'GET', HttpStatus: '200', UserAgent: UA_CHROME, ClientIpAddress: '10.0.1.20', AuthenticatedUser: 'CONTOSO\\exadmin' }],
  },
  {
    rule: 'scanners/iis_crawler_spoof_post.yml',
    log: 'iis',
    tp: [
      iis({ m: 'POST', stem: '/owa/auth/Current/themes/resources/lgnbotl.gif', ua: 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)' }),
      iis({ m: 'POST', stem: '/aspnet_client/system_web/xx.aspx', ua: 'Googlebot/2.1 (+http://www.googlebot.com/bot.html)' }),
      iis({ m: 'POST', stem: '/owa/auth/Current/', ua: 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)' }),
    ],
    tn: [...benignUas, iis({ stem: '/owa/auth/logon.aspx', ip: '66.249.66.1', ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' })],
  },
];

// Scanner and exploit user agents: Volexity's list (ProxyLogon), HelseCERT's rows, tool defaults.
import type { RuleCase } from '../harness.js';
import { iis, UA_CHROME, UA_OUTLOOK, UA_PROBE, UA_WINRM } from './build.js';

const benignUas = [
  iis({ stem: '/owa/', user: 'CONTOSO\\jdoe', ip: '198.51.100.7', ua: UA_CHROME }),
  iis({ m: 'POST', stem: '/mapi/emsmdb/', user: 'CONTOSO\\jdoe', ip: '198.51.100.7', ua: UA_OUTLOOK }),
  iis({ stem: '/owa/healthcheck.htm', ip: '::1', ua: UA_PROBE }),
  iis({ m: 'POST', stem: '/powershell', user: 'CONTOSO\\exadmin', ip: '10.0.1.20', ua: UA_WINRM }),
  iis({ stem: '/', q: '', ip: '66.249.66.1', ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }),
];

export const cases: RuleCase[] = [
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

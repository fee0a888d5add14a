// Exploit attempts that failed: the chains above replayed against a server that refuses them (401/404), as
// post-patch scanning looks (ESET on the post-disclosure waves; Huntress on ProxyShell scanning; CrowdStrike
// on OWASSRF). Each request carries the exploit's shape but the server did not comply.
import type { SimEvent } from '../emit.js';
import { randomName } from '../rng.js';
import { attackerIp, marker, req, SRC, type Scenario } from './common.js';

export const failedAttempts: Scenario = (c) => {
  const { w, r } = c;
  const ev: SimEvent[] = [];
  let t = c.at;
  const next = (): number => (t += r.range(60, 900) * 1000);

  // ProxyLogon SSRF refused
  {
    const ip = attackerIp(r);
    const mark = marker('failed-attempts', ['CVE-2021-26855'])('proxylogon-ssrf-refused', 'exploit-attempt', ip, SRC.volexity);
    const tt = next();
    const anchor = `ServerInfo~a]@${w.fqdn}:444/ecp/proxyLogon.ecp#`;
    ev.push({
      kind: 'http', t: tt,
      req: req(tt, r, w, { method: 'POST', stem: '/ecp/z.js', query: '', user: '', ip, ua: 'python-requests/2.25.1', status: 404, proto: 'Ecp', anchor, routingHint: 'X-BEResource-Cookie' }),
      mark: { ...mark, expect: { fe: 'POST /ecp/z.js', proxy: anchor } },
    });
  }
  // ProxyShell SSRF refused (401 on the autodiscover.json '@' request)
  {
    const ip = attackerIp(r);
    const fake = randomName(r, 6, 'abcdefghijklmnopqrstuvwxyz') + '.com';
    const mark = marker('failed-attempts', ['CVE-2021-34473'])('proxyshell-ssrf-refused', 'exploit-attempt', ip, SRC.huntressProxyShell);
    for (const path of ['/mapi/nspi/', '/powershell/?X-Rps-CAT=VgEAVAdXaW5kb3dzQwBBCEtlcmJlcm9z']) {
      const tt = next();
      const query = `@${fake}${path}${path.includes('?') ? '&' : '?'}Email=autodiscover/autodiscover.json%3F@${fake}`;
      ev.push({
        kind: 'http', t: tt,
        req: req(tt, r, w, { method: 'POST', stem: '/autodiscover/autodiscover.json', query, user: '', ip, ua: 'python-requests/2.26.0', status: 401, sub: 0, proto: 'Autodiscover', anchor: `Smtp~autodiscover/autodiscover.json?@${fake}` }),
        mark: { ...mark, expect: { fe: `@${fake}${path.split('?')[0]}`, proxy: `@${fake}` } },
      });
    }
  }
  // OWASSRF without valid credentials
  {
    const ip = attackerIp(r);
    const mark = marker('failed-attempts', ['CVE-2022-41080'])('owassrf-refused', 'exploit-attempt', ip, SRC.crowdstrike);
    const tt = next();
    ev.push({
      kind: 'http', t: tt,
      req: req(tt, r, w, {
        method: 'POST', stem: '/owa/mastermailbox%40outlook.com/powershell', query: '', user: '', ip,
        ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/105.0.5195.54 Safari/537.36',
        status: 401, proto: 'Owa', owa: true,
      }),
      mark: { ...mark, expect: { fe: 'POST /owa/mastermailbox%40outlook.com/powershell', proxy: '/owa/mastermailbox%40outlook.com/powershell' } },
    });
  }
  return { events: ev };
};

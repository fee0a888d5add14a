// OWASSRF: CVE-2022-41080 (SSRF through OWA) + CVE-2022-41082 (PowerShell RCE). CrowdStrike: authenticated
// POST /owa/<email>/powershell (PoC: mastermailbox@outlook.com) relayed to the PowerShell back end, visible in
// IIS front and back end and the Rps_Http log; Rapid7 saw the same request pattern in the wild.
import type { SimEvent } from '../emit.js';
import { guid } from '../rng.js';
import { attackerIp, marker, req, SRC, type Scenario } from './common.js';

const mark = marker('owassrf', ['CVE-2022-41080', 'CVE-2022-41082']);
// the public PoC's browser user agent (CrowdStrike)
const POC_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/105.0.5195.54 Safari/537.36';

export const owassrf: Scenario = (c) => {
  const { w, r } = c;
  const ip = attackerIp(r);
  const victim = w.users[r.range(10, w.users.length - 1)]!;
  const ev: SimEvent[] = [];
  let t = c.at;
  const stem = '/owa/mastermailbox%40outlook.com/powershell';
  for (let i = 0; i < 5; i++) {
    t += r.range(400, 6000);
    ev.push({
      kind: 'http', t,
      req: req(t, r, w, {
        method: 'POST', stem, query: '', user: victim.nt, ip, ua: POC_UA, status: 200, proto: 'Owa', authType: 'Basic', authUser: victim.nt,
        anchor: 'Smtp~mastermailbox@outlook.com', routingHint: 'ExplicitLogon-SMTP-Header', owa: true,
        be: { stem: '/powershell', query: '', user: victim.nt, status: 200 },
      }),
      mark: mark(i === 0 ? 'owa-ssrf-powershell' : 'owa-ssrf-powershell-session', 'exploited', ip, SRC.crowdstrike, { expect: { fe: `POST ${stem}`, proxy: stem, be: 'POST /powershell ' } }),
    });
    ev.push({
      kind: 'csv', t: t + 30, family: 'rps-http',
      rec: {
        StartTime: new Date(t).toISOString(), RequestId: guid(r), UrlHost: w.fqdn, UrlStem: '/powershell', AuthenticationType: 'Kerberos',
        IsAuthenticated: 'true', AuthenticatedUser: victim.nt, ClientIpAddress: ip, ServerHostName: w.host, HttpStatus: '200', SubStatus: '0',
        ClientApplication: '', UserAgent: POC_UA, UrlQuery: '',
        GenericInfo: 'OnEndRequest.End.ContentType=application/soap+xml charset UTF-8;S:ServiceCommonMetadata.HttpMethod=POST;',
      },
      mark: mark('rps-http-powershell', 'exploited', ip, SRC.crowdstrike, { expect: { row: 'Chrome/105.0.5195.54' } }),
    });
  }
  return { events: ev };
};

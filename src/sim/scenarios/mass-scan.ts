// Internet-wide scanning for vulnerable Exchange servers (ESET: scanning started within hours of disclosure;
// Huntress: ProxyShell scans with '@'-addressed autodiscover.json probes). Reconnaissance only: version pages and
// vulnerability checks from many addresses, spread over the window.
import type { SimEvent } from '../emit.js';
import { randomName } from '../rng.js';
import { attackerIp, marker, req, SRC, type Scenario } from './common.js';

const UAS = ['Mozilla/5.0 zgrab/0.x', 'python-requests/2.25.1', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/90.0.4430.93 Safari/537.36', 'curl/7.68.0'];

export const massScan: Scenario = (c) => {
  const { w, r } = c;
  const ev: SimEvent[] = [];
  const span = Math.max(60_000, c.end - c.at);
  const n = 12;
  for (let i = 0; i < n; i++) {
    const ip = attackerIp(r);
    const ua = r.pick(UAS);
    let t = c.at + Math.floor((span * i) / n) + r.int(Math.floor(span / n / 2));
    // version fingerprint: the OWA logon page exposes the build in its resource paths
    ev.push({
      kind: 'http', t,
      req: req(t, r, w, { method: 'GET', stem: '/owa/auth/logon.aspx', query: 'url=https%3a%2f%2f' + w.publicHost + '%2fowa%2f&reason=0', user: '', ip, ua, status: 200, proto: null, owa: true }),
      mark: marker('mass-scan', [])('version-probe', 'recon', ip, SRC.eset, { context: true, expect: { fe: 'GET /owa/auth/logon.aspx' } }),
    });
    t += r.range(1000, 8000);
    // ProxyShell vulnerability check: SSRF to an harmless back-end page, the redirect tells the scanner it worked
    const fake = randomName(r, 3, 'abcdefghijklmnopqrstuvwxyz') + '.com';
    const query = `@${fake}/owa/?&Email=autodiscover/autodiscover.json%3F@${fake}`;
    ev.push({
      kind: 'http', t,
      req: req(t, r, w, { method: 'GET', stem: '/autodiscover/autodiscover.json', query, user: '', ip, ua, status: 302, proto: 'Autodiscover', anchor: `Smtp~autodiscover/autodiscover.json?@${fake}` }),
      mark: marker('mass-scan', ['CVE-2021-34473'])('proxyshell-check', 'recon', ip, SRC.huntressProxyShell, { expect: { fe: `@${fake}/owa/`, proxy: `@${fake}/owa/` } }),
    });
  }
  return { events: ev };
};

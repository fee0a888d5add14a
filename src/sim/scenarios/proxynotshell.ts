// ProxyNotShell: CVE-2022-41040 (authenticated autodiscover.json SSRF to the PowerShell backend) +
// CVE-2022-41082 (RCE through PowerShell remoting). GTSC and Microsoft: requests carry a real (stolen) user,
// the '@' + 'powershell' + 'autodiscover.json' pattern, status 200; web shells then dropped under owa\auth and
// used over HTTP.
import type { SimEvent } from '../emit.js';
import { cmdShell } from '../payloads.js';
import { randomName } from '../rng.js';
import { attackerIp, clampTo, marker, req, SRC, type Scenario } from './common.js';

const mark = marker('proxynotshell', ['CVE-2022-41040', 'CVE-2022-41082']);

export const proxynotshell: Scenario = (c) => {
  const { w, r } = c;
  const ip = attackerIp(r);
  const victim = w.users[r.range(10, w.users.length - 1)]!;
  const ua = 'python-requests/2.28.1';
  const fake = `${randomName(r, 5, 'abcdefghijklmnopqrstuvwxyz')}.com`;
  const ev: SimEvent[] = [];
  let t = c.at;

  // GTSC/Microsoft hunting pattern: 'powershell.*autodiscover\.json.*\@.*200' on the front-end IIS log
  for (let i = 0; i < 6; i++) {
    t += r.range(500, 5000);
    const query = `@${fake}/powershell/?serializationLevel=Full;ExchClientVer=${w.build};clientApplication=ManagementShell;TargetServer=;PSVersion=5.1.17763.1490&Email=autodiscover/autodiscover.json%3F@${fake}`;
    ev.push({
      kind: 'http', t,
      req: req(t, r, w, {
        method: 'POST', stem: '/autodiscover/autodiscover.json', query, user: victim.smtp, ip, ua, status: 200, proto: 'Autodiscover',
        authType: 'Basic', authUser: victim.smtp, anchor: `Smtp~autodiscover/autodiscover.json?@${fake}`, routingHint: 'Smtp',
        be: { stem: '/powershell/', query: 'serializationLevel=Full;clientApplication=ManagementShell', user: victim.nt, status: 200 },
      }),
      mark: mark(i === 0 ? 'ssrf-powershell' : 'ssrf-powershell-session', 'exploited', ip, SRC.gtsc, { expect: { fe: `@${fake}/powershell/`, proxy: `@${fake}/powershell/`, be: 'POST /powershell/' } }),
    });
  }

  // Web shell under owa\auth (GTSC found new .aspx/.ashx files there); ours is a plain cmd shell
  const name = randomName(r, 8) + '.aspx';
  const key = randomName(r, 4, 'abcdefghijklmnopqrstuvwxyz');
  t += r.range(30, 120) * 1000;
  ev.push({
    kind: 'file', t, logical: `Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/${name}`, content: cmdShell(key),
    mark: mark('webshell-owa-auth', 'persistence', ip, SRC.gtsc, { expect: { file: 'ProcessStartInfo("cmd.exe"' } }),
  });
  // the shell takes its command from the query string, so IIS records it (our shell's design)
  const shellIp = attackerIp(r);
  let ts = t + r.range(3, 30) * 60_000;
  for (const cmd of ['whoami', 'ipconfig+/all', 'net+group+"domain+admins"+/domain', 'tasklist']) {
    const tt = clampTo(c, ts);
    if (tt <= t) break;
    ev.push({
      kind: 'http', t: tt,
      req: req(tt, r, w, { method: 'GET', stem: `/owa/auth/${name}`, query: `${key}=${cmd}`, user: '', ip: shellIp, ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/105.0.0.0 Safari/537.36', status: 200, proto: null }),
      mark: mark('webshell-access', 'hands-on', shellIp, SRC.msProxyNotShell, { expect: { fe: `GET /owa/auth/${name} ${key}=${cmd}` } }),
    });
    ts += r.range(1, 20) * 60_000;
  }
  return { events: ev };
};

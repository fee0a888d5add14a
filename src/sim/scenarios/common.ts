// Shared pieces of the attack scenarios.
import type { Stage } from '../../types.js';
import type { SimEvent } from '../emit.js';
import type { Req } from '../request.js';
import { guid, type Rng } from '../rng.js';
import type { Mark, ScenarioName } from '../truth.js';
import type { World } from '../world.js';

export const SRC = {
  helsecert: 'https://github.com/helsecert/2021-march-exchange',
  volexity: 'https://www.volexity.com/blog/2021/03/02/active-exploitation-of-microsoft-exchange-zero-day-vulnerabilities/',
  hafnium: 'https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/',
  bizone: 'https://bi-zone.medium.com/hunting-down-ms-exchange-attacks-part-1-proxylogon-cve-2021-26855-26858-27065-26857-6e885c5f197c',
  cisaChopper: 'https://www.cisa.gov/news-events/analysis-reports/ar21-084a',
  huntressCensus: 'https://gist.github.com/JohnHammond/0b4a45cad4f4ed3324939d72dc599883',
  eset: 'https://www.welivesecurity.com/2021/03/10/exchange-servers-under-siege-10-apt-groups/',
  orange: 'https://blog.orange.tw/2021/08/proxylogon-a-new-attack-surface-on-ms-exchange-part-1.html',
  peterjson: 'https://peterjson.medium.com/reproducing-the-proxyshell-pwn2own-exploit-49743a4ea9a1',
  zdi: 'https://www.zerodayinitiative.com/blog/2021/8/17/from-pwn2own-2021-a-new-attack-surface-on-microsoft-exchange-proxyshell',
  huntressProxyShell: 'https://www.huntress.com/blog/rapid-response-microsoft-exchange-servers-still-vulnerable-to-proxyshell-exploit',
  hvs: 'https://github.com/hvs-consulting/ioc_signatures/tree/main/Proxyshell',
  gtsc: 'https://gteltsc.vn/blog/warning-new-attack-campaign-utilized-a-new-0day-rce-vulnerability-on-microsoft-exchange-server-12715.html',
  msProxyNotShell: 'https://www.microsoft.com/security/blog/2022/09/30/analyzing-attacks-using-the-exchange-vulnerabilities-cve-2022-41040-and-cve-2022-41082/',
  crowdstrike: 'https://www.crowdstrike.com/blog/owassrf-exploit-analysis-and-recommendations/',
  rapid7: 'https://www.rapid7.com/blog/post/2022/12/21/cve-2022-41080-cve-2022-41082-rapid7-observed-exploitation-of-owassrf-in-exchange-for-rce/',
} as const;

export interface ScenarioContext {
  w: World;
  r: Rng;
  /** when the scenario starts (epoch ms) */
  at: number;
  /** end of the collection window: nothing may be planted after it */
  end: number;
}

export type Scenario = (c: ScenarioContext) => ScenarioOutput;

export interface ScenarioOutput {
  events: SimEvent[];
  /** virtual directories the attacker added to applicationHost.config */
  vdirs?: Array<{ t: number; path: string; physicalPath: string; mark: Mark }>;
}

/** An attacker address in the RFC 5737 documentation ranges. */
export function attackerIp(r: Rng): string {
  return `${r.pick(['192.0.2', '198.51.100', '203.0.113'])}.${r.range(2, 254)}`;
}

export function marker(scenario: ScenarioName, cves: string[]) {
  return (step: string, stage: Stage, ip: string, source: string, extra: Partial<Mark> = {}): Mark => ({
    scenario, step, stage, cves, ip, source, ...extra,
  });
}

export function req(t: number, r: Rng, w: World, fields: Omit<Req, 't' | 'id' | 'ms'> & { ms?: number }): Req {
  return { t, id: guid(r), ms: fields.ms ?? r.range(20, 400), host: w.publicHost, ...fields };
}

/** Keeps follow-up activity inside the window. */
export function clampTo(c: ScenarioContext, t: number): number {
  return Math.min(t, c.end - 1000);
}

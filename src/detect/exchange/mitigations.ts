// Mitigations in force, from applicationHost.config, web.config files and registry exports, and for
// which CVE each one is effective. Sources per mitigation in MITIGATION_SOURCES.
import type { Evidence } from '../../types.js';
import { decodedPath, readCapped, type CollectionFile } from './collection-files.js';
import { extendedProtectionFrom, type EpState } from './extended-protection.js';
import { classifyRule, rulesUnder, type RewriteRuleInfo } from './rewrite-rules.js';
import { normKeyPath, parseRegExport, regValue } from './reg-export.js';
import { attr, decodeXmlBytes, kids, parseXml, select, type XmlElement } from './xml-lite.js';

export type MitigationId =
  | 'eomt-proxylogon-rewrite' | 'proxylogon-ecp-apppool' | 'proxylogon-oab-apppool' | 'proxylogon-um-disabled'
  | 'proxynotshell-rewrite' | 'extended-protection' | 'amsi' | 'eems' | 'tokencache-module-removed';

export type Effect = 'blocks' | 'partial' | 'none';

export interface Mitigation {
  id: MitigationId;
  name: string;
  state: 'in-force' | 'partial' | 'invalid' | 'overridden' | 'absent' | 'unknown';
  /** per CVE: does this mitigation stop it in its current state */
  effect: { cve: string; effect: Effect; why: string }[];
  detail: string;
  evidence: Evidence[];
  references: string[];
}

export interface MitigationResult {
  mitigations: Mitigation[];
  rewriteRules: RewriteRuleInfo[];
  extendedProtection: EpState;
  /** which configuration files were read */
  read: string[];
  errors: { path: string; error: string }[];
}

export const MITIGATION_SOURCES: Record<MitigationId, string[]> = {
  'eomt-proxylogon-rewrite': ['https://github.com/microsoft/CSS-Exchange/blob/main/docs/Security/EOMT.md'],
  'proxylogon-ecp-apppool': ['https://msrc-blog.microsoft.com/2021/03/05/microsoft-exchange-server-vulnerabilities-mitigations-march-2021/'],
  'proxylogon-oab-apppool': ['https://msrc-blog.microsoft.com/2021/03/05/microsoft-exchange-server-vulnerabilities-mitigations-march-2021/'],
  'proxylogon-um-disabled': ['https://msrc-blog.microsoft.com/2021/03/05/microsoft-exchange-server-vulnerabilities-mitigations-march-2021/'],
  'proxynotshell-rewrite': ['https://msrc-blog.microsoft.com/2022/09/29/customer-guidance-for-reported-zero-day-vulnerabilities-in-microsoft-exchange-server/', 'https://github.com/microsoft/CSS-Exchange/blob/main/docs/Security/EOMTv2.md', 'https://www.crowdstrike.com/blog/owassrf-exploit-analysis-and-recommendations/'],
  'extended-protection': ['https://github.com/microsoft/CSS-Exchange/blob/main/Shared/IISFunctions/ExtendedProtection/Get-ExtendedProtectionConfigurationResult.ps1', 'https://msrc.microsoft.com/update-guide/vulnerability/CVE-2024-21410'],
  amsi: ['https://techcommunity.microsoft.com/t5/exchange-team-blog/more-about-amsi-integration-with-exchange-server/ba-p/2572371'],
  eems: ['https://github.com/microsoft/CSS-Exchange/blob/main/docs/Diagnostics/HealthChecker/EEMSCheck.md'],
  'tokencache-module-removed': ['https://github.com/microsoft/CSS-Exchange/blob/main/Security/src/CVE-2023-21709/CVE-2023-21709.ps1'],
};

const CONFIG_CAP = 32 << 20;
const DEFENDER_AMSI = '{2781761e-28e0-4109-99fe-b9d127c57afe}';
const PL = ['CVE-2021-26855'];
const PNS = ['CVE-2022-41040', 'CVE-2022-41082'];
const OWASSRF = 'CVE-2022-41080';
const EP_CVES = ['CVE-2024-21410', 'CVE-2022-24516', 'CVE-2022-21979', 'CVE-2022-21980', 'CVE-2022-24477', 'CVE-2022-30134'];

function ev(path: string, line: number, excerpt: string): Evidence {
  return { path, line, excerpt: excerpt.slice(0, 300) };
}

function vdirOf(path: string): string | undefined {
  return /\/frontend\/httpproxy\/([^/]+)\/web\.config$/i.exec(path)?.[1]?.toLowerCase();
}

interface ConfigDoc { path: string; root: XmlElement }

async function loadConfigs(files: CollectionFile[], errors: MitigationResult['errors']): Promise<{ appHost: ConfigDoc[]; webConfigs: ConfigDoc[] }> {
  const appHost: ConfigDoc[] = [];
  const webConfigs: ConfigDoc[] = [];
  for (const f of files) {
    const p = decodedPath(f.path);
    const isAppHost = /(^|\/)applicationhost\.config$/i.test(p);
    const isWeb = /(^|\/)web\.config$/i.test(p);
    if (!isAppHost && !isWeb) continue;
    const r = await readCapped(f.absPath, CONFIG_CAP);
    if ('error' in r) { errors.push({ path: f.path, error: r.error }); continue; }
    if (r.truncated) errors.push({ path: f.path, error: `larger than ${CONFIG_CAP} bytes; only the start was read` });
    const doc = parseXml(decodeXmlBytes(r.buf));
    for (const e of doc.errors.slice(0, 3)) errors.push({ path: f.path, error: e });
    (isAppHost ? appHost : webConfigs).push({ path: f.path, root: doc.root });
  }
  return { appHost, webConfigs };
}

function collectRules(appHost: ConfigDoc[], webConfigs: ConfigDoc[]): { rules: RewriteRuleInfo[]; overrides: { path: string; line: number; vdir: string; clears: boolean; removes: string[] }[] } {
  const rules: RewriteRuleInfo[] = [];
  const overrides: { path: string; line: number; vdir: string; clears: boolean; removes: string[] }[] = [];
  const add = (sysWeb: XmlElement, scope: string, path: string): void => {
    const u = rulesUnder(sysWeb);
    for (const r of u.rules) rules.push(classifyRule(r, scope, path, u.rules.length === 1));
    if (scope.startsWith('vdir:') && (u.clears || u.removes.length > 0)) overrides.push({ path, line: sysWeb.line, vdir: scope.slice(5), clears: u.clears, removes: u.removes });
  };
  for (const d of appHost) {
    for (const sw of select(d.root, 'configuration/system.webServer')) add(sw, 'site', d.path);
    for (const loc of select(d.root, 'configuration/location')) {
      const lp = (attr(loc, 'path') ?? '').replace(/\\/g, '/');
      const parts = lp.split('/');
      const scope = parts.length <= 1 ? 'site' : `vdir:${parts.slice(1).join('/').toLowerCase()}`;
      if (parts[0] && parts[0].toLowerCase() !== 'default web site') continue;
      for (const sw of kids(loc, 'system.webServer')) add(sw, scope, d.path);
    }
  }
  for (const d of webConfigs) {
    const vdir = vdirOf(decodedPath(d.path));
    const scope = vdir ? `vdir:${vdir}` : /inetpub\/wwwroot\/web\.config$/i.test(decodedPath(d.path)) ? 'site' : `other:${d.path}`;
    if (scope.startsWith('other:')) continue;
    for (const sw of select(d.root, 'configuration/system.webServer')) add(sw, scope, d.path);
    for (const loc of select(d.root, 'configuration/location')) for (const sw of kids(loc, 'system.webServer')) add(sw, scope, d.path);
  }
  return { rules, overrides };
}

function strongest(list: RewriteRuleInfo[]): RewriteRuleInfo | undefined {
  const order = { full: 2, partial: 1, none: 0 } as const;
  return [...list].sort((a, b) => order[b.strength] - order[a.strength])[0];
}

function overriddenFor(rule: RewriteRuleInfo, overrides: ReturnType<typeof collectRules>['overrides'], vdirs: string[]): ReturnType<typeof collectRules>['overrides'][number] | undefined {
  if (rule.scope !== 'site') return undefined;
  return overrides.find((o) => vdirs.includes(o.vdir) && (o.clears || o.removes.some((n) => n.toLowerCase() === rule.name.toLowerCase())));
}

function proxyLogonRewrite(rules: RewriteRuleInfo[], overrides: ReturnType<typeof collectRules>['overrides']): Mitigation {
  const be = strongest(rules.filter((r) => r.kind === 'eomt-beresource' && (r.scope === 'site' || r.scope === 'vdir:ecp' || r.scope === 'vdir:owa')));
  const anon = strongest(rules.filter((r) => r.kind === 'eomt-anonresource'));
  const m: Mitigation = { id: 'eomt-proxylogon-rewrite', name: 'EOMT / BackendCookieMitigation URL Rewrite rules (ProxyLogon SSRF)', state: 'absent', effect: [], detail: '', evidence: [], references: MITIGATION_SOURCES['eomt-proxylogon-rewrite'] };
  for (const r of [be, anon]) if (r) m.evidence.push(ev(r.path, r.line, `rule '${r.name}' ${r.input ?? ''} ${r.pattern ?? ''} -> ${r.action ?? ''}`));
  if (!be && !anon) { m.detail = 'no X-BEResource / X-AnonResource-Backend cookie rule found'; m.effect = PL.map((cve) => ({ cve, effect: 'none', why: 'no rule' })); return m; }
  const ov = be ? overriddenFor(be, overrides, ['ecp', 'owa']) : undefined;
  if (ov) {
    m.state = 'overridden';
    m.detail = `site-level rule is cleared/removed in ${ov.path}`;
    m.evidence.push(ev(ov.path, ov.line, ov.clears ? '<rules><clear/>' : `<remove name="${ov.removes.join('", "')}"/>`));
    m.effect = PL.map((cve) => ({ cve, effect: 'none', why: 'rule overridden in a virtual directory' }));
    return m;
  }
  if (be?.strength === 'full') {
    m.state = anon?.strength === 'full' ? 'in-force' : 'partial';
    m.detail = anon?.strength === 'full' ? 'both EOMT rules in force' : 'X-BEResource rule in force; X-AnonResource-Backend rule missing or invalid';
    m.effect = PL.map((cve) => ({ cve, effect: 'blocks', why: 'requests carrying the X-BEResource backend cookie are aborted' }));
  } else {
    m.state = 'invalid';
    m.detail = `rule present but not effective: ${[...(be?.reasons ?? []), ...(anon?.reasons ?? [])].join('; ')}`;
    m.effect = PL.map((cve) => ({ cve, effect: 'none', why: m.detail }));
  }
  return m;
}

function proxyNotShellRewrite(rules: RewriteRuleInfo[], overrides: ReturnType<typeof collectRules>['overrides']): Mitigation {
  const cands = rules.filter((r) => r.kind === 'proxynotshell' && (r.scope === 'site' || r.scope === 'vdir:autodiscover'));
  const best = strongest(cands);
  const m: Mitigation = { id: 'proxynotshell-rewrite', name: 'ProxyNotShell URL Rewrite rule (MSRC guidance / EOMTv2 / EEMS M1)', state: 'absent', effect: [], detail: '', evidence: [], references: MITIGATION_SOURCES['proxynotshell-rewrite'] };
  const owassrf = { cve: OWASSRF, effect: 'none' as Effect, why: 'OWASSRF reaches PowerShell through /owa/<mailbox>/powershell; the Autodiscover rule never sees it' };
  if (!best) {
    m.detail = 'no Autodiscover/PowerShell blocking rule found';
    m.effect = [...PNS.map((cve) => ({ cve, effect: 'none' as Effect, why: 'no rule' })), owassrf];
    return m;
  }
  m.evidence.push(ev(best.path, best.line, `rule '${best.name}' ${best.input ?? ''} ${best.pattern ?? ''} -> ${best.action ?? ''}`));
  const ov = overriddenFor(best, overrides, ['autodiscover']) ?? (best.scope === 'site' ? overrides.find((o) => o.clears) : undefined);
  if (ov) {
    m.state = 'overridden';
    m.detail = `rule '${best.name}' is cleared/removed in ${ov.path} (HealthChecker counts this as defeated)`;
    m.evidence.push(ev(ov.path, ov.line, ov.clears ? '<rules><clear/>' : `<remove name="${ov.removes.join('", "')}"/>`));
    m.effect = [...PNS.map((cve) => ({ cve, effect: 'none' as Effect, why: 'rule overridden' })), owassrf];
    return m;
  }
  m.state = best.strength === 'full' ? 'in-force' : best.strength === 'partial' ? 'partial' : 'invalid';
  m.detail = `${best.variant ?? 'rule'}${best.reasons.length ? ': ' + best.reasons.join('; ') : ''}`;
  const eff: Effect = best.strength === 'full' ? 'blocks' : best.strength;
  m.effect = [
    { cve: 'CVE-2022-41040', effect: eff, why: best.strength === 'full' ? 'Autodiscover requests naming PowerShell are aborted' : m.detail },
    { cve: 'CVE-2022-41082', effect: eff === 'none' ? 'none' : 'partial', why: 'blocks only the Autodiscover route to PowerShell; OWASSRF still reaches it' },
    owassrf,
  ];
  return m;
}

function appPool(appHost: ConfigDoc[], pool: string, id: MitigationId, cve: string): Mitigation {
  const m: Mitigation = { id, name: `${pool} stopped from starting (March 2021 interim mitigation)`, state: 'unknown', effect: [{ cve, effect: 'none', why: 'application pool starts normally' }], detail: 'applicationHost.config not collected', evidence: [], references: MITIGATION_SOURCES[id] };
  for (const d of appHost) {
    const el = select(d.root, 'configuration/system.applicationHost/applicationPools/add').find((a) => (attr(a, 'name') ?? '').toLowerCase() === pool.toLowerCase());
    if (!el) { m.state = 'absent'; m.detail = `${pool} not defined`; continue; }
    const autoStart = (attr(el, 'autoStart') ?? 'true').toLowerCase();
    const startMode = (attr(el, 'startMode') ?? 'OnDemand').toLowerCase();
    m.evidence = [ev(d.path, el.line, `<add name="${pool}" autoStart="${autoStart}" startMode="${startMode}">`)];
    if (autoStart === 'false') {
      m.state = 'in-force';
      m.detail = `${pool} has autoStart=false (stopped pool: the vulnerable endpoint is unavailable while it stays stopped)`;
      m.effect = [{ cve, effect: 'blocks', why: 'application pool does not start' }];
    } else {
      m.state = 'absent';
      m.detail = `${pool} starts automatically`;
    }
  }
  return m;
}

interface RegFacts { umStart?: { v: number; e: Evidence }; eemsStart?: { v: number; e: Evidence }; amsi: Evidence[]; seen: boolean }

async function registryFacts(files: CollectionFile[], errors: MitigationResult['errors']): Promise<RegFacts> {
  const out: RegFacts = { amsi: [], seen: false };
  for (const f of files) {
    if (!/\.reg$/i.test(f.path)) continue;
    const r = await readCapped(f.absPath, 64 << 20);
    if ('error' in r) { errors.push({ path: f.path, error: r.error }); continue; }
    out.seen = true;
    for (const k of parseRegExport(r.buf).keys) {
      const p = normKeyPath(k.path);
      const start = regValue(k, 'Start');
      if (/\\services\\msexchangeum$/.test(p) && typeof start === 'number') out.umStart = { v: start, e: ev(f.path, k.line, `[${k.path}] Start=${start}`) };
      if (/\\services\\msexchangemitigation$/.test(p) && typeof start === 'number') out.eemsStart = { v: start, e: ev(f.path, k.line, `[${k.path}] Start=${start}`) };
      if (/\\software\\microsoft\\amsi\\providers\\\{[0-9a-f-]{36}\}$/.test(p)) out.amsi.push(ev(f.path, k.line, `[${k.path}]${p.endsWith(DEFENDER_AMSI) ? ' (Microsoft Defender)' : ''}`));
    }
  }
  return out;
}

function eemsLogs(files: CollectionFile[]): Evidence[] {
  return files.filter((f) => /\/logging\/mitigationservice\//i.test(decodedPath(f.path))).slice(0, 5).map((f) => ({ path: f.path, excerpt: 'EEMS log file present' }));
}

export async function detectMitigations(files: CollectionFile[]): Promise<MitigationResult> {
  const errors: MitigationResult['errors'] = [];
  const { appHost, webConfigs } = await loadConfigs(files, errors);
  const { rules, overrides } = collectRules(appHost, webConfigs);
  const reg = await registryFacts(files, errors);
  const ep = appHost.length > 0 ? appHost.map((d) => extendedProtectionFrom(d.root)).find((s) => s.state !== 'unknown') ?? { state: 'unknown' as const, vdirs: [], wrong: [] } : { state: 'unknown' as const, vdirs: [], wrong: [] };
  const mitigations: Mitigation[] = [];
  if (appHost.length + webConfigs.length > 0) {
    mitigations.push(proxyLogonRewrite(rules, overrides), proxyNotShellRewrite(rules, overrides));
  }
  if (appHost.length > 0) {
    mitigations.push(appPool(appHost, 'MSExchangeECPAppPool', 'proxylogon-ecp-apppool', 'CVE-2021-27065'));
    mitigations.push(appPool(appHost, 'MSExchangeOABAppPool', 'proxylogon-oab-apppool', 'CVE-2021-26858'));
    const epM: Mitigation = {
      id: 'extended-protection', name: 'Extended Protection on the Exchange virtual directories',
      state: ep.state === 'configured' ? 'in-force' : ep.state === 'partial' ? 'partial' : ep.state === 'not-configured' ? 'absent' : 'unknown',
      effect: EP_CVES.map((cve) => ({ cve, effect: ep.state === 'configured' ? 'blocks' as Effect : 'none' as Effect, why: ep.state === 'configured' ? 'channel binding required where HealthChecker expects it' : `EP ${ep.state}${ep.wrong.length ? ': ' + ep.wrong.slice(0, 6).join(', ') : ''}` })),
      detail: ep.state === 'unknown' ? 'no Exchange virtual directory locations in applicationHost.config' : `${ep.vdirs.length} vdirs read, ${ep.wrong.length} differ from the expected value`,
      evidence: ep.vdirs.filter((v) => !v.ok).slice(0, 10).map((v) => ev(appHost[0]!.path, v.line, `${v.location}: tokenChecking=${v.tokenChecking} (expected ${v.expected})`)),
      references: MITIGATION_SOURCES['extended-protection'],
    };
    mitigations.push(epM);
    const tcm = appHost.flatMap((d) => select(d.root, 'configuration/system.webServer/globalModules/add').filter((a) => (attr(a, 'name') ?? '').toLowerCase() === 'tokencachemodule').map((a) => ({ d, a })));
    mitigations.push({
      id: 'tokencache-module-removed', name: 'IIS TokenCacheModule removed', state: tcm.length === 0 ? 'in-force' : 'absent',
      effect: ['CVE-2023-21709', 'CVE-2023-36434'].map((cve) => ({ cve, effect: tcm.length === 0 ? 'blocks' as Effect : 'none' as Effect, why: tcm.length === 0 ? 'module not loaded' : 'module loaded (fixed by the Windows update or removing the module)' })),
      detail: tcm.length === 0 ? 'TokenCacheModule is not in globalModules' : 'TokenCacheModule is loaded',
      evidence: tcm.map(({ d, a }) => ev(d.path, a.line, '<add name="TokenCacheModule" ...>')),
      references: MITIGATION_SOURCES['tokencache-module-removed'],
    });
  }
  if (reg.seen) {
    mitigations.push({
      id: 'proxylogon-um-disabled', name: 'Unified Messaging service disabled (March 2021 interim mitigation)',
      state: reg.umStart === undefined ? 'unknown' : reg.umStart.v === 4 ? 'in-force' : 'absent',
      effect: [{ cve: 'CVE-2021-26857', effect: reg.umStart?.v === 4 ? 'blocks' : 'none', why: reg.umStart === undefined ? 'MSExchangeUM service key not in the export (no UM role on 2019, or not exported)' : reg.umStart.v === 4 ? 'service disabled' : `service Start=${reg.umStart.v}` }],
      detail: reg.umStart === undefined ? 'MSExchangeUM not found in registry exports' : `MSExchangeUM Start=${reg.umStart.v} (4 = disabled)`,
      evidence: reg.umStart ? [reg.umStart.e] : [], references: MITIGATION_SOURCES['proxylogon-um-disabled'],
    });
    mitigations.push({
      id: 'amsi', name: 'AMSI provider registered (Exchange 2016 CU21+/2019 CU10+ hand request bodies to it)',
      state: reg.amsi.length > 0 ? 'in-force' : 'absent', effect: [],
      detail: reg.amsi.length > 0 ? `${reg.amsi.length} AMSI provider(s) registered; helps detect exploitation, fixes no CVE. Exchange-side AMSI can still be switched off by a SettingOverride in AD, which a host collection cannot show.` : 'no AMSI provider key in the registry exports',
      evidence: reg.amsi.slice(0, 5), references: MITIGATION_SOURCES.amsi,
    });
  }
  const logs = eemsLogs(files);
  if (reg.eemsStart || logs.length > 0) {
    const disabled = reg.eemsStart?.v === 4;
    mitigations.push({
      id: 'eems', name: 'Exchange Emergency Mitigation Service (EEMS, applies M1/M1.1 for ProxyNotShell)',
      state: disabled ? 'absent' : reg.eemsStart || logs.length ? 'in-force' : 'unknown', effect: [],
      detail: `${disabled ? 'service disabled (Start=4): automatic mitigations were not applied' : 'service present'}; applied mitigation ids live in AD (MitigationsApplied) and rules it wrote are judged as rewrite rules above`,
      evidence: [...(reg.eemsStart ? [reg.eemsStart.e] : []), ...logs], references: MITIGATION_SOURCES.eems,
    });
  }
  return { mitigations, rewriteRules: rules, extendedProtection: ep, read: [...appHost, ...webConfigs].map((d) => d.path), errors };
}

/** Best effect any mitigation has on a CVE. */
export function mitigationEffect(result: MitigationResult, cve: string): { effect: Effect; by?: MitigationId; why?: string } {
  let best: { effect: Effect; by?: MitigationId; why?: string } = { effect: 'none' };
  const rank = { none: 0, partial: 1, blocks: 2 } as const;
  for (const m of result.mitigations) for (const e of m.effect) if (e.cve === cve && rank[e.effect] > rank[best.effect]) best = { effect: e.effect, by: m.id, why: e.why };
  return best;
}

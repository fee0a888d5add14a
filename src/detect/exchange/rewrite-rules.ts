// Classify IIS URL Rewrite rules that mitigate Exchange CVEs: the EOMT ProxyLogon cookie rules and the
// ProxyNotShell Autodiscover rule in every published variant, with HealthChecker's validity test.
// Sources: microsoft/CSS-Exchange Security/src/EOMT.ps1, Security/src/EOMTv2.ps1 (git history of the
// pattern), Diagnostics/HealthChecker/Analyzer/Security/Invoke-AnalyzerSecurityCve-2022-41040.NotPublished.ps1,
// MSRC guidance 2022-09-29.
import { attr, kids, select, type XmlElement } from './xml-lite.js';

export type RuleKind = 'eomt-anonresource' | 'eomt-beresource' | 'proxynotshell' | 'other';
export type RuleStrength = 'full' | 'partial' | 'none';

export interface RewriteRuleInfo {
  name: string;
  kind: RuleKind;
  /** where the rule sits: 'site' (wwwroot web.config, applicationHost location for the site, global rules) or 'vdir:<name>' */
  scope: string;
  input?: string;
  pattern?: string;
  action?: string;
  enabled: boolean;
  stopProcessing: boolean;
  /** which published variant this is (ProxyNotShell rules) */
  variant?: string;
  strength: RuleStrength;
  reasons: string[];
  path: string;
  line: number;
}

const PNS_FINAL = '(?=.*autodiscover)(?=.*powershell)';
const RE_AUTODISCOVER_PS = /autodiscover[\s\S]*powershell|powershell[\s\S]*autodiscover/i;

function conditionsOf(rule: XmlElement): XmlElement[] {
  return select(rule, 'conditions/add');
}

function baseChecks(rule: XmlElement, info: { action?: string }, reasons: string[], onlyRule: boolean): boolean {
  let ok = true;
  if ((attr(rule, 'enabled') ?? 'true').toLowerCase() === 'false') { reasons.push('rule is disabled'); ok = false; }
  const action = info.action?.toLowerCase();
  if (action !== 'abortrequest' && action !== 'customresponse') { reasons.push(`action '${info.action ?? 'none'}' does not block`); ok = false; }
  if ((attr(rule, 'patternSyntax') ?? '').toLowerCase() === 'wildcard') { reasons.push('patternSyntax Wildcard: the regular expression is not evaluated as one'); ok = false; }
  const matchUrl = attr(kids(rule, 'match')[0] ?? rule, 'url');
  if (matchUrl !== undefined && matchUrl !== '.*') { reasons.push(`match url '${matchUrl}' is narrower than '.*'`); ok = false; }
  const stop = (attr(rule, 'stopProcessing') ?? 'false').toLowerCase() === 'true';
  if (!stop && !onlyRule && info.action?.toLowerCase() !== 'abortrequest') reasons.push('stopProcessing is not true');
  return ok;
}

/** Classify one <rule> element. */
export function classifyRule(rule: XmlElement, scope: string, path: string, onlyRule: boolean): RewriteRuleInfo {
  const conds = conditionsOf(rule);
  const action = attr(kids(rule, 'action')[0] ?? rule, 'type');
  const name = attr(rule, 'name') ?? '';
  const reasons: string[] = [];
  const info: RewriteRuleInfo = {
    name, kind: 'other', scope,
    enabled: (attr(rule, 'enabled') ?? 'true').toLowerCase() !== 'false',
    stopProcessing: (attr(rule, 'stopProcessing') ?? 'false').toLowerCase() === 'true',
    strength: 'none', reasons, path, line: rule.line,
  };
  if (action !== undefined) info.action = action;
  const cookie = conds.find((c) => /HTTP_COOKIE/i.test(attr(c, 'input') ?? '') && /X-(AnonResource-Backend|BEResource)/i.test(attr(c, 'pattern') ?? ''));
  const pns = conds.find((c) => RE_AUTODISCOVER_PS.test(attr(c, 'pattern') ?? ''));
  const matchPattern = attr(kids(rule, 'match')[0] ?? rule, 'url') ?? '';
  if (cookie) {
    const pat = attr(cookie, 'pattern')!;
    info.kind = /AnonResource-Backend/i.test(pat) ? 'eomt-anonresource' : 'eomt-beresource';
    info.input = attr(cookie, 'input')!;
    info.pattern = pat;
    const ok = baseChecks(rule, info, reasons, onlyRule);
    if ((attr(cookie, 'negate') ?? '').toLowerCase() === 'true') { reasons.push('condition is negated'); }
    info.strength = ok && (attr(cookie, 'negate') ?? '').toLowerCase() !== 'true' ? 'full' : 'none';
    return info;
  }
  if (pns || RE_AUTODISCOVER_PS.test(matchPattern)) {
    info.kind = 'proxynotshell';
    const input = pns ? attr(pns, 'input') ?? '' : '{URL}';
    const pattern = pns ? attr(pns, 'pattern') ?? '' : matchPattern;
    info.input = input;
    info.pattern = pattern;
    const ok = baseChecks(rule, info, reasons, onlyRule);
    const decoded = /^\{UrlDecode:\{REQUEST_URI\}\}$/i.test(input);
    const requestUri = /^\{REQUEST_URI\}$/i.test(input);
    if (pns && (attr(pns, 'negate') ?? '').toLowerCase() === 'true') { reasons.push('condition is negated'); info.strength = 'none'; return info; }
    if (pattern === PNS_FINAL && decoded) {
      info.variant = 'eomtv2-2022-10-07 (final, HealthChecker-valid)';
      info.strength = ok ? 'full' : 'none';
    } else if (!decoded && !requestUri) {
      info.variant = 'input without the query string';
      reasons.push(`input '${input}' does not include the query string, where the exploit puts 'powershell'`);
      info.strength = 'none';
    } else {
      if (/@/.test(pattern)) info.variant = 'msrc-2022-09-29 (requires @; bypassed by encoding)';
      else if (/autodiscover\\?\.json/i.test(pattern)) info.variant = decoded ? 'eomtv2-2022-10-05 (UrlDecode, autodiscover.json before powershell)' : 'eomtv2-2022-10-03 (autodiscover.json before powershell)';
      else info.variant = 'unrecognised variant';
      if (!decoded) reasons.push('input is not URL-decoded: percent-encoded requests slip past');
      if (pattern !== PNS_FINAL) reasons.push(`pattern is not the corrected '${PNS_FINAL}'`);
      info.strength = ok ? 'partial' : 'none';
    }
    return info;
  }
  return info;
}

/** Every rule under system.webServer/rewrite/{rules,globalRules} of a config element. */
export function rulesUnder(sysWeb: XmlElement): { rules: XmlElement[]; clears: boolean; removes: string[] } {
  const rules: XmlElement[] = [];
  let clears = false;
  const removes: string[] = [];
  for (const container of [...select(sysWeb, 'rewrite/rules'), ...select(sysWeb, 'rewrite/globalRules')]) {
    if (kids(container, 'clear').length > 0) clears = true;
    for (const r of kids(container, 'remove')) removes.push(attr(r, 'name') ?? '');
    rules.push(...kids(container, 'rule'));
  }
  return { rules, clears, removes };
}

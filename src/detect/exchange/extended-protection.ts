// Extended Protection per virtual directory, read offline from applicationHost.config the way
// HealthChecker does (microsoft/CSS-Exchange Shared/IISFunctions/ExtendedProtection/
// Get-ExtendedProtectionConfigurationResult.ps1): <location path="<site>/<vdir>"> ->
// system.webServer/security/authentication/windowsAuthentication/extendedProtection/@tokenChecking.
import { attr, select, type XmlElement } from './xml-lite.js';

export type TokenChecking = 'None' | 'Allow' | 'Require';
export const FRONT_END = 'Default Web Site';
export const BACK_END = 'Exchange Back End';

/** Expected tokenChecking per site/vdir (HealthChecker's table; EWS may legitimately be None when excluded). */
export const EXPECTED_EP: Record<string, TokenChecking> = {
  [`${FRONT_END}/API`]: 'Require', [`${BACK_END}/API`]: 'Require',
  [`${FRONT_END}/Autodiscover`]: 'None', [`${BACK_END}/Autodiscover`]: 'None',
  [`${FRONT_END}/ECP`]: 'Require', [`${BACK_END}/ECP`]: 'Require',
  [`${FRONT_END}/EWS`]: 'Allow', [`${BACK_END}/EWS`]: 'Require',
  [`${FRONT_END}/Microsoft-Server-ActiveSync`]: 'Allow', [`${BACK_END}/Microsoft-Server-ActiveSync`]: 'Require',
  [`${BACK_END}/Microsoft-Server-ActiveSync/Proxy`]: 'Require',
  [`${FRONT_END}/OAB`]: 'Allow', [`${BACK_END}/OAB`]: 'Require',
  [`${FRONT_END}/Powershell`]: 'None', [`${BACK_END}/Powershell`]: 'Require',
  [`${FRONT_END}/OWA`]: 'Require', [`${BACK_END}/OWA`]: 'Require',
  [`${FRONT_END}/RPC`]: 'Require', [`${BACK_END}/RPC`]: 'Require',
  [`${FRONT_END}/MAPI`]: 'Require',
  [`${BACK_END}/PushNotifications`]: 'Require', [`${BACK_END}/RPCWithCert`]: 'Require',
  [`${BACK_END}/MAPI/emsmdb`]: 'Require', [`${BACK_END}/MAPI/nspi`]: 'Require',
};

export interface EpVdir {
  location: string;
  tokenChecking: TokenChecking;
  sslFlags?: string;
  expected: TokenChecking;
  ok: boolean;
  line: number;
}

export interface EpState {
  /** 'configured': every Exchange vdir found has the expected value and at least one requires EP */
  state: 'configured' | 'partial' | 'not-configured' | 'unknown';
  vdirs: EpVdir[];
  /** vdirs whose value differs from the expected one */
  wrong: string[];
}

function norm(tc: string | undefined): TokenChecking {
  const t = (tc ?? 'None').toLowerCase();
  return t === 'require' ? 'Require' : t === 'allow' ? 'Allow' : 'None';
}

export function extendedProtectionFrom(configRoot: XmlElement): EpState {
  const expectedLower = new Map(Object.entries(EXPECTED_EP).map(([k, v]) => [k.toLowerCase(), [k, v] as const]));
  const vdirs: EpVdir[] = [];
  for (const loc of select(configRoot, 'configuration/location')) {
    const p = (attr(loc, 'path') ?? '').replace(/\\/g, '/');
    const exp = expectedLower.get(p.toLowerCase());
    if (!exp) continue;
    const ep = select(loc, 'system.webServer/security/authentication/windowsAuthentication/extendedProtection')[0];
    const access = select(loc, 'system.webServer/security/access')[0];
    const tc = norm(ep ? attr(ep, 'tokenChecking') : undefined);
    const v: EpVdir = { location: exp[0], tokenChecking: tc, expected: exp[1], ok: tc === exp[1], line: loc.line };
    const ssl = access ? attr(access, 'sslFlags') : undefined;
    if (ssl !== undefined) v.sslFlags = ssl;
    vdirs.push(v);
  }
  if (vdirs.length === 0) return { state: 'unknown', vdirs, wrong: [] };
  const wrong = vdirs.filter((v) => !v.ok).map((v) => v.location);
  const anyOn = vdirs.some((v) => v.tokenChecking !== 'None');
  const state = wrong.length === 0 && anyOn ? 'configured' : anyOn ? 'partial' : 'not-configured';
  return { state, vdirs, wrong };
}

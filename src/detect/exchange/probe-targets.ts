// Targets for `exhunt probe`: host names, host:port, URLs, IPv4/IPv6 addresses and IPv4 CIDR ranges.
// Ranges are only expanded with an explicit statement of ownership, and are bounded.
import net from 'node:net';

export interface ProbeTarget {
  /** what the user wrote (or the address inside a range) */
  input: string;
  scheme: 'https' | 'http';
  host: string;
  port: number;
}

export interface TargetSpec {
  /** a single target, or an IPv4 range expanded lazily */
  single?: ProbeTarget;
  range?: { base: number; count: number; scheme: 'https' | 'http'; port: number; input: string };
}

export interface TargetOptions {
  /** ranges are refused without it (issue: --i-own-these) */
  iOwnThese: boolean;
  /** allow ranges larger than /16 */
  force: boolean;
}

export const MAX_PREFIX_WITHOUT_FORCE = 16;
const MIN_PREFIX_WITH_FORCE = 8;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\.?$/;

function ipv4ToInt(s: string): number {
  return s.split('.').reduce((a, x) => a * 256 + Number(x), 0);
}
export function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parse one target string; errors are messages for the user. */
export function parseTarget(raw: string, o: TargetOptions): TargetSpec | { error: string } {
  const s = raw.trim();
  if (!s || s.length > 300) return { error: `'${s.slice(0, 40)}': empty or too long` };
  let scheme: 'https' | 'http' = 'https';
  let rest = s;
  const m = /^(https?):\/\//i.exec(s);
  if (m) { scheme = m[1]!.toLowerCase() as 'https' | 'http'; rest = s.slice(m[0].length); }
  const cidr = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})(?::(\d{1,5}))?$/.exec(rest);
  if (!cidr) rest = rest.replace(/[/?#].*$/, '');
  if (cidr) {
    if (!net.isIPv4(cidr[1]!)) return { error: `'${s}': not an IPv4 network` };
    const prefix = Number(cidr[2]);
    if (prefix > 32) return { error: `'${s}': prefix longer than /32` };
    if (!o.iOwnThese) return { error: `'${s}': address ranges are probed only with --i-own-these (probe only servers you are responsible for)` };
    if (prefix < MAX_PREFIX_WITHOUT_FORCE && !o.force) return { error: `'${s}': larger than /${MAX_PREFIX_WITHOUT_FORCE} (${2 ** (32 - prefix)} addresses); add --force if you really own all of them` };
    if (prefix < MIN_PREFIX_WITH_FORCE) return { error: `'${s}': larger than /${MIN_PREFIX_WITH_FORCE} is refused` };
    const count = 2 ** (32 - prefix);
    const base = (ipv4ToInt(cidr[1]!) & (prefix === 0 ? 0 : (~0 << (32 - prefix)))) >>> 0;
    const port = cidr[3] ? Number(cidr[3]) : scheme === 'https' ? 443 : 80;
    if (port < 1 || port > 65535) return { error: `'${s}': bad port` };
    return { range: { base, count, scheme, port, input: s } };
  }
  let host: string;
  let portStr: string | undefined;
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(rest);
  if (v6) { host = v6[1]!; portStr = v6[2]; if (!net.isIPv6(host)) return { error: `'${s}': bad IPv6 address` }; }
  else {
    const hp = /^([^:]+)(?::(\d{1,5}))?$/.exec(rest);
    if (!hp) return { error: `'${s}': not a host, host:port, URL or CIDR range` };
    host = hp[1]!;
    portStr = hp[2];
    if (!net.isIPv4(host) && !HOSTNAME.test(host)) return { error: `'${s}': not a valid host name` };
  }
  const port = portStr ? Number(portStr) : scheme === 'https' ? 443 : 80;
  if (port < 1 || port > 65535) return { error: `'${s}': bad port` };
  return { single: { input: s, scheme, host: host.toLowerCase(), port } };
}

/** Every target of the specs, ranges expanded lazily (network and broadcast addresses skipped for /30 and larger). */
export function* expandTargets(specs: TargetSpec[]): Generator<ProbeTarget> {
  for (const sp of specs) {
    if (sp.single) { yield sp.single; continue; }
    const r = sp.range!;
    const skipEnds = r.count >= 4;
    for (let i = skipEnds ? 1 : 0; i < (skipEnds ? r.count - 1 : r.count); i++) {
      const ip = intToIpv4((r.base + i) >>> 0);
      yield { input: ip, scheme: r.scheme, host: ip, port: r.port };
    }
  }
}

export function countTargets(specs: TargetSpec[]): number {
  return specs.reduce((n, s) => n + (s.single ? 1 : s.range!.count >= 4 ? s.range!.count - 2 : s.range!.count), 0);
}

/** Lines of a targets file: one target per line, '#' comments, blank lines ignored. */
export function targetLines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.replace(/#.*$/, '').trim()).filter((l) => l.length > 0);
}

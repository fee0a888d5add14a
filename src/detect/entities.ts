// The who/what of a log record: client addresses, accounts, mailboxes and files named in it.
// Field names differ per log family, so each entity is looked up under every name that carries it.
import type { Entities, LogRecord } from '../types.js';

const IP_FIELDS = ['c-ip', 'ClientIpAddress', 'ClientIPAddress', 'ClientIp', 'client-ip', 'OriginatingClientIp', 'IpAddress', 'SourceIp'];
const USER_FIELDS = ['cs-username', 'AuthenticatedUser', 'ImpersonatedUser', 'SubjectUserName', 'TargetUserName', 'User'];
const MAILBOX_RE = /[A-Za-z0-9._%+-]{1,64}(?:@|%40)[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;
const PATH_RE = /(?:[A-Za-z]:\\|\\\\)[^'"<>|*?\r\n]{1,260}?\.(?:aspx|ashx|asmx|asp|dll|exe|dmp|zip|7z|rar|ps1|bat|pst|config|js)\b/gi;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Strip a port or IPv6 brackets from an address as logs write it ("1.2.3.4:5678", "[::1]:443"). */
export function cleanIp(v: string): string | undefined {
  let s = v.trim();
  if (!s || s === '-') return undefined;
  const first = s.split(/[,;]/)[0]!.trim();
  s = first;
  const br = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (br) return br[1];
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(s);
  if (v4port) return v4port[1];
  if (IPV4.test(s) || /^[0-9a-fA-F:.]+$/.test(s)) return s;
  return undefined;
}

/** Loopback, private, link-local and documentation-free internal ranges: not an attacker's public address. */
export function isInternalIp(raw: string): boolean {
  const ip = raw.trim().toLowerCase().replace(/^::ffff:(?=\d)/, '');
  if (ip === '' || ip === '-') return true;
  if (IPV4.test(ip)) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || a === 0;
  }
  return ip === '::1' || ip === '::' || ip.startsWith('fe80:') || /^f[cd][0-9a-f]{0,2}:/.test(ip);
}

function push(list: string[], v: string | undefined): void {
  if (v && !list.includes(v) && list.length < 20) list.push(v);
}

export function extractEntities(rec: LogRecord): Entities {
  const f = rec.fields;
  const e: Entities = { ips: [], users: [], mailboxes: [], files: [] };
  for (const k of IP_FIELDS) { const v = f[k]; if (v) push(e.ips, cleanIp(v)); }
  for (const k of USER_FIELDS) { const v = f[k]; if (v && v !== '-') push(e.users, v); }
  const anchor = f['AnchorMailbox'];
  if (anchor?.toUpperCase().startsWith('SMTP:')) push(e.mailboxes, anchor.slice(5).toLowerCase());
  // Mailboxes named in URLs (OWASSRF /owa/<user>@<domain>/powershell, ProxyShell Email=...) and commands.
  for (const k of ['cs-uri-stem', 'cs-uri-query', 'UrlStem', 'UrlQuery', 'Parameters', 'Data', 'EventData']) {
    const v = f[k];
    if (!v) continue;
    for (const m of v.matchAll(MAILBOX_RE)) {
      const mb = m[0].replace(/%40/i, '@').toLowerCase();
      if (!mb.startsWith('autodiscover')) push(e.mailboxes, mb);
    }
  }
  // Files written or named: OAB download targets, export paths, shells.
  const text = [f['Message'], f['Parameters'], f['Data'], f['EventData'], f['CommandLine'], f['TargetFilename']].filter(Boolean).join('\n');
  for (const m of text.matchAll(PATH_RE)) push(e.files, m[0]);
  return e;
}

// The synthetic organisation: one Exchange server, its users, their devices and addresses.
// Benign clients come from RFC1918 (internal) and 100.64.0.0/10 (RFC 6598, "external" home/mobile users);
// attackers only ever use the documentation ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (RFC 5737).
import { guid, hex8, type Rng } from './rng.js';

export interface User {
  sam: string;
  smtp: string;
  /** CONTOSO\sam */
  nt: string;
  sid: string;
  mailboxGuid: string;
  internalIp: string;
  externalIp: string;
  deviceId: string;
  deviceType: string;
  mobileUa: string;
  outlookUa: string;
  browserUa: string;
  admin: boolean;
  /** AnchorMailbox values, precomputed (bulk path) */
  anchorSmtp: string;
  anchorSid: string;
  anchorGuid: string;
  mapiQuery: string;
}

export interface World {
  host: string;
  fqdn: string;
  netbios: string;
  smtpDomain: string;
  /** the name clients use from outside */
  publicHost: string;
  serverIp: string;
  /** e.g. '15.1.2176.2' */
  build: string;
  /** '15.01.2176.002' (Exchange log #Version / TargetServerVersion style) */
  buildLong: string;
  buildParts: [string, string, string, string];
  /** 'Major,Minor,Build,Revision' as HttpProxy rows write them */
  buildCsv: string;
  domainSid: string;
  users: User[];
  admins: User[];
  healthMailboxes: string[];
  oabGuid: string;
  oabVdirGuid: string;
  /** internal vulnerability scanner */
  scannerIp: string;
  /** internal monitoring host */
  monitorIp: string;
}

const FIRST = ['james', 'mary', 'john', 'patricia', 'robert', 'jennifer', 'michael', 'linda', 'william', 'elizabeth',
  'david', 'barbara', 'richard', 'susan', 'joseph', 'jessica', 'thomas', 'sarah', 'charles', 'karen', 'ingrid', 'lars',
  'anna', 'ole', 'kari', 'nils', 'emma', 'noah', 'sofia', 'liam', 'mia', 'lucas', 'hanna', 'jonas', 'eva', 'petter'];
const LAST = ['smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'wilson', 'anderson',
  'taylor', 'thomas', 'moore', 'martin', 'jackson', 'white', 'harris', 'clark', 'lewis', 'hansen', 'johansen', 'olsen',
  'larsen', 'berg', 'haugen', 'dahl', 'lund', 'moen', 'bakken', 'strand'];

const OUTLOOK_UAS = [
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13801; Pro)',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13628; Pro)',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.5134; Pro)',
  'Microsoft Office/15.0 (Windows NT 6.1; Microsoft Outlook 15.0.5319; Pro)',
];
const MOBILE = [
  { type: 'iPhone', ua: 'Apple-iPhone12C1/1805.227' },
  { type: 'iPhone', ua: 'Apple-iPhone13C2/1803.232' },
  { type: 'Outlook', ua: 'Outlook-iOS/723.4027091.prod.iphone (4.2109.0)' },
  { type: 'Outlook', ua: 'Outlook-Android/2.0' },
  { type: 'SAMSUNGSMG991B', ua: 'Android-SAMSUNG-SM-G991B/101.10.0' },
  { type: 'Android', ua: 'Android-Mail/2021.01.31.357658990.Release' },
];
export const BROWSER_UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0.4324.190 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/89.0.4389.72 Safari/537.36 Edg/89.0.774.45',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:86.0) Gecko/20100101 Firefox/86.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0.3 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko',
];

function buildParts(build: string): [string, string, string, string] {
  const p = build.split('.');
  return [p[0] ?? '15', p[1] ?? '1', p[2] ?? '0', p[3] ?? '0'];
}

export function longBuild(build: string): string {
  const [a, b, c, d] = buildParts(build);
  return `${a}.${b.padStart(2, '0')}.${c.padStart(4, '0')}.${d.padStart(3, '0')}`;
}

export function makeWorld(r: Rng, opts: { host?: string; build?: string; users?: number }): World {
  const host = (opts.host ?? 'EX01').toUpperCase();
  const build = opts.build ?? '15.1.2176.2';
  const domainSid = `S-1-5-21-${r.range(1e8, 4e9)}-${r.range(1e8, 4e9)}-${r.range(1e8, 4e9)}`;
  const n = Math.max(10, opts.users ?? 300);
  const users: User[] = [];
  const taken = new Set<string>();
  for (let i = 0; users.length < n; i++) {
    const f = r.pick(FIRST), l = r.pick(LAST);
    let sam = f[0] + l;
    for (let k = 2; taken.has(sam); k++) sam = f[0] + l + k;
    taken.add(sam);
    const mob = r.pick(MOBILE);
    users.push({
      sam,
      smtp: `${f}.${l}${sam.slice(1 + l.length)}@contoso.com`,
      nt: 'CONTOSO\\' + sam,
      sid: `${domainSid}-${1105 + i}`,
      mailboxGuid: guid(r),
      internalIp: `10.20.${r.range(1, 30)}.${r.range(10, 250)}`,
      externalIp: `100.${r.range(64, 127)}.${r.range(0, 255)}.${r.range(1, 254)}`,
      deviceId: hex8(r.u32()).toUpperCase() + hex8(r.u32()).toUpperCase(),
      deviceType: mob.type,
      mobileUa: mob.ua,
      outlookUa: r.pick(OUTLOOK_UAS),
      browserUa: r.pick(BROWSER_UAS),
      admin: i < 4,
      anchorSmtp: '', anchorSid: '', anchorGuid: '', mapiQuery: '',
    });
  }
  for (const u of users) {
    u.anchorSmtp = 'Smtp~' + u.smtp;
    u.anchorSid = 'Sid~' + u.sid;
    u.anchorGuid = 'MailboxGuidWithDomain~' + u.mailboxGuid + '@contoso.com';
    u.mapiQuery = 'MailboxId=' + u.mailboxGuid + '@contoso.com';
  }
  const healthMailboxes: string[] = [];
  for (let i = 0; i < 4; i++) healthMailboxes.push('HealthMailbox' + hex8(r.u32()).slice(0, 7) + hex8(r.u32()).slice(0, 7));
  return {
    host,
    fqdn: `${host}.contoso.local`,
    netbios: 'CONTOSO',
    smtpDomain: 'contoso.com',
    publicHost: 'mail.contoso.com',
    serverIp: '10.10.1.5',
    build,
    buildLong: longBuild(build),
    buildParts: buildParts(build),
    buildCsv: buildParts(build).join(','),
    domainSid,
    users,
    admins: users.filter((u) => u.admin),
    healthMailboxes,
    oabGuid: guid(r),
    oabVdirGuid: guid(r),
    scannerIp: '10.10.9.50',
    monitorIp: '10.10.9.61',
  };
}

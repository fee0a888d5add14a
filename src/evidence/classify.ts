// Decide what a file is from its logical path and its first bytes. Path rules come first because they
// also tell the log family (HttpProxy protocol, ECP Server vs Activity); sniffing rescues loose files.
import type { ArtifactKind, LogType } from '../types.js';
import { exchangeRelative } from './logical-path.js';

export interface Classification {
  kind: ArtifactKind;
  logType?: LogType;
  /** why a file is not read by any reader (kind 'other') */
  note?: string;
}

const HTTPPROXY = /(?:^|\/)logging\/httpproxy\/([^/]+)\//;
const LOG_FOLDERS: [RegExp, LogType][] = [
  [/(?:^|\/)logging\/ecp\/server\//, 'ecp-server'],
  [/(?:^|\/)logging\/ecp\/activity\//, 'ecp-activity'],
  [/(?:^|\/)logging\/ews\//, 'ews'],
  [/(?:^|\/)logging\/oabgeneratorlog\//, 'oab-generator'],
  [/(?:^|\/)messagetracking\//, 'message-tracking'],
];
const LOG_NAMES: [RegExp, LogType][] = [
  [/(?:^|\/)rps_cmdlet[^/]*$/, 'rps-cmdlet'],
  [/(?:^|\/)rps_http[^/]*$/, 'rps-http'],
  [/(?:^|\/)ecpserver[^/]*$/, 'ecp-server'],
  [/(?:^|\/)ecpactivity[^/]*$/, 'ecp-activity'],
  [/(?:^|\/)oabgeneratorlog[^/]*$/, 'oab-generator'],
  [/(?:^|\/)msgtrk[^/]*$/, 'message-tracking'],
];
/** `#Log-type:` header values -> log type, for Exchange logs found outside their usual folder. */
const HEADER_LOG_TYPES: [RegExp, LogType][] = [
  [/^httpproxy/i, 'httpproxy/unknown'],
  [/^ecp server/i, 'ecp-server'],
  [/^ecp activity/i, 'ecp-activity'],
  [/^ews/i, 'ews'],
  [/^rps cmdlet/i, 'rps-cmdlet'],
  [/^rps http/i, 'rps-http'],
  [/^message tracking/i, 'message-tracking'],
  [/^oab/i, 'oab-generator'],
];

const WEB_FOLDERS = [
  /(?:^|\/)frontend\/httpproxy\//,
  /(?:^|\/)clientaccess\//,
  /(?:^|\/)inetpub\/wwwroot\//,
  /(?:^|\/)temporary asp\.net files\//,
];
const CONTENT_EXTENSIONS = /\.(?:aspx|ashx|asmx|asp|asa|cer|cshtml|svc|config|dll|exe|dmp|zip|7z|rar|ps1|bat|js)$/;
const STAGING_FOLDERS = [/^programdata\//, /^windows\/temp\//, /^root\//, /^users\/public\//, /^windows\/help\//];

function sniff(head: Buffer): Classification | undefined {
  if (head.length >= 8 && head.toString('latin1', 0, 8) === 'ElfFile\0') return { kind: 'evtx', logType: 'evtx' };
  const text = head.toString('latin1', 0, Math.min(head.length, 4096)).replace(/^\xef\xbb\xbf/, '');
  if (/^#Software: Microsoft Internet Information Services/m.test(text)) return { kind: 'iis-w3c', logType: 'iis' };
  if (/^#Software: Microsoft Exchange Server/m.test(text)) {
    const lt = /^#Log-type: *(.*)$/m.exec(text)?.[1] ?? '';
    const hit = HEADER_LOG_TYPES.find(([re]) => re.test(lt.trim()));
    return { kind: 'exchange-csv', logType: hit?.[1] ?? 'exchange-unknown' };
  }
  if (/^#Fields: date time /m.test(text)) return { kind: 'iis-w3c', logType: 'iis' };
  return undefined;
}

function hasExchangeHeader(head: Buffer): boolean {
  return /^(?:\xef\xbb\xbf)?#Software: Microsoft Exchange Server/m.test(head.toString('latin1', 0, Math.min(head.length, 512)));
}

export function classify(logical: string, head: Buffer): Classification {
  const name = logical.slice(logical.lastIndexOf('/') + 1);
  const hp = HTTPPROXY.exec(logical);
  if (hp) return { kind: 'exchange-csv', logType: `httpproxy/${hp[1]}` };
  for (const [re, lt] of [...LOG_FOLDERS, ...LOG_NAMES]) {
    if (re.test(logical)) {
      // OAB generator logs without a CSV header are read as plain text lines.
      const kind: ArtifactKind = lt === 'oab-generator' && !hasExchangeHeader(head) ? 'exchange-text' : 'exchange-csv';
      return { kind, logType: lt };
    }
  }
  if (/(?:^|\/)inetpub\/logs\/logfiles\/w3svc\d+\//.test(logical) || /^u_ex\d+.*\.log$/.test(name)) {
    return { kind: 'iis-w3c', logType: 'iis' };
  }
  if (name.endsWith('.evtx')) return { kind: 'evtx', logType: 'evtx' };
  if (name === 'applicationhost.config' || name === 'web.config') return { kind: 'config' };
  if (name.endsWith('.reg')) return { kind: 'registry' };
  if (/^exsetup\.exe(?:\.version\.txt)?$/.test(name) || name === 'exchange-version.txt') return { kind: 'version-info' };
  const sniffed = sniff(head);
  if (sniffed) return sniffed;
  // Loose collections lose the folders: server-side script and dropped binaries are still worth a content scan.
  if (CONTENT_EXTENSIONS.test(name)) return { kind: 'web-file' };
  if (exchangeRelative(logical) !== undefined && WEB_FOLDERS.some((re) => re.test(logical))) return { kind: 'web-file' };
  if (WEB_FOLDERS.some((re) => re.test(logical)) || STAGING_FOLDERS.some((re) => re.test(logical))) return { kind: 'web-file' };
  return { kind: 'other', note: 'not a log, configuration or web-exposed file exhunt reads' };
}

// Small builders for hand-written test lines, so each case reads like the log line it stands for.

export interface W3c {
  m?: string;
  stem: string;
  /** raw cs-uri-query as IIS writes it (no leading '?'); Exchange appends its correlation data */
  q?: string;
  port?: number;
  user?: string;
  ip?: string;
  /** user agent as a client sends it; written with '+' for spaces as IIS does */
  ua?: string;
  status?: number;
  sub?: number;
  time?: string;
}

const CORR = 'CorrelationID=<empty>;&cafeReqId=2f4c9d1e-7a3b-4c5d-8e9f-0a1b2c3d4e5f;';

/** One IIS W3C line in the Exchange default field order (exchange-detections.md §5.8). */
export function iis(x: W3c): string {
  const q = x.q === undefined ? `&${CORR}` : x.q === '' ? '-' : x.q;
  const ua = x.ua ? x.ua.replace(/ /g, '+') : '-';
  return [
    '2021-03-03',
    x.time ?? '06:49:43',
    '10.0.0.5',
    x.m ?? 'GET',
    x.stem,
    q,
    String(x.port ?? 443),
    x.user || '-',
    x.ip ?? '203.0.113.7',
    ua,
    '-',
    String(x.status ?? 200),
    String(x.sub ?? 0),
    '0',
    '120',
  ].join(' ');
}

/** The correlation suffix Exchange appends to cs-uri-query. */
export const corr = CORR;

export const UA_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/105.0.5195.54 Safari/537.36';
export const UA_OUTLOOK = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13127; Pro)';
export const UA_PROBE = 'AMProbe/Local/ClientAccess';
export const UA_WINRM = 'Microsoft WinRM Client';

/** An event as the EVTX reader flattens it (System fields by name, unnamed Data joined as Data). */
export function evt(channel: string, provider: string, eventId: number, fields: Record<string, string>, level = 4): Record<string, string> {
  return { Channel: channel, Provider_Name: provider, EventID: String(eventId), Level: String(level), Computer: 'EX01.contoso.local', ...fields };
}

/** Sysmon process creation (event 1). */
export function proc(image: string, commandLine: string, parentImage: string, parentCommandLine = ''): Record<string, string> {
  return evt('Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', 1, {
    Image: image,
    CommandLine: commandLine,
    ParentImage: parentImage,
    ParentCommandLine: parentCommandLine,
    User: 'NT AUTHORITY\\SYSTEM',
  });
}

/** MSExchange Management event (1 = cmdlet succeeded): unnamed Data = cmdlet, parameters, caller ... */
export function mgmt(cmdlet: string, parameters: string, eventId = 1): Record<string, string> {
  return evt('MSExchange Management', 'MSExchange CmdletLogs', eventId, {
    Data: [cmdlet, parameters, 'contoso.local/Users/Administrator', 'S-1-5-21-1-2-3-500', 'S-1-5-21-1-2-3-500', 'ServerRemoteHost', '4256 w3wp#MSExchangePowerShellAppPool', '', '9', '00:00:00.0312500', 'View Entire Forest: \'False\', ', '', '', ''].join(' '),
  }, eventId === 1 ? 4 : 2);
}

export const EXV15 = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\';

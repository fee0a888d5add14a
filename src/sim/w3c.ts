// IIS W3C extended log conventions (research exchange-detections.md §5.8).

export const IIS_FIELDS =
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

export function iisHeader(date: string): string[] {
  return ['#Software: Microsoft Internet Information Services 10.0', '#Version: 1.0', '#Date: ' + date, '#Fields: ' + IIS_FIELDS];
}

/** W3C value: empty -> '-', spaces -> '+' (how IIS writes user agents). */
export function w3c(v: string): string {
  if (v === '') return '-';
  return v.indexOf(' ') === -1 ? v : v.replace(/ /g, '+');
}

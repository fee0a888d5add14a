// ECP Server / Activity EventData rendering (research exchange-detections.md §5.5): ';'-separated 'S:KEY=value'
// tokens; a token whose value holds a quote or ';' is wrapped in single quotes with inner quotes doubled.

export function ecpToken(key: string, value: string): string {
  const tok = 'S:' + key + '=' + value;
  return /[';]/.test(value) ? "'" + tok.replace(/'/g, "''") + "'" : tok;
}

export function ecpEventData(pairs: ReadonlyArray<[string, string]>): string {
  return pairs.map(([k, v]) => ecpToken(k, v)).join(';');
}

/** 'Set-OabVirtualDirectory.ExternalUrl='…'.Identity='…'' — the cmdlet with its parameters as ECP logs it */
export function ecpCmd(cmdlet: string, params: ReadonlyArray<[string, string]>): string {
  return cmdlet + params.map(([k, v]) => '.' + k + "='" + v + "'").join('');
}

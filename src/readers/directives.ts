// The '#' directive lines of W3C and Exchange logs (#Software, #Version, #Log-type, #Date, #Fields).

export interface Directives {
  software?: string;
  version?: string;
  logType?: string;
  date?: string;
  fields?: string[];
}

/** Applies one directive line to the header state; returns false for a line that is not a directive. */
export function applyDirective(line: string, format: 'w3c' | 'csv', state: Directives): boolean {
  const m = /^#([A-Za-z-]+):\s?(.*?)\r?$/.exec(line);
  if (!m) return false;
  const key = m[1]!.toLowerCase();
  const value = m[2]!.trim();
  if (key === 'fields') {
    state.fields = format === 'w3c' ? value.split(/\s+/).filter(Boolean) : value.split(',').map((f) => f.trim());
  } else if (key === 'software') state.software = value;
  else if (key === 'version') state.version = value;
  else if (key === 'log-type') state.logType = value;
  else if (key === 'date') state.date = value;
  return true;
}

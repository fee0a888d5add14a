// Per log family: how many files and records, and the time span they cover. This is what tells a user
// what the logs cannot show ("the HttpProxy logs start on 2021-03-09: earlier exploitation is invisible").
import type { CoverageEntry, LogSpan } from '../types.js';

export function logFamilies(files: CoverageEntry[]): LogSpan[] {
  const by = new Map<string, LogSpan>();
  for (const f of files) {
    if (f.status !== 'read' || !f.logType) continue;
    const fam = by.get(f.logType) ?? { family: f.logType, files: 0, records: 0 };
    fam.files++;
    fam.records += f.records ?? 0;
    if (f.first !== undefined && (fam.first === undefined || f.first < fam.first)) fam.first = f.first;
    if (f.last !== undefined && (fam.last === undefined || f.last > fam.last)) fam.last = f.last;
    by.set(f.logType, fam);
  }
  return [...by.values()].sort((a, b) => a.family.localeCompare(b.family));
}

/** Public dates from which each wave's traces can exist; logs starting later cannot rule exploitation out. */
const WAVES: { name: string; from: string; families: RegExp }[] = [
  // ProxyLogon exploitation began on or before 2021-01-06 (Volexity, 2021-03-02).
  { name: 'ProxyLogon (exploited from January 2021)', from: '2021-01-06', families: /^(httpproxy\/|iis$|ecp-server$|oab-generator$)/ },
  // ProxyShell mass exploitation from 2021-08-06 after the Black Hat talk (Huntress, 2021-08-21).
  { name: 'ProxyShell (exploited from August 2021)', from: '2021-08-06', families: /^(iis$|httpproxy\/|rps-)/ },
  // ProxyNotShell in the wild from August 2022 (GTSC, 2022-09-28).
  { name: 'ProxyNotShell (exploited from August 2022)', from: '2022-08-01', families: /^(iis$|httpproxy\/|rps-)/ },
];

/** Notes on what the logs cannot show, for the verdict's explanation. */
export function coverageNotes(families: LogSpan[]): string[] {
  const notes: string[] = [];
  const have = (re: RegExp): LogSpan[] => families.filter((f) => re.test(f.family) && f.records > 0);
  if (have(/^iis$/).length === 0) notes.push('No IIS logs were read: requests to web shells and the ProxyShell/ProxyNotShell/OWASSRF URLs cannot be seen.');
  if (have(/^httpproxy\//).length === 0) notes.push('No HttpProxy logs were read: the ProxyLogon SSRF (CVE-2021-26855) cannot be seen.');
  if (have(/^evtx/).length === 0) notes.push('No Windows event logs were read: CVE-2021-26857, cmdlet and process activity cannot be seen.');
  for (const w of WAVES) {
    const fams = have(w.families);
    if (fams.length === 0) continue;
    const last = Math.max(...fams.map((f) => f.last ?? -Infinity));
    const first = Math.min(...fams.map((f) => f.first ?? Infinity));
    const from = Date.parse(`${w.from}T00:00:00Z`);
    if (first > from && last > from && Number.isFinite(first)) {
      notes.push(`${w.name}: the logs that would show it start on ${new Date(first).toISOString().slice(0, 10)}; nothing can be said about earlier dates.`);
    }
  }
  return notes;
}

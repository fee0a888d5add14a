// Published attacker addresses (rules/iocs/attacker-ips.csv: each row with its list, publication date and
// source). Such lists age within weeks (VPS and VPN exits change hands), so a match is a lead, scored low.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../detect/webshell/csv.js';
import type { IndicatorMatch } from '../types.js';

export interface AddressIoc { ip: string; list: string; family: string; published: string; source: string }

const FILE = new URL('../../rules/iocs/attacker-ips.csv', import.meta.url);
let cached: Map<string, AddressIoc[]> | undefined;

export function parseAddressIocs(text: string): Map<string, AddressIoc[]> {
  const m = new Map<string, AddressIoc[]>();
  for (const r of parseCsv(text)) {
    const ip = (r.ip ?? '').trim().toLowerCase();
    if (!ip || !r.source?.startsWith('https://') || !/^\d{4}-\d{2}-\d{2}$/.test(r.published ?? '')) continue;
    const row: AddressIoc = { ip, list: r.list ?? '', family: r.family ?? '', published: r.published!, source: r.source };
    m.set(ip, [...(m.get(ip) ?? []), row]);
  }
  return m;
}

export function addressIocs(): Map<string, AddressIoc[]> {
  if (!cached) {
    try {
      cached = parseAddressIocs(readFileSync(fileURLToPath(FILE), 'utf8'));
    } catch {
      cached = new Map(); // the list is optional content; without it there is simply no match
    }
  }
  return cached;
}

export function indicatorMatches(ip: string, firstSeen: number | undefined, list = addressIocs()): IndicatorMatch[] {
  return (list.get(ip.toLowerCase()) ?? []).map((r) => {
    const m: IndicatorMatch = { list: r.list, source: r.source, published: r.published, score: 'low' };
    if (firstSeen !== undefined) m.ageDays = Math.floor((firstSeen - Date.parse(`${r.published}T00:00:00Z`)) / 86_400_000);
    return m;
  });
}

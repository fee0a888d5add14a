// Public CVE milestones per exploit family (rules/exchange/milestones.json), validated on load.
import { readRulesJson } from './build-data.js';

export type MilestoneKind = 'reported' | 'in-the-wild' | 'patch' | 'disclosure' | 'poc' | 'mass-scanning' | 'mass-exploitation';
export interface Milestone { kind: MilestoneKind; date: string; uncertain?: boolean; note?: string; sources: string[] }
export interface MilestoneFamily { id: string; name: string; cves: string[]; milestones: Milestone[] }
export interface Milestones { schemaVersion: 1; families: MilestoneFamily[] }

const KINDS: readonly string[] = ['reported', 'in-the-wild', 'patch', 'disclosure', 'poc', 'mass-scanning', 'mass-exploitation'];

export function validateMilestones(raw: unknown): Milestones {
  const bad = (w: string, m: string): never => { throw new Error(`milestones.json: ${w}: ${m}`); };
  if (typeof raw !== 'object' || raw === null) bad('root', 'must be an object');
  const r = raw as Record<string, unknown>;
  if (r.schemaVersion !== 1) bad('root', 'schemaVersion must be 1');
  if (!Array.isArray(r.families)) bad('root', 'families must be an array');
  (r.families as unknown[]).forEach((f, i) => {
    const fam = f as Record<string, unknown>;
    if (typeof fam.id !== 'string' || !Array.isArray(fam.cves) || !Array.isArray(fam.milestones)) bad(`families[${i}]`, 'needs id, cves, milestones');
    (fam.milestones as unknown[]).forEach((m, j) => {
      const ms = m as Record<string, unknown>;
      const w = `families[${i}].milestones[${j}]`;
      if (!KINDS.includes(ms.kind as string)) bad(w, `unknown kind ${String(ms.kind)}`);
      if (typeof ms.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(ms.date) || Number.isNaN(Date.parse(ms.date))) bad(w, 'bad date');
      if (!Array.isArray(ms.sources) || ms.sources.length === 0 || !ms.sources.every((s) => typeof s === 'string' && s.startsWith('https://'))) bad(w, 'every milestone needs https sources');
    });
  });
  return raw as Milestones;
}

let cached: Milestones | undefined;
export function loadMilestones(): Milestones {
  cached ??= validateMilestones(readRulesJson('milestones.json'));
  return cached;
}

/** Earliest milestone of a kind for a family. */
export function milestone(m: Milestones, family: string, kind: MilestoneKind): Milestone | undefined {
  return m.families.find((f) => f.id === family)?.milestones.filter((x) => x.kind === kind).sort((a, b) => a.date.localeCompare(b.date))[0];
}

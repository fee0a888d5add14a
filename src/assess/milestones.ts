// The public milestones of each exploit family (rules/exchange/milestones.json) set beside this host's own
// first evidence: did exploitation here come before the patch existed, or before anyone reported it?
import { loadMilestones, type Milestones } from '../detect/exchange/index.js';
import type { Finding, MilestoneView } from '../types.js';
import { isoDay, refOf, validTime } from './evidence-ref.js';

const day = (d: string): number => Date.parse(`${d}T00:00:00Z`);

/** Families with evidence on the host, plus those the exposure stage lists as missing a fix. */
export function milestoneViews(decisive: Finding[], missingFamilies: string[], m: Milestones = safeLoad()): MilestoneView[] {
  const out: MilestoneView[] = [];
  for (const fam of m.families) {
    const hits = decisive.filter((f) => f.stage !== 'recon' && f.cves.some((c) => fam.cves.includes(c)));
    if (hits.length === 0 && !missingFamilies.includes(fam.id)) continue;
    let first: Finding | undefined;
    for (const f of hits) if (validTime(f.time) && (first === undefined || f.time! < first.time!)) first = f;
    const ms = [...fam.milestones].sort((a, b) => a.date.localeCompare(b.date)).map((x) => ({ kind: x.kind, date: x.date, ...(x.uncertain ? { uncertain: true } : {}), ...(x.note ? { note: x.note } : {}), sources: x.sources }));
    const patch = ms.find((x) => x.kind === 'patch');
    const wild = ms.find((x) => x.kind === 'in-the-wild');
    const v: MilestoneView = { family: fam.id, name: fam.name, cves: fam.cves, milestones: ms, sentence: '' };
    if (first && validTime(first.time)) {
      const t = first.time;
      v.hostFirst = t;
      v.hostFirstEvidence = refOf(first);
      const parts = [`First ${fam.name} evidence here (${first.stage}): ${isoDay(t)}.`];
      if (patch) {
        v.beforePatch = t < day(patch.date);
        const d = Math.round((t - day(patch.date)) / 86_400_000);
        parts.push(v.beforePatch
          ? `That is ${-d} day${d === -1 ? '' : 's'} BEFORE Microsoft's patch (${patch.date}${patch.uncertain ? ', date uncertain' : ''}): the server was attacked while no fix existed.`
          : `That is ${d} day${d === 1 ? '' : 's'} after the patch (${patch.date}): the fix was available but not installed.`);
      }
      if (wild) {
        v.beforePublicReports = t < day(wild.date);
        if (v.beforePublicReports) parts.push(`It is also earlier than the first public report of exploitation in the wild (${wild.date}${wild.uncertain ? ', approximate' : ''}); check the clock and the evidence carefully, then tell a CERT.`);
      }
      v.sentence = parts.join(' ');
    } else {
      v.sentence = `No ${fam.name} evidence here; the installed build lacks its fix${patch ? ` (released ${patch.date})` : ''}.`;
    }
    out.push(v);
  }
  return out.sort((a, b) => (a.hostFirst ?? Infinity) - (b.hostFirst ?? Infinity));
}

function safeLoad(): Milestones {
  try {
    return loadMilestones();
  } catch {
    return { schemaVersion: 1, families: [] };
  }
}

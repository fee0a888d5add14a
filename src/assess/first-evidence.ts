// Since when: the earliest evidence of attack, and how far back the logs behind it reach. An early first
// finding in logs that start that same week says little; the sentence says what cannot be known.
import type { CoverageEntry, Finding, FirstEvidence, LogSpan } from '../types.js';
import { isoDay, isoMinute, lineKey, refOf, validTime } from './evidence-ref.js';

export function firstEvidence(decisive: Finding[], files: CoverageEntry[], families: LogSpan[]): FirstEvidence | undefined {
  // Log lines first: a file's time stamp can be forged or be an install date; use it only without logs.
  const earliest = (fs: Finding[]): Finding | undefined => {
    let first: Finding | undefined;
    for (const f of fs) if (f.stage !== 'recon' && validTime(f.time) && (first === undefined || f.time! < first.time!)) first = f;
    return first;
  };
  const first = earliest(decisive.filter((f) => lineKey(f) !== undefined)) ?? earliest(decisive);
  if (!first || !validTime(first.time)) return undefined;
  const time = first.time;
  const logType = files.find((c) => c.path === first.evidence.path)?.logType;
  const fam = logType ? families.find((x) => x.family === logType) : undefined;
  const out: FirstEvidence = { time, evidence: refOf(first), sentence: '' };
  const what = `The first evidence of attack is "${first.rule.title}" on ${isoMinute(time)} UTC (${first.evidence.path}${first.evidence.line ? `:${first.evidence.line}` : ''})`;
  if (fam && validTime(fam.first)) {
    out.family = fam.family;
    out.coverageFrom = fam.first;
    const gapDays = Math.floor((time - fam.first) / 86_400_000);
    out.sentence = gapDays < 7
      ? `${what}. The ${fam.family} logs only reach back to ${isoDay(fam.first)}, ${gapDays <= 0 ? 'the same day' : `${gapDays} day${gapDays === 1 ? '' : 's'} earlier`}: the attack may well have started before, and nothing can be said about earlier dates.`
      : `${what}. The ${fam.family} logs reach back to ${isoDay(fam.first)}, ${gapDays} days earlier, without earlier evidence; nothing can be said about dates before ${isoDay(fam.first)}.`;
  } else if (lineKey(first) !== undefined) {
    out.sentence = `${what}. How far back that log reaches is not in the coverage account, so whether anything happened earlier cannot be judged.`;
  } else {
    out.sentence = `${what}. It comes from a file's time stamp, not a log, and file times can be forged.`;
  }
  return out;
}

/** One plain sentence per log family: from when to when, how many records. */
export function coverageSentences(families: LogSpan[], notes: string[]): string[] {
  const out: string[] = [];
  for (const f of families) {
    if (f.records === 0) { out.push(`${f.family}: ${f.files} file${f.files === 1 ? '' : 's'} read, no records.`); continue; }
    const when = validTime(f.first) && validTime(f.last) ? `from ${isoDay(f.first)} to ${isoDay(f.last)}` : 'without record times';
    out.push(`${f.family}: ${f.records.toLocaleString('en-US')} records in ${f.files} file${f.files === 1 ? '' : 's'}, ${when}.`);
  }
  // the notes already say what the logs cannot show (families.ts); keep those that are about coverage
  for (const n of notes) if (/cannot be seen|nothing can be said|No .* logs? (were|was) read/i.test(n)) out.push(n);
  return out;
}

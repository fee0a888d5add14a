// The investigation answers of one host (since when, by whom, what was touched, what now), derived from
// its findings, coverage and exposure only: a saved result can be answered again without rescanning.
import type { HostAssessment, InvestigationAnswers } from '../types.js';
import { recommendActions } from './actions.js';
import { collectEntities } from './entities.js';
import { coverageSentences, firstEvidence } from './first-evidence.js';
import { stageLadder } from './ladder.js';
import { milestoneViews } from './milestones.js';
import { buildIncidents } from './story.js';
import { decisiveFindings } from './verdict.js';

export type InvestigateInput = Pick<HostAssessment, 'verdict' | 'findings' | 'coverage' | 'exposure'>;

export function investigate(h: InvestigateInput): InvestigationAnswers {
  const findings = h.findings;
  const decisiveList = decisiveFindings(findings);
  const decisive = new Set(decisiveList);
  const logTypes = new Map<string, string>();
  for (const c of h.coverage.files) if (c.logType) logTypes.set(c.path, c.logType);
  const ladder = stageLadder(findings, decisive);
  const first = firstEvidence(decisiveList, h.coverage.files, h.coverage.families);
  const entities = collectEntities({ findings, decisive, logTypes });
  const missingFamilies = familiesMissingFix(h.exposure);
  const base = {
    ladder,
    ...(first ? { firstEvidence: first } : {}),
    coverage: coverageSentences(h.coverage.families, h.coverage.notes),
    incidents: buildIncidents(decisiveList),
    milestones: milestoneViews(decisiveList, missingFamilies),
    ...entities,
  };
  return { ...base, actions: recommendActions({ ...base, verdict: h.verdict, logs: h.coverage, ...(h.exposure ? { exposure: h.exposure } : {}) }) };
}

function familiesMissingFix(exposure: Record<string, unknown> | undefined): string[] {
  const fams = exposure?.['families'];
  if (!Array.isArray(fams)) return [];
  return fams.filter((f): f is { family: string; state: string } => typeof f === 'object' && f !== null && typeof (f as { family?: unknown }).family === 'string')
    .filter((f) => f.state === 'vulnerable' || f.state === 'partially-mitigated').map((f) => f.family);
}

// The stage ladder: for every stage of an Exchange compromise, whether the evidence proves it and which
// findings do. Leads (findings too weak to decide) are counted beside, never mixed in.
import type { Finding, LadderStep } from '../types.js';
import { STAGES } from '../types.js';
import { refOf, span, strongestFirst } from './evidence-ref.js';

const SHOWN = 3;

export function stageLadder(findings: Finding[], decisive: ReadonlySet<Finding>): LadderStep[] {
  return STAGES.map((stage) => {
    const at = findings.filter((f) => f.stage === stage);
    const proven = at.filter((f) => decisive.has(f));
    const step: LadderStep = { stage, reached: proven.length > 0, decisive: proven.length, leads: at.length - proven.length, evidence: [] };
    for (const f of proven) span(step, f.time);
    // the strongest few, one per rule so the reader sees different kinds of evidence
    const seen = new Set<string>();
    for (const f of [...(proven.length ? proven : at)].sort(strongestFirst)) {
      if (seen.has(f.rule.id)) continue;
      seen.add(f.rule.id);
      step.evidence.push(refOf(f));
      if (step.evidence.length === SHOWN) break;
    }
    return step;
  });
}

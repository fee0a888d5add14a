// Findings of one host -> its assessment: verdict, stage ladder, first/last evidence, attacker addresses,
// log coverage. Every report format is derived from this value.
import { isInternalIp } from '../detect/entities.js';
import type { CoverageEntry, Finding, HostAssessment } from '../types.js';
import { coverageNotes, logFamilies } from './families.js';
import { investigate } from './investigate.js';
import { decideVerdict, decisiveFindings, LEVEL_RANK } from './verdict.js';

export interface HostInput {
  host: string;
  findings: Finding[];
  files: CoverageEntry[];
  notes?: string[];
  exposure?: Record<string, unknown>;
  vulnerable?: boolean;
  vulnerableReason?: string;
}

export function assessHost(input: HostInput): HostAssessment {
  const findings = [...input.findings].sort((a, b) => (a.time ?? Infinity) - (b.time ?? Infinity) || LEVEL_RANK[b.level] - LEVEL_RANK[a.level]);
  const families = logFamilies(input.files);
  const v = decideVerdict({ findings, families, ...(input.vulnerable ? { vulnerable: true } : {}), ...(input.vulnerableReason ? { vulnerableReason: input.vulnerableReason } : {}) });
  // The evidence span comes from what decides the verdict, not from leads (a low lead's file time is not an attack).
  const evidential = decisiveFindings(findings).filter((f) => f.stage !== 'recon');
  const times = evidential.map((f) => f.time).filter((t): t is number => t !== undefined && !Number.isNaN(t));
  const attackerIps = [...new Set(evidential.flatMap((f) => f.entities.ips).filter((ip) => !isInternalIp(ip)))];
  const a: HostAssessment = {
    host: input.host,
    ...v,
    attackerIps,
    findings,
    coverage: { families, files: input.files, notes: [...(input.notes ?? []), ...coverageNotes(families)] },
  };
  for (const t of times) {
    if (a.firstEvidence === undefined || t < a.firstEvidence) a.firstEvidence = t;
    if (a.lastEvidence === undefined || t > a.lastEvidence) a.lastEvidence = t;
  }
  if (input.exposure) a.exposure = input.exposure;
  a.answers = investigate(a);
  // the addresses of the answers: those on decisive findings, not every visitor of a flagged page
  a.attackerIps = a.answers.attackers.map((x) => x.ip);
  return a;
}

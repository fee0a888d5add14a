// The verdict of a host from its findings: the highest stage reached decides, with a confidence and a
// reason in plain language that names the evidence.
import type { Finding, HostAssessment, LogSpan, Stage, Verdict } from '../types.js';
import { STAGES } from '../types.js';

export interface VerdictInput {
  findings: Finding[];
  families: LogSpan[];
  /** exposure stage says a fix is missing */
  vulnerable?: boolean;
  vulnerableReason?: string;
}

const COMPROMISE: Stage[] = ['persistence', 'hands-on', 'data-access'];
const LEVEL_RANK = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

export function stagesOf(findings: Finding[]): Stage[] {
  const seen = new Set(findings.map((f) => f.stage));
  return STAGES.filter((s) => seen.has(s));
}

function describe(findings: Finding[], stage: Stage): string {
  const hits = findings.filter((f) => f.stage === stage);
  const titles = [...new Set(hits.map((f) => f.rule.title))];
  const shown = titles.slice(0, 3).join('; ');
  return `${hits.length} ${stage} finding${hits.length === 1 ? '' : 's'} (${shown}${titles.length > 3 ? `; +${titles.length - 3} more` : ''})`;
}

export function decideVerdict(input: VerdictInput): Pick<HostAssessment, 'verdict' | 'confidence' | 'reason' | 'stages'> {
  // Informational findings describe the server; they are not evidence of an attack.
  const f = input.findings.filter((x) => LEVEL_RANK[x.level] >= LEVEL_RANK.low);
  const stages = stagesOf(f);
  const sources = (pred: (x: Finding) => boolean): number => new Set(f.filter(pred).map((x) => x.evidence.path.split('/').slice(0, -1).join('/'))).size;
  const strong = (pred: (x: Finding) => boolean): boolean => f.some((x) => pred(x) && LEVEL_RANK[x.level] >= LEVEL_RANK.high);
  const readLogs = input.families.some((x) => x.records > 0);
  let verdict: Verdict;
  let reason: string;
  let confidence: HostAssessment['confidence'];
  const compromise = COMPROMISE.filter((s) => stages.includes(s));
  if (compromise.length > 0) {
    verdict = 'compromised';
    reason = `The attacker got beyond the exploit: ${compromise.map((s) => describe(f, s)).join(', ')}.`;
    const pred = (x: Finding): boolean => COMPROMISE.includes(x.stage);
    confidence = strong(pred) && (sources(pred) > 1 || stages.includes('exploited')) ? 'high' : strong(pred) ? 'medium' : 'low';
  } else if (stages.includes('exploited')) {
    verdict = 'exploited';
    reason = `The server answered exploit requests successfully: ${describe(f, 'exploited')}. No web shell or hands-on activity was found, which the logs read may not show.`;
    confidence = strong((x) => x.stage === 'exploited') ? 'high' : 'medium';
  } else if (stages.includes('exploit-attempt') || stages.includes('recon')) {
    verdict = 'attempted';
    const parts = (['exploit-attempt', 'recon'] as Stage[]).filter((s) => stages.includes(s)).map((s) => describe(f, s));
    reason = `Exploitation was attempted or the server was probed, without evidence of success: ${parts.join(', ')}.`;
    confidence = 'medium';
  } else if (input.vulnerable) {
    verdict = 'vulnerable';
    reason = input.vulnerableReason ?? 'The installed build lacks security fixes; no exploitation evidence was found in the evidence read.';
    confidence = readLogs ? 'medium' : 'low';
  } else if (!readLogs) {
    verdict = 'inconclusive';
    reason = 'No log records could be read, so nothing can be said about exploitation.';
    confidence = 'low';
  } else {
    verdict = 'clean';
    reason = 'No evidence of exploitation in the logs and files read.';
    confidence = 'medium';
  }
  return { verdict, confidence, reason, stages };
}

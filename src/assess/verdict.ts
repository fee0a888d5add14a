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
export const LEVEL_RANK = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

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

/**
 * Which findings decide the verdict. Low and informational ones are leads for review, not evidence.
 * A compromise stage needs a finding of level high, or medium ones on a server shown to be exploited.
 */
export function decisiveFindings(findings: Finding[]): Finding[] {
  const f = findings.filter((x) => LEVEL_RANK[x.level] >= LEVEL_RANK.medium);
  const exploitedHigh = f.some((x) => x.stage === 'exploited' && LEVEL_RANK[x.level] >= LEVEL_RANK.high);
  return f.filter((x) => !COMPROMISE.includes(x.stage) || LEVEL_RANK[x.level] >= LEVEL_RANK.high || exploitedHigh);
}

export function decideVerdict(input: VerdictInput): Pick<HostAssessment, 'verdict' | 'confidence' | 'reason' | 'stages'> {
  const f = decisiveFindings(input.findings);
  const stages = stagesOf(f);
  const folders = (pred: (x: Finding) => boolean): number => new Set(f.filter(pred).map((x) => x.evidence.path.split('/').slice(0, -1).join('/'))).size;
  const strong = (pred: (x: Finding) => boolean): boolean => f.some((x) => pred(x) && LEVEL_RANK[x.level] >= LEVEL_RANK.high);
  const readLogs = input.families.some((x) => x.records > 0);
  const compromise = COMPROMISE.filter((s) => stages.includes(s));
  const decisive = new Set(f);
  const leads = input.findings.filter((x) => LEVEL_RANK[x.level] >= LEVEL_RANK.medium && !decisive.has(x));
  if (compromise.length > 0) {
    const pred = (x: Finding): boolean => COMPROMISE.includes(x.stage);
    // Two independent places of evidence (or an exploited server) make a compromise certain.
    const confidence = strong(pred) && (folders(pred) > 1 || stages.includes('exploited')) ? 'high' : 'medium';
    return { verdict: 'compromised', confidence, stages, reason: `The attacker got beyond the exploit: ${compromise.map((s) => describe(f, s)).join(', ')}.` };
  }
  if (stages.includes('exploited')) {
    return {
      verdict: 'exploited', stages, confidence: strong((x) => x.stage === 'exploited') ? 'high' : 'medium',
      reason: `The server answered exploit requests successfully: ${describe(f, 'exploited')}. No web shell or hands-on activity was found, which the evidence read may not show.`,
    };
  }
  if (stages.includes('exploit-attempt') || stages.includes('recon')) {
    const parts = (['exploit-attempt', 'recon'] as Stage[]).filter((s) => stages.includes(s)).map((s) => describe(f, s));
    return { verdict: 'attempted', stages, confidence: 'medium', reason: `Exploitation was attempted or the server was probed, without evidence of success: ${parts.join(', ')}.` };
  }
  if (leads.length > 0) {
    return {
      verdict: 'inconclusive', stages, confidence: 'low',
      reason: `No exploitation evidence, but ${leads.length} suspicious finding${leads.length === 1 ? '' : 's'} need a look (${[...new Set(leads.map((x) => x.rule.title))].slice(0, 3).join('; ')}).`,
    };
  }
  if (input.vulnerable) {
    return { verdict: 'vulnerable', stages, confidence: readLogs ? 'medium' : 'low', reason: input.vulnerableReason ?? 'The installed build lacks security fixes; no exploitation evidence was found in the evidence read.' };
  }
  if (!readLogs) return { verdict: 'inconclusive', stages, confidence: 'low', reason: 'No log records could be read, so nothing can be said about exploitation.' };
  return { verdict: 'clean', stages, confidence: 'medium', reason: 'No evidence of exploitation in the logs and files read.' };
}

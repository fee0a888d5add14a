// A Sigma match on a log record becomes a Finding: rule, stage, CVEs, time, exact evidence, entities.
import type { Finding, LogRecord, Stage } from '../types.js';
import { extractEntities } from './entities.js';
import { ruleRef } from './sigma/meta.js';
import type { SigmaRule } from './sigma/types.js';

/** Rules without exhunt's stage attribute (SigmaHQ, the user's own) get one from their ATT&CK tactic tags. */
export function stageOf(rule: SigmaRule): Stage {
  if (rule.stage) return rule.stage;
  const tags = rule.tags.map((t) => t.toLowerCase());
  if (tags.some((t) => t === 'attack.collection' || t === 'attack.exfiltration')) return 'data-access';
  if (tags.some((t) => t === 'attack.persistence')) return 'persistence';
  if (tags.some((t) => ['attack.execution', 'attack.credential-access', 'attack.credential_access', 'attack.discovery', 'attack.lateral-movement', 'attack.lateral_movement', 'attack.privilege-escalation', 'attack.defense-evasion', 'attack.defense_evasion'].includes(t))) return 'hands-on';
  if (tags.some((t) => t === 'attack.reconnaissance')) return 'recon';
  return 'exploit-attempt';
}

export function logFinding(rule: SigmaRule, rec: LogRecord): Finding {
  const f: Finding = {
    rule: ruleRef(rule),
    level: rule.level,
    stage: stageOf(rule),
    cves: rule.cves,
    attack: rule.attack,
    evidence: rec.at,
    entities: extractEntities(rec),
  };
  if (!Number.isNaN(rec.time)) f.time = rec.time;
  return f;
}

// Windows event logs through the rules. Records come from the EVTX reader in file order (its own worker
// pool decodes chunks); each is matched against the rules mapped to its channel and event id.
import { logFinding } from '../detect/log-finding.js';
import type { RuleSet } from '../detect/sigma/index.js';
import type { EvidenceFile } from '../evidence/gather.js';
import { closeEvtxPool } from '../readers/evtx/pool.js';
import { readEvtx } from '../readers/evtx/read.js';
import type { CoverageEntry, Finding } from '../types.js';
import { MAX_FINDINGS_PER_RULE_PER_FILE } from './log-task.js';

export interface EvtxStageResult {
  findings: Finding[];
  coverage: CoverageEntry[];
  /** computer names recorded in the logs */
  computers: string[];
}

export async function scanEvtxFiles(files: EvidenceFile[], ruleSet: RuleSet, onFileDone: (bytes: number) => void): Promise<EvtxStageResult> {
  const out: EvtxStageResult = { findings: [], coverage: [], computers: [] };
  const rules = ruleSet.forLogType('evtx');
  // Records of channels no rule reads are not decoded past their System part.
  const channels = rules.whereValues('Channel');
  try {
    for (const f of files) {
      const problems: string[] = [];
      const perRule = new Map<string, number>();
      let records = 0;
      let first: number | undefined;
      let last: number | undefined;
      let channel: string | undefined;
      const opts = { onProblem: (p: { message: string }) => problems.push(p.message), ...(channels ? { prefilter: { channels } } : {}) };
      let declined = 0;
      for await (const rec of readEvtx(f.absPath, { ...opts, onDone: (s) => { declined = s.skipped; } })) {
        records++;
        rec.at.path = f.path;
        channel ??= rec.fields['Channel'];
        const computer = rec.fields['Computer'];
        if (computer && out.computers.length < 10 && !out.computers.includes(computer)) out.computers.push(computer);
        if (!Number.isNaN(rec.time)) {
          if (first === undefined || rec.time < first) first = rec.time;
          if (last === undefined || rec.time > last) last = rec.time;
        }
        for (const rule of rules.match(rec)) {
          const n = (perRule.get(rule.id) ?? 0) + 1;
          perRule.set(rule.id, n);
          if (n <= MAX_FINDINGS_PER_RULE_PER_FILE) out.findings.push(logFinding(rule, rec));
        }
      }
      const e: CoverageEntry = { path: f.path, kind: 'evtx', logType: `evtx:${channel ?? 'other channels'}`, size: f.size, status: records + declined === 0 && problems.length ? 'error' : 'read', records: records + declined };
      if (declined > 0) problems.push(`${declined} records of channels no loaded rule reads were not decoded`);
      if (first !== undefined) e.first = first;
      if (last !== undefined) e.last = last;
      if (problems.length) e.reason = problems.slice(0, 20).join('; ') + (problems.length > 20 ? `; ${problems.length - 20} more problems` : '');
      out.coverage.push(e);
      onFileDone(f.size);
    }
  } finally {
    await closeEvtxPool();
  }
  return out;
}

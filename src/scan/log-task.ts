// One log file through reader and rules: the unit of work a scan worker runs. Everything it returns is
// plain data, so it can cross a worker_threads boundary.
import { logFinding } from '../detect/log-finding.js';
import { cleanIp } from '../detect/entities.js';
import type { RuleSet } from '../detect/sigma/index.js';
import { readTextLog, type TextFormat, type TextLogSummary } from '../readers/text-log.js';
import type { WebRequest } from '../detect/webshell/index.js';
import type { Finding, LogType } from '../types.js';

export interface LogTask {
  absPath: string;
  path: string;
  logType: LogType;
  format: TextFormat;
  /** lower-case file names of suspicious web files: requests to them are collected for linking */
  watchNames: string[];
}

export interface LogTaskResult {
  path: string;
  logType: LogType;
  summary?: TextLogSummary;
  findings: Finding[];
  requests: WebRequest[];
  /** set when the file could not be read at all */
  error?: string;
}

/** Findings one file may yield before the rest are only counted (a scanner can hit a rule millions of times). */
export const MAX_FINDINGS_PER_RULE_PER_FILE = 2000;

const STEM_FIELDS = ['cs-uri-stem', 'UrlStem'];

export async function runLogTask(task: LogTask, ruleSet: RuleSet): Promise<LogTaskResult> {
  const rules = ruleSet.forLogType(task.logType);
  const watch = task.watchNames;
  const literals = rules.literals === null ? null : [...rules.literals, ...watch];
  const findings: Finding[] = [];
  const requests: WebRequest[] = [];
  const perRule = new Map<string, number>();
  try {
    const confirm = (line: string, lits: readonly string[]): boolean => rules.confirmHits(line, lits) || watch.some((w) => line.includes(w));
    const summary = await readTextLog({ absPath: task.absPath, path: task.path, format: task.format, literals, confirm }, (rec) => {
      for (const rule of rules.match(rec)) {
        const n = (perRule.get(rule.id) ?? 0) + 1;
        perRule.set(rule.id, n);
        if (n <= MAX_FINDINGS_PER_RULE_PER_FILE) findings.push(logFinding(rule, rec));
      }
      if (watch.length > 0) {
        const stem = STEM_FIELDS.map((f) => rec.fields[f]).find((v) => v);
        if (stem) {
          const name = stem.slice(stem.lastIndexOf('/') + 1).toLowerCase();
          if (watch.includes(name)) {
            const f = rec.fields;
            requests.push({
              time: rec.time,
              path: stem,
              ip: cleanIp(f['c-ip'] ?? f['ClientIpAddress'] ?? '') ?? '',
              status: f['sc-status'] ?? f['HttpStatus'] ?? '',
              method: f['cs-method'] ?? f['Method'] ?? '',
              evidence: rec.at,
            });
          }
        }
      }
    });
    for (const [id, n] of perRule) {
      if (n > MAX_FINDINGS_PER_RULE_PER_FILE) {
        summary.problems.push(`rule ${id} matched ${n} lines; the first ${MAX_FINDINGS_PER_RULE_PER_FILE} are listed as findings`);
      }
    }
    return { path: task.path, logType: task.logType, summary, findings, requests };
  } catch (e) {
    return { path: task.path, logType: task.logType, findings, requests, error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
}

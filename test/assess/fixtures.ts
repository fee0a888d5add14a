// Inputs for the assessment and report tests: the simulator's demo server scanned by the real pipeline,
// and small hand-built findings for the edge cases.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assessHost } from '../../src/assess/assess-host.js';
import { scanCollection } from '../../src/scan/run-scan.js';
import { generateDemo, type TruthItem } from '../../src/sim/index.js';
import { emptyEntities, type CoverageEntry, type Finding, type Level, type ScanResult, type Stage } from '../../src/types.js';

export interface Demo { result: ScanResult; truth: TruthItem[] }

let demo: Promise<Demo> | undefined;
/** The demo server (three days of March 2021, every scenario), generated and scanned once per test file. */
export function scannedDemo(): Promise<Demo> {
  demo ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exhunt-assess-'));
    try {
      const g = await generateDemo(join(dir, 'EX'));
      const result = await scanCollection(join(dir, 'EX'), { threads: 2 });
      return { result, truth: g.truth };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return demo;
}

export function finding(over: Partial<Finding> & { title?: string; ip?: string; path?: string; line?: number } = {}): Finding {
  const level: Level = over.level ?? 'high';
  const stage: Stage = over.stage ?? 'exploited';
  const entities = over.entities ?? { ...emptyEntities(), ips: over.ip ? [over.ip] : [] };
  const f: Finding = {
    rule: over.rule ?? { id: `rule-${over.title ?? 'x'}`, title: over.title ?? 'Test rule', source: 'test', level },
    level, stage, cves: over.cves ?? [], attack: over.attack ?? [],
    evidence: over.evidence ?? { path: over.path ?? 'inetpub/logs/LogFiles/W3SVC1/u_ex210301.log', line: over.line ?? 1, excerpt: 'line' },
    entities,
  };
  if (over.time !== undefined) f.time = over.time;
  return f;
}

export function iisCoverage(first: number, last: number, records = 100): CoverageEntry {
  return { path: 'inetpub/logs/LogFiles/W3SVC1/u_ex210301.log', kind: 'iis-w3c', logType: 'iis', size: 1000, status: 'read', records, first, last };
}

export function result(hosts: ReturnType<typeof assessHost>[]): ScanResult {
  return { tool: { name: 'exhunt', version: 'test' }, started: Date.parse('2026-01-01T00:00:00Z'), finished: Date.parse('2026-01-01T00:01:00Z'), hosts };
}

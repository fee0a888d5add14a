// Exposure: the installed build and its missing fixes, mitigations, and the build timeline from the
// versions the logs recorded (each Exchange CSV log's #Version header, dated by its #Date).
import { detectInstalledBuild, exchangeExposure, observationFromHeader, type BuildObservation, type HostExposure } from '../detect/exchange/index.js';
import type { EvidenceFile } from '../evidence/gather.js';
import type { LogTaskResult } from './log-task.js';

/** Observations of the running build from the log headers. */
export function buildObservations(logs: LogTaskResult[]): BuildObservation[] {
  const out: BuildObservation[] = [];
  for (const r of logs) {
    for (const h of r.summary?.headers ?? []) {
      if (!h.version || !h.date) continue;
      const time = Date.parse(h.date);
      if (Number.isNaN(time)) continue;
      const o = observationFromHeader(h.version, time, { path: r.path, line: h.line, excerpt: `#Version: ${h.version}` });
      if (o) out.push(o);
    }
  }
  return out;
}

/** The build from the files alone (ExSetup, registry, versioned folders), before the logs are read. */
export async function buildFromFiles(files: EvidenceFile[]): Promise<string | undefined> {
  return (await detectInstalledBuild(files, [])).build;
}

export async function assessHostExposure(host: string, files: EvidenceFile[], logs: LogTaskResult[]): Promise<HostExposure> {
  return exchangeExposure(host, files, buildObservations(logs));
}

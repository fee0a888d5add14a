// Build observations from log records, for the build timeline: HttpProxy/EWS/Rps rows carry
// MajorVersion, MinorVersion, BuildVersion, RevisionVersion (this server) and TargetServerVersion
// (the backend it proxied to, possibly another server); ECP Server/Activity EventData carries S:BLD /
// S:Bld; every Exchange CSV log has a '#Version:' header (ECP writes the placeholder 15.0.0.0, rejected).
import type { Evidence, LogRecord } from '../../types.js';
import { buildFromParts, formatBuild, parseBuild } from './build-parse.js';
import type { BuildObservation } from './build-timeline.js';

const RE_BLD = /S:BLD=([0-9.]{7,24})/i;

export function observationsFromRecord(rec: LogRecord): BuildObservation[] {
  const f = rec.fields;
  const out: BuildObservation[] = [];
  if (f.BuildVersion !== undefined && f.MajorVersion !== undefined) {
    const b = buildFromParts(f.MajorVersion, f.MinorVersion ?? '', f.BuildVersion, f.RevisionVersion);
    if (b) out.push({ time: rec.time, build: formatBuild(b), source: rec.at });
  }
  const t = f.TargetServerVersion;
  if (t) {
    const b = parseBuild(t);
    if (b) out.push({ time: rec.time, build: formatBuild(b), source: rec.at, role: 'backend' });
  }
  const ed = f.EventData;
  if (ed) {
    const m = RE_BLD.exec(ed);
    const b = m ? parseBuild(m[1]) : undefined;
    if (b) out.push({ time: rec.time, build: formatBuild(b), source: rec.at });
  }
  return out;
}

/** The '#Version:' header of an Exchange CSV log; `time` is the file's '#Date:' (epoch ms). */
export function observationFromHeader(versionLine: string, time: number, at: Evidence): BuildObservation | undefined {
  const b = parseBuild(versionLine.replace(/^#Version:\s*/i, ''));
  return b ? { time, build: formatBuild(b), source: at } : undefined;
}

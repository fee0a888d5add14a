// Live discovery and exports together: what `scan --live` reads and `collect` packs, identically, so a
// collection scanned elsewhere gives the same answer as the scan on the server.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { discover, type LivePlan, type Unreadable } from './discover.js';
import { enumerate, type LiveFile, type Range } from './enumerate.js';
import { exportEvidence } from './exports.js';
import type { Host } from './host.js';

export interface LiveEvidence {
  plan: LivePlan;
  /** copied files and exports, sorted by member name */
  files: LiveFile[];
  unreadable: Unreadable[];
  notes: string[];
  /** the private temporary folder holding the exports */
  tmp: string;
  /** removes the exports; safe to call twice */
  cleanup(): Promise<void>;
}

export async function gatherLive(host: Host, range: Range = {}): Promise<LiveEvidence> {
  const plan = await discover(host);
  const tmp = await mkdtemp(join(host.tmpdir, 'exhunt-live-'));
  const cleanup = (): Promise<void> => rm(tmp, { recursive: true, force: true });
  try {
    const ex = await exportEvidence(host, plan, tmp, range);
    const en = await enumerate(host, plan, range);
    const files = [...en.files, ...ex.files].sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
    return { plan, files, unreadable: [...plan.unreadable, ...ex.unreadable, ...en.unreadable], notes: [...plan.notes, ...ex.notes, ...en.notes, ...clockNotes(files, host.now())], tmp, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** Files written "in the future" mean the host clock, or those times, are wrong; the analyst must know before trusting a timeline. */
export function clockNotes(files: LiveFile[], now: number): string[] {
  const ahead = files.filter((f) => f.kind !== 'export' && f.mtime > now + 3_600_000);
  if (!ahead.length) return [];
  const latest = Math.max(...ahead.map((f) => f.mtime));
  return [`${ahead.length} files were modified after this host's current time (${new Date(now).toISOString()}; latest ${new Date(latest).toISOString()}, ${ahead[0]!.origin}): the host clock or those times are wrong; check before trusting the timeline.`];
}

/** One paragraph for the report: what was read live and from where. */
export function liveSummary(ev: LiveEvidence): string {
  const copied = ev.files.filter((f) => f.kind !== 'export');
  const evtx = ev.files.filter((f) => f.how.startsWith('exported with wevtutil')).length;
  const reg = ev.files.filter((f) => f.how.startsWith('exported with reg')).length;
  const install = ev.plan.installPath ? `Exchange at ${ev.plan.installFrom}` : 'no Exchange install found';
  return `Read live on ${ev.plan.host}: ${install}; ${copied.length} files read in place from ${ev.plan.sources.length} folders; ${evtx} event logs exported with wevtutil and ${reg} registry keys with reg export to a temporary folder, removed after the scan; ${ev.unreadable.length} items not readable.`;
}

// Event logs and registry keys cannot be copied while Windows holds them open, so they are exported with
// the system's own tools into a private temporary folder: `wevtutil epl` (optionally limited to the date
// range by an XPath query on TimeCreated) and `reg export`. The caller removes the folder afterwards.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LivePlan, Unreadable } from './discover.js';
import type { LiveFile, Range } from './enumerate.js';
import type { Host } from './host.js';
import { memberName } from './member-name.js';
import { joinWin } from './win-path.js';

export interface Exported {
  files: LiveFile[];
  unreadable: Unreadable[];
  notes: string[];
}

/** Windows names a channel's file by replacing '/' with '%4' (Microsoft-Windows-PowerShell%4Operational.evtx). */
export function channelFileName(channel: string): string {
  return channel.replace(/\//g, '%4') + '.evtx';
}

export function timeQuery(range: Range): string | undefined {
  const c: string[] = [];
  if (range.since !== undefined) c.push(`@SystemTime>='${new Date(range.since).toISOString()}'`);
  if (range.until !== undefined) c.push(`@SystemTime<='${new Date(range.until).toISOString()}'`);
  return c.length ? `*[System[TimeCreated[${c.join(' and ')}]]]` : undefined;
}

function why(out: string, code: number): string {
  const text = out.replace(/\s+/g, ' ').trim().slice(0, 300);
  return text || `exit code ${code}`;
}

const ABSENT = /15007|could not be found|unable to find|cannot find|not found/i;

async function fileStat(p: string): Promise<{ size: number; mtime: number } | undefined> {
  try {
    const st = await stat(p);
    return st.isFile() ? { size: st.size, mtime: st.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

export async function exportEvidence(host: Host, plan: LivePlan, dir: string, range: Range = {}): Promise<Exported> {
  const out: Exported = { files: [], unreadable: [], notes: [] };
  if (!host.running) return out;
  const absent: string[] = [];
  const q = timeQuery(range);
  for (const channel of plan.channels) {
    const name = channelFileName(channel);
    const local = join(dir, name);
    const args = ['epl', channel, local, '/ow:true', ...(q ? [`/q:${q}`] : [])];
    const r = await host.run('wevtutil', args);
    const st = r.code === 0 ? await fileStat(local) : undefined;
    if (st) {
      const member = memberName(joinWin(plan.windir, 'System32', 'winevt', 'Logs', name));
      out.files.push({ origin: `wevtutil epl "${channel}"${q ? ' (date range)' : ''}`, local, member, ...st, kind: 'export', how: 'exported with wevtutil epl' });
    } else if (ABSENT.test(r.stderr + r.stdout)) absent.push(channel);
    else out.unreadable.push({ path: `event log ${channel}`, reason: r.code === 0 ? 'wevtutil epl reported success but wrote no file' : `wevtutil epl failed: ${why(r.stderr || r.stdout, r.code)}` });
  }
  if (absent.length) out.notes.push(`Event-log channels not present on this server: ${absent.join(', ')}.`);
  for (const key of plan.regKeys) {
    const name = key.replace(/[\\/:*?"<>| ]+/g, '-') + '.reg';
    const local = join(dir, name);
    const r = await host.run('reg', ['export', key, local, '/y']);
    const st = r.code === 0 ? await fileStat(local) : undefined;
    if (st) out.files.push({ origin: `reg export ${key}`, local, member: `registry/${name}`, ...st, kind: 'export', how: 'exported with reg export' });
    else if (ABSENT.test(r.stderr + r.stdout)) out.notes.push(`Registry key ${key} not present.`);
    else out.unreadable.push({ path: `registry ${key}`, reason: r.code === 0 ? 'reg export reported success but wrote no file' : `reg export failed: ${why(r.stderr || r.stdout, r.code)}` });
  }
  return out;
}

// The files of a live plan: each source folder walked on the host's file system, links and junctions not
// followed (they could lead anywhere on the server), overlapping sources taken once, logs limited to the
// date range. Every folder or file that cannot be opened is listed with the reason; the walk goes on.
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Host } from './host.js';
import type { LivePlan, SourceKind, Unreadable } from './discover.js';
import { memberName } from './member-name.js';
import { formatWinPath, winKey, type WinPath } from './win-path.js';

export interface LiveFile {
  /** the Windows path it was read from, or the export it came from ("wevtutil epl Security") */
  origin: string;
  /** where to open it here */
  local: string;
  /** collection-relative path (zip member name; the path the scan reports) */
  member: string;
  size: number;
  mtime: number;
  kind: SourceKind | 'export';
  /** how it was obtained, for the manifest */
  how: string;
}

export interface Range {
  since?: number;
  until?: number;
}

export interface Enumerated {
  files: LiveFile[];
  unreadable: Unreadable[];
  notes: string[];
}

/** Staging folders can hold anything; files past this size are listed, not read. */
export const STAGING_FILE_CAP = 2 ** 30;

/** Day a log file's name says it covers (u_ex210303.log, HttpProxy_2021030301-1.LOG, MSGTRK2021030301-1.LOG). */
export function nameDate(name: string): number | undefined {
  const m = /^u_ex(\d{6})(?:\d{2})?(?:_x)?\.log$/i.exec(name) ?? /(?:^|[_a-z])(\d{8})(?:\d{2})?(?:-\d+)?\.log$/i.exec(name);
  if (!m) return undefined;
  const d = m[1]!.length === 6 ? '20' + m[1] : m[1]!;
  const t = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)));
  return Number.isNaN(t) ? undefined : t;
}

export async function enumerate(host: Host, plan: LivePlan, range: Range = {}): Promise<Enumerated> {
  const files: LiveFile[] = [];
  const unreadable: Unreadable[] = [];
  const seen = new Set<string>();
  let outOfRange = 0;
  let links = 0;
  let overCap = 0;
  for (const src of plan.sources) {
    const stack: WinPath[] = [src.dir];
    while (stack.length) {
      const dir = stack.pop()!;
      const dkey = winKey(dir) + (src.only || src.shallow ? '|part' : '');
      if (seen.has(dkey)) continue;
      seen.add(dkey);
      const local = host.local(formatWinPath(dir));
      if (local === undefined) { unreadable.push({ path: formatWinPath(dir), reason: 'drive or share not reachable' }); continue; }
      let names: string[];
      try {
        names = [];
        for await (const d of await opendir(local)) names.push(d.name);
      } catch (e) {
        unreadable.push({ path: formatWinPath(dir), reason: `folder not readable: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
        continue;
      }
      names.sort();
      for (const name of names) {
        // built from segments, not by joining strings: a name may hold characters Windows treats as separators
        const win: WinPath = { root: dir.root, parts: [...dir.parts, name] };
        if (src.only && !src.only.includes(name.toLowerCase())) continue;
        const abs = join(local, name);
        let st;
        try {
          st = await lstat(abs);
        } catch (e) {
          unreadable.push({ path: formatWinPath(win), reason: `not readable: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
          continue;
        }
        if (st.isSymbolicLink()) { links++; continue; }
        if (st.isDirectory()) { if (!src.only && !src.shallow) stack.push(win); continue; }
        if (!st.isFile()) continue;
        // the folder part ignores case (one folder reached two ways), the name does not: a disk mounted
        // elsewhere, or an NTFS folder marked case-sensitive, can hold Evil.aspx and evil.aspx side by side
        const key = winKey(dir) + '\\' + name;
        if (seen.has(key)) continue;
        seen.add(key);
        if (src.kind === 'log') {
          // a log last written before --since holds nothing after it; one whose name is after --until starts after it
          const nd = nameDate(name);
          if ((range.since !== undefined && st.mtimeMs < range.since) || (range.until !== undefined && nd !== undefined && nd > range.until)) {
            outOfRange++;
            continue;
          }
        }
        if (src.kind === 'staging' && st.size > STAGING_FILE_CAP) {
          overCap++;
          unreadable.push({ path: formatWinPath(win), reason: `not collected: ${st.size} bytes is over the ${STAGING_FILE_CAP}-byte limit for staging folders` });
          continue;
        }
        files.push({ origin: formatWinPath(win), local: abs, member: memberName(win), size: st.size, mtime: st.mtimeMs, kind: src.kind, how: `copied from ${src.what}` });
      }
    }
  }
  const notes: string[] = [];
  if (outOfRange) notes.push(`${outOfRange} log files outside the date range were left out.`);
  if (links) notes.push(`${links} symbolic links or junctions were not followed.`);
  if (overCap) notes.push(`${overCap} large files in staging folders were listed, not collected.`);
  // members must be unique even where two Windows names escape to the same text
  const used = new Set<string>();
  for (const f of files) {
    let m = f.member;
    for (let i = 2; used.has(m.toLowerCase()); i++) m = `${f.member}~${i}`;
    used.add(m.toLowerCase());
    f.member = m;
  }
  files.sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
  return { files, unreadable, notes };
}

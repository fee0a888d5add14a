// Walk a collection folder without following anything out of it. Every entry is reported: files to read,
// and everything else (links out of the root, special files, unreadable folders) with the reason.
import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface WalkedFile {
  /** posix, relative to the root */
  path: string;
  absPath: string;
  size: number;
  mtime: string;
}
export interface WalkSkip {
  path: string;
  reason: string;
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}

export async function walkCollection(root: string, onFile: (f: WalkedFile) => void, onSkip: (s: WalkSkip) => void): Promise<void> {
  const realRoot = await realpath(root);
  const seenDirs = new Set<string>([realRoot]);
  const stack: string[] = [realRoot];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    const relDir = toPosix(relative(realRoot, dir));
    let handle;
    try {
      handle = await opendir(dir);
    } catch (e) {
      onSkip({ path: relDir || '.', reason: `folder not readable: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      continue;
    }
    const names: string[] = [];
    for await (const d of handle) names.push(d.name);
    names.sort();
    for (const name of names) {
      const abs = join(dir, name);
      const rel = toPosix(relative(realRoot, abs));
      let st;
      try {
        st = await lstat(abs);
      } catch (e) {
        onSkip({ path: rel, reason: `not readable: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
        continue;
      }
      if (st.isSymbolicLink()) {
        // A link is followed only when it stays inside the collection; anything else could read the analyst's machine.
        let target: string;
        try {
          target = await realpath(abs);
        } catch {
          onSkip({ path: rel, reason: 'symbolic link to nothing (dangling)' });
          continue;
        }
        if (!inside(realRoot, target)) {
          onSkip({ path: rel, reason: 'symbolic link out of the collection: not followed' });
          continue;
        }
        const tst = await stat(target);
        if (tst.isDirectory()) {
          if (!seenDirs.has(target)) { seenDirs.add(target); stack.push(target); }
          else onSkip({ path: rel, reason: 'symbolic link to a folder already walked (loop): not followed' });
          continue;
        }
        if (tst.isFile()) onFile({ path: rel, absPath: target, size: tst.size, mtime: tst.mtime.toISOString() });
        else onSkip({ path: rel, reason: 'symbolic link to a special file: not read' });
        continue;
      }
      if (st.isDirectory()) {
        if (!seenDirs.has(abs)) { seenDirs.add(abs); stack.push(abs); }
        continue;
      }
      if (!st.isFile()) {
        onSkip({ path: rel, reason: 'special file (device, socket or pipe): not read' });
        continue;
      }
      onFile({ path: rel, absPath: abs, size: st.size, mtime: st.mtime.toISOString() });
    }
  }
}

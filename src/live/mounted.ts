// A Windows disk seen from elsewhere: drive letters mapped to local folders (a mounted image, or the fake
// layout tests build), Windows paths resolved case-insensitively as NTFS would, and the environment,
// registry and export commands supplied by the caller (absent by default: a mounted disk has no running
// wevtutil). This is the stand-in the live code is tested through.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host, RunResult } from './host.js';
import { parseWinPath } from './win-path.js';

export interface MountOptions {
  name: string;
  /** 'C' -> '/mnt/c'; 'UNC/server/share' -> a folder */
  drives: Record<string, string>;
  env?: Record<string, string>;
  run?: (file: string, args: string[]) => Promise<RunResult>;
  tmpdir?: string;
  now?: () => number;
}

/** The entry of `dir` that matches `name`: exact first, else the one equal ignoring case. */
function matchEntry(dir: string, name: string): string {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return name;
  }
  if (entries.includes(name)) return name;
  const lower = name.toLowerCase();
  return entries.find((e) => e.toLowerCase() === lower) ?? name;
}

export function mountedHost(o: MountOptions): Host {
  const env = new Map(Object.entries(o.env ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const drives = new Map(Object.entries(o.drives).map(([k, v]) => [k.toUpperCase(), v]));
  return {
    name: o.name,
    env: (n) => env.get(n.toLowerCase()),
    run: o.run ?? (async (file) => ({ code: -1, stdout: '', stderr: `${file} is not available on a mounted disk` })),
    // with commands supplied, it stands in for a running server (tests); without, it is a disk at rest
    running: o.run !== undefined,
    local: (winPath) => {
      const p = parseWinPath(winPath);
      const base = p ? drives.get(p.root.toUpperCase()) : undefined;
      if (!p || base === undefined) return undefined;
      let cur = base;
      for (const part of p.parts) cur = join(cur, matchEntry(cur, part));
      return cur;
    },
    tmpdir: o.tmpdir ?? tmpdir(),
    now: o.now ?? (() => Date.now()),
  };
}

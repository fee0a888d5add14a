// Running a command and measuring it: wall time and peak RSS (GNU time's %M), output kept for checks.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Measured {
  seconds: number;
  /** peak resident set size in MiB, when /usr/bin/time is there */
  peakMiB?: number;
  stdout: string;
  status: number | null;
}

export function measure(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Measured {
  const gnuTime = existsSync('/usr/bin/time');
  const argv = gnuTime ? ['-f', '%e %M', cmd, ...args] : args;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(gnuTime ? '/usr/bin/time' : cmd, argv, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const out: Measured = { seconds: wall, stdout: r.stdout ?? '', status: r.status };
  if (gnuTime) {
    const m = /(\d+(?:\.\d+)?) (\d+)\s*$/.exec(r.stderr ?? '');
    if (m) { out.seconds = Number(m[1]); out.peakMiB = Number(m[2]) / 1024; }
  }
  return out;
}

export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function fmtRatio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

// Everything exhunt asks of the machine it runs on for --live and collect, behind one small interface:
// environment, registry values, the two export commands, and where a Windows path is on the local file
// system. The real host is Windows; tests stand in a fake layout and stubbed sources here, at the edge.
import { execFile } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Host {
  /** the computer name the collection is labelled with */
  name: string;
  /** an environment variable, case-insensitive as on Windows */
  env(name: string): string | undefined;
  /** runs a program (no shell); never throws for a non-zero exit or a missing program (code -1) */
  run(file: string, args: string[]): Promise<RunResult>;
  /** false for a disk that is not running (mounted elsewhere): event logs are copied, not exported */
  running: boolean;
  /** the local path to open for a Windows path; undefined when that drive or share is not reachable */
  local(winPath: string): string | undefined;
  /** where temporary exports go (a private folder is made inside it) */
  tmpdir: string;
  now(): number;
}

/** Runs a program with its output captured as text (Windows tools print in the OEM code page; ASCII is enough here). */
export function runProgram(file: string, args: string[], timeoutMs = 15 * 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { windowsHide: true, timeout: timeoutMs, maxBuffer: 16 << 20, encoding: 'latin1' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? (err as unknown as { code: number }).code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) + (err && code === -1 ? (err as Error).message : '') });
    });
  });
}

/** The machine exhunt runs on: only meaningful on Windows (paths are used as they are). */
export function windowsHost(): Host {
  return {
    name: process.env['COMPUTERNAME'] ?? hostname(),
    env: (n) => process.env[n],
    run: runProgram,
    running: true,
    local: (p) => p,
    tmpdir: tmpdir(),
    now: () => Date.now(),
  };
}

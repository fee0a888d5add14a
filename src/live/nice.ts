// --nice: a scan or collection on a production server must not slow mail. The process drops to below-normal
// priority (Windows: BELOW_NORMAL_PRIORITY_CLASS; elsewhere nice 10, which worker threads started later
// inherit) and, unless -j says otherwise, uses half the cores.
import { availableParallelism, constants, setPriority } from 'node:os';

/** Lowers this process's priority; returns a note for the report (or why it could not). */
export function lowerPriority(): string {
  try {
    setPriority(0, constants.priority.PRIORITY_BELOW_NORMAL);
    return 'Ran at below-normal priority (--nice).';
  } catch (e) {
    return `--nice: the priority could not be lowered (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`;
  }
}

export function niceThreads(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

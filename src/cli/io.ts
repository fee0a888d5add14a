// What every command gets: where to print, and whether stdout is a terminal (for colour).
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export const EXIT = {
  /** nothing found */
  clean: 0,
  /** findings short of exploitation */
  findings: 1,
  /** exploited or compromised */
  exploited: 2,
  usage: 3,
  io: 4,
} as const;

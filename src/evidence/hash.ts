import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { mapConcurrent } from '../concurrent.js';

const CHUNK = 1 << 20;

/** SHA-256 of a file, read in 1 MiB chunks (flat memory whatever the size). */
export async function sha256File(absPath: string): Promise<string> {
  const h = createHash('sha256');
  const fh = await open(absPath, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      h.update(bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return h.digest('hex');
}

/** The first bytes of a file, for sniffing its format. */
export async function readHead(absPath: string, bytes = 4096): Promise<Buffer> {
  const fh = await open(absPath, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** SHA-256 of many files with several reads in flight; a file that cannot be read gives its error. */
export function sha256Files(paths: string[], inFlight = 16): Promise<(string | Error)[]> {
  return mapConcurrent(paths, inFlight, (p) => sha256File(p).catch((e: Error) => e));
}

// The collection's file list as the lead's evidence intake hands it over, and bounded reads from it.
import { open } from 'node:fs/promises';

export interface CollectionFile {
  /** collection-relative posix path, whatever the collector prefix (C/, uploads/auto/C%3A/, full layout) */
  path: string;
  absPath: string;
  size: number;
}

/** Read at most `cap` bytes from the start of a file; never throws (errors come back as a string). */
export async function readCapped(absPath: string, cap: number): Promise<{ buf: Buffer; truncated: boolean } | { error: string }> {
  let fh;
  try {
    fh = await open(absPath, 'r');
    const st = await fh.stat();
    const len = Math.min(st.size, cap);
    const buf = Buffer.alloc(len);
    let got = 0;
    while (got < len) {
      const { bytesRead } = await fh.read(buf, got, len - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { buf: buf.subarray(0, got), truncated: st.size > cap };
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Decode a path segment the way some collectors escape it (C%3A). */
export function decodedPath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

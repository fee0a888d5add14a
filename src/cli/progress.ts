// A progress line on stderr for scans that take more than a moment. It redraws at most 5 times a
// second and only on a terminal, so it costs nothing measurable and never pollutes piped output.
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, delayMs = 2000): Progress {
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      if (!stream.isTTY) return;
      const now = Date.now();
      if (now - started < delayMs || now - last < 200) return;
      last = now;
      shown = true;
      const pct = total > 0 ? Math.min(100, (done / total) * 100) : 0;
      const mbs = done / 1048576 / ((now - started) / 1000);
      const width = 30;
      const fill = Math.round((pct / 100) * width);
      stream.write(`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${pct.toFixed(0).padStart(3)}%  ${(done / 1048576).toFixed(0)}/${(total / 1048576).toFixed(0)} MB  ${mbs.toFixed(0)} MB/s `);
    },
    finish() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

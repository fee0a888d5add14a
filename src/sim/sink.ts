// Streaming output: big string buffers flushed with writeSync, line counting for the ground truth,
// file count and byte totals. Memory stays flat whatever the run size.
import { closeSync, mkdirSync, openSync, utimesSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PathMapper, type Layout } from './layout.js';

const BUF_SIZE = 1 << 20;
const CHUNK = 1 << 14;

declare module 'node:buffer' {
  interface Buffer {
    /** Node's internal fast UTF-8 write (no argument checks); returns bytes written */
    utf8Write(s: string, offset: number): number;
  }
}

export class LogFile {
  /** physical lines written so far (the next line written is lines + 1) */
  lines = 0;
  bytes = 0;
  lastTime = 0;
  private readonly buf = Buffer.allocUnsafe(BUF_SIZE);
  private pos = 0;
  private readonly fd: number;
  private readonly eol: string;
  private pending = '';

  constructor(
    readonly path: string,
    private readonly abs: string,
    eol: string,
    bom: boolean,
  ) {
    mkdirSync(dirname(abs), { recursive: true });
    this.fd = openSync(abs, 'w');
    this.eol = eol;
    if (bom) this.pos = this.buf.write('\ufeff', 0);
  }

  /** Appends one record and returns the 1-based line it starts on. `extraBreaks`: line breaks inside the record. */
  line(text: string, time = 0, extraBreaks = 0): number {
    const at = this.lines + 1;
    this.lines += 1 + extraBreaks;
    if (time > this.lastTime) this.lastTime = time;
    // lines gather in a short string, copied into the byte buffer in chunks (fewer native calls, small ropes)
    this.pending += text + this.eol;
    if (this.pending.length >= CHUNK) this.drain();
    return at;
  }

  private drain(): void {
    const p = this.pending;
    this.pending = '';
    // worst case 3 bytes per UTF-16 unit
    if (p.length * 3 > BUF_SIZE - this.pos) {
      this.flush();
      if (p.length * 3 > BUF_SIZE) {
        this.bytes += writeSync(this.fd, p);
        return;
      }
    }
    this.pos += this.buf.utf8Write(p, this.pos);
  }

  flush(): void {
    if (this.pending.length > 0) this.drain();
    if (this.pos === 0) return;
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.bytes += this.pos;
    this.pos = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
    if (this.lastTime > 0) {
      const s = this.lastTime / 1000;
      utimesSync(this.abs, s, s);
    }
  }
}

export interface FileOptions {
  eol?: '\r\n' | '\n';
  bom?: boolean;
}

export class CollectionWriter {
  readonly mapper: PathMapper;
  files = 0;
  bytes = 0;

  constructor(readonly root: string, layout: Layout) {
    this.mapper = new PathMapper(layout);
    mkdirSync(root, { recursive: true });
  }

  /** Opens a streaming text log. The caller closes it (via close()) so totals are counted. */
  open(logical: string, opts: FileOptions = {}): LogFile {
    const rel = this.mapper.map(logical);
    return new LogFile(rel, join(this.root, rel), opts.eol ?? '\r\n', opts.bom ?? false);
  }

  close(f: LogFile): void {
    f.close();
    this.files++;
    this.bytes += f.bytes;
  }

  /** Writes a whole small file; returns its collection-relative path. */
  writeFile(logical: string, content: string | Uint8Array, time?: number): string {
    const rel = this.mapper.map(logical);
    const abs = join(this.root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    const fd = openSync(abs, 'w');
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    writeSync(fd, data);
    closeSync(fd);
    if (time !== undefined) utimesSync(abs, time / 1000, time / 1000);
    this.files++;
    this.bytes += data.length;
    return rel;
  }

  /** An empty folder (stock IIS folders); not representable in the loose layout. */
  mkdir(logical: string): void {
    if (this.mapper.layout === 'loose') return;
    mkdirSync(join(this.root, this.mapper.map(logical)), { recursive: true });
  }
}

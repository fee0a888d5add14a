// Streaming output: big string buffers flushed with writeSync, line counting for the ground truth,
// file count and byte totals. Memory stays flat whatever the run size.
import { closeSync, mkdirSync, openSync, utimesSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { csvField } from './csv.js';
import { PathMapper, type Layout } from './layout.js';

const BUF_SIZE = 1 << 20;

declare module 'node:buffer' {
  interface Buffer {
    /** Node's internal fast UTF-8 write (no argument checks); returns bytes written */
    utf8Write(s: string, offset: number): number;
  }
}

/**
 * A log being written. Lines are either passed whole (line()) or built piece by piece straight into the byte
 * buffer (s/w/c/n/digits, then end()), which is the bulk path: no intermediate line strings, little garbage.
 */
export class LogFile {
  /** physical lines written so far (the next line written is lines + 1) */
  lines = 0;
  bytes = 0;
  lastTime = 0;
  private readonly buf: Buffer;
  private pos = 0;
  private readonly fd: number;
  private readonly crlf: boolean;

  constructor(
    readonly path: string,
    private readonly abs: string,
    eol: string,
    bom: boolean,
    buf?: Buffer,
  ) {
    this.buf = buf ?? Buffer.allocUnsafe(BUF_SIZE);
    this.fd = openSync(abs, 'w');
    this.crlf = eol === '\r\n';
    if (bom) this.pos = this.buf.write('\ufeff', 0);
  }

  /** Appends one whole record and returns the 1-based line it starts on. `extraBreaks`: line breaks inside it. */
  line(text: string, time = 0, extraBreaks = 0): number {
    this.s(text);
    return this.end(time, extraBreaks);
  }

  /** Ends the line being built; returns its 1-based line number. */
  end(time = 0, extraBreaks = 0): number {
    if (this.pos + 2 > BUF_SIZE) this.flush();
    if (this.crlf) this.buf[this.pos++] = 13;
    this.buf[this.pos++] = 10;
    const at = this.lines + 1;
    this.lines += 1 + extraBreaks;
    if (time > this.lastTime) this.lastTime = time;
    return at;
  }

  /** raw text */
  s(str: string): void {
    const len = str.length;
    if (this.pos + len * 3 > BUF_SIZE) {
      this.flush();
      if (len * 3 > BUF_SIZE) {
        this.bytes += writeSync(this.fd, str);
        return;
      }
    }
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < len; i++) {
      const c = str.charCodeAt(i);
      if (c > 127) {
        // rare: hand the rest to the UTF-8 encoder
        this.pos = pos + buf.utf8Write(str.slice(i), pos);
        return;
      }
      buf[pos++] = c;
    }
    this.pos = pos;
  }

  /** a W3C field: '-' when empty, spaces as '+' */
  w(str: string): void {
    const len = str.length;
    if (len === 0) return this.ch(45);
    if (this.pos + len * 3 > BUF_SIZE) this.flush();
    if (len * 3 > BUF_SIZE) return this.s(str.replace(/ /g, '+'));
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < len; i++) {
      let c = str.charCodeAt(i);
      if (c > 127) {
        this.pos = pos + buf.utf8Write(str.slice(i).replace(/ /g, '+'), pos);
        return;
      }
      if (c === 32) c = 43;
      buf[pos++] = c;
    }
    this.pos = pos;
  }

  /** a CSV field: quoted (inner quotes doubled) when it holds a comma, quote or line break */
  c(str: string): void {
    const start = this.pos;
    const len = str.length;
    if (start + len * 3 > BUF_SIZE) return this.s(csvField(str));
    const buf = this.buf;
    let pos = start;
    for (let i = 0; i < len; i++) {
      const c = str.charCodeAt(i);
      if (c === 44 || c === 34 || c === 10 || c === 13 || c > 127) {
        this.pos = start;
        return this.s(csvField(str));
      }
      buf[pos++] = c;
    }
    this.pos = pos;
  }

  /** pre-encoded bytes (long constant pieces: a native copy beats a character loop) */
  b(bytes: Uint8Array): void {
    if (this.pos + bytes.length > BUF_SIZE) {
      this.flush();
      if (bytes.length > BUF_SIZE) {
        this.bytes += writeSync(this.fd, bytes);
        return;
      }
    }
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** one ASCII character */
  ch(code: number): void {
    if (this.pos + 1 > BUF_SIZE) this.flush();
    this.buf[this.pos++] = code;
  }

  /** a non-negative integer */
  n(v: number): void {
    if (!(v >= 0 && v < 1e15) || v !== Math.floor(v)) return this.s(String(v));
    if (this.pos + 16 > BUF_SIZE) this.flush();
    let width = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) width++;
    this.digits(v, width);
  }

  /** an integer zero-padded to `width` digits (times) */
  digits(v: number, width: number): void {
    if (this.pos + width > BUF_SIZE) this.flush();
    const buf = this.buf;
    for (let i = width - 1; i >= 0; i--) {
      buf[this.pos + i] = 48 + (v % 10);
      v = Math.floor(v / 10);
    }
    this.pos += width;
  }

  flush(): void {
    if (this.pos === 0) return;
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.bytes += this.pos;
    this.pos = 0;
  }

  /** closes the file; returns the buffer for reuse */
  close(): Buffer {
    this.flush();
    closeSync(this.fd);
    if (this.lastTime > 0) {
      const s = this.lastTime / 1000;
      utimesSync(this.abs, s, s);
    }
    return this.buf;
  }
}

export interface FileOptions {
  eol?: '\r\n' | '\n';
  bom?: boolean;
}

export class CollectionWriter {
  readonly mapper: PathMapper;
  /** write buffers of closed logs, reused (hourly files open and close by the thousand) */
  private readonly spare: Buffer[] = [];
  files = 0;
  bytes = 0;

  constructor(readonly root: string, layout: Layout) {
    this.mapper = new PathMapper(layout);
    mkdirSync(root, { recursive: true });
  }

  private readonly made = new Set<string>();
  private ensureDir(dir: string): void {
    if (this.made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.made.add(dir);
  }

  /** Opens a streaming text log. The caller closes it (via close()) so totals are counted. */
  open(logical: string, opts: FileOptions = {}): LogFile {
    const rel = this.mapper.map(logical);
    this.ensureDir(dirname(join(this.root, rel)));
    return new LogFile(rel, join(this.root, rel), opts.eol ?? '\r\n', opts.bom ?? false, this.spare.pop());
  }

  close(f: LogFile): void {
    const buf = f.close();
    if (this.spare.length < 64) this.spare.push(buf);
    this.files++;
    this.bytes += f.bytes;
  }

  /** Writes a whole small file; returns its collection-relative path. */
  writeFile(logical: string, content: string | Uint8Array, time?: number): string {
    const rel = this.mapper.map(logical);
    const abs = join(this.root, rel);
    this.ensureDir(dirname(abs));
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

// exhunt evtx dump FILE [--format xml|json|jsonl] [--threads N]: prints a Windows event log's records.
import { parseArgs, str, UsageError } from './args.js';
import { EXIT } from './io.js';
import { readEvtx } from '../readers/evtx/read.js';
import type { EvtxProblem, EvtxRecord } from '../readers/evtx/chunk.js';

const HELP = `Usage: exhunt evtx dump FILE [--format xml|json|jsonl] [--threads N]

Prints every record of a Windows event log (.evtx), in file order.
  --format xml     the records as event XML (default)
  --format json    one JSON array of {record, offset, time, fields}
  --format jsonl   one JSON object per line
  --threads N      worker threads for parsing (default: all cores)
Problems (corrupt chunks, bad records) go to stderr; the rest of the file is still read.
`;

type Out = NodeJS.WritableStream;

interface Sink {
  /** the reader went away (e.g. \`| head\`): stop quietly */
  closed: boolean;
  write(s: string): Promise<void>;
  flush(): Promise<void>;
  end(): void;
}

/** Buffered writer that respects backpressure, so a multi-GB dump does not pile up in memory. */
function sink(out: Out): Sink {
  let buf = '';
  let wake: (() => void) | undefined;
  const onError = (): void => {
    self.closed = true;
    wake?.();
  };
  out.on('error', onError);
  const push = (s: string): Promise<void> =>
    new Promise((resolve) => {
      if (self.closed || out.write(s)) return resolve();
      wake = resolve;
      out.once('drain', () => resolve());
    });
  const self: Sink = {
    closed: false,
    end() {
      out.off('error', onError);
    },
    async write(s: string) {
      buf += s;
      if (buf.length >= 1 << 16) {
        const b = buf;
        buf = '';
        await push(b);
      }
    },
    async flush() {
      if (buf) await push(buf);
      buf = '';
    },
  };
  return self;
}

// JSON.stringify escapes C0 controls; C1 controls (U+007F-U+009F) can drive some terminals too
const C1 = /[\u007f-\u009f]/g;
function json(v: unknown): string {
  return JSON.stringify(v).replace(C1, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function jsonRecord(r: EvtxRecord): string {
  return json({ record: r.at.record, offset: r.at.offset, time: Number.isNaN(r.time) ? null : new Date(r.time).toISOString(), fields: r.fields });
}

export async function evtxCommand(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    (sub === undefined ? io.stderr : io.stdout).write(HELP);
    return sub === undefined ? EXIT.usage : EXIT.clean;
  }
  if (sub !== 'dump') throw new UsageError(`unknown evtx subcommand ${JSON.stringify(sub)} (try: exhunt evtx dump FILE)`);
  const args = parseArgs(rest, { format: { value: true, short: 'f' }, threads: { value: true }, help: { short: 'h' } });
  if (args.flags.help) {
    io.stdout.write(HELP);
    return EXIT.clean;
  }
  const format = str(args, 'format') ?? 'xml';
  if (format !== 'xml' && format !== 'json' && format !== 'jsonl') throw new UsageError(`--format must be xml, json or jsonl, not ${format}`);
  const threadsArg = str(args, 'threads');
  const threads = threadsArg === undefined ? undefined : Number(threadsArg);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new UsageError(`--threads wants a whole number of at least 1`);
  if (args.positionals.length !== 1) throw new UsageError('evtx dump takes exactly one FILE');
  const path = args.positionals[0]!;

  const out = sink(io.stdout);
  const problems: EvtxProblem[] = [];
  const onProblem = (p: EvtxProblem): void => {
    problems.push(p);
    io.stderr.write(`exhunt evtx: ${json(p.path).slice(1, -1)}: ${p.message}\n`);
  };
  let n = 0;
  if (format === 'json') await out.write('[');
  for await (const r of readEvtx(path, { xml: format === 'xml', onProblem, ...(threads ? { threads } : {}) })) {
    if (format === 'xml') await out.write(r.xml ?? '');
    else if (format === 'jsonl') await out.write(jsonRecord(r) + '\n');
    else await out.write((n ? ',\n' : '\n') + jsonRecord(r));
    n++;
    if (out.closed) break;
  }
  if (format === 'json') await out.write(n ? '\n]\n' : ']\n');
  await out.flush();
  out.end();
  // nothing readable at all (missing file, not an EVTX file): an I/O failure; otherwise problems are warnings
  return n === 0 && problems.length > 0 ? EXIT.io : EXIT.clean;
}

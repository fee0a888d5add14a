// exhunt scan COLLECTION: one server's collected evidence (folder or .zip) -> verdict and findings.
import { writeFile } from 'node:fs/promises';
import { EvidenceError } from '../evidence/gather.js';
import { FORMATS, isFormat, renderFormat } from '../report/render.js';
import { scanCollection, type ScanOptions } from '../scan/run-scan.js';
import { LEVELS, type Level, type ScanResult } from '../types.js';
import { bool, list, parseArgs, str, timeArg, UsageError, type FlagSpec, type Parsed } from './args.js';
import { EXIT, type CliIo } from './io.js';
import { createProgress } from './progress.js';

export const SCAN_FLAGS: Record<string, FlagSpec> = {
  format: { value: true, short: 'f' },
  out: { value: true, short: 'o' },
  host: { value: true },
  sigma: { value: true, repeat: true },
  'no-builtin-rules': {},
  yara: { value: true, repeat: true },
  baseline: { value: true, repeat: true },
  threads: { value: true, short: 'j' },
  since: { value: true },
  until: { value: true },
  'min-level': { value: true },
  upload: { value: true },
  token: { value: true },
  verbose: { short: 'v' },
  color: {},
  'no-color': {},
  quiet: { short: 'q' },
  live: {},
  mount: { value: true, repeat: true },
  nice: {},
};

export const SCAN_HELP = `Usage: exhunt scan COLLECTION [options]

COLLECTION is a folder or a .zip with one Exchange server's evidence (IIS and Exchange logs, event
logs, web folders, configuration), in any collector's layout (full copy, KAPE, Velociraptor, loose files).
Nothing in it is ever written to.

Options:
  -f, --format FMT     text (default), json, jsonl (one finding a line), csv, html (self-contained
                       report to hand on), stix (STIX 2.1 bundle of the observed indicators) or
                       ecs (Elastic Common Schema NDJSON)
  -o, --out FILE       write the report to FILE instead of standard output
      --host NAME      host name to report (default: from the evidence, else the folder name)
      --sigma PATH     also load these Sigma rules (file or folder; repeatable)
      --no-builtin-rules  only the rules given with --sigma
      --yara DIR       also load these YARA rules for web folders (repeatable)
      --baseline DIR   hashes of stock Exchange web files per build (repeatable;
                       default: ../shared/corpora/exchange-baselines when present)
  -j, --threads N      worker threads (default: one per core)
      --since DATE     leave out findings before DATE (2021-03-01 or an ISO date-time, UTC)
      --until DATE     leave out findings after DATE
      --min-level LVL  informational, low, medium, high or critical
      --upload URL     also send the result to an exhunt serve fleet server (URL?tenant=NAME)
      --token T        the API token for --upload (scope ingest); or EXHUNT_TOKEN
  -v, --verbose        text report: list every finding, not three examples per rule
      --color / --no-color  force colour on or off (default: on for a terminal)
  -q, --quiet          no progress line
      --live           scan this Windows Exchange server in place (no COLLECTION); exports event logs and
                       registry keys to a temporary folder, removed after
      --mount L=DIR    with --live: a Windows disk mounted at DIR as drive L (repeatable; C=/mnt/c)
      --nice           below-normal priority and half the cores, so the server keeps serving mail

Exit codes: 0 nothing found; 1 findings short of exploitation (attempted, vulnerable, inconclusive);
2 exploited or compromised; 3 usage error; 4 the evidence could not be read.
`;

export function scanOptionsFrom(p: Parsed): ScanOptions {
  const opts: ScanOptions = { sigma: list(p, 'sigma'), yara: list(p, 'yara') };
  const baseline = list(p, 'baseline');
  if (baseline.length) opts.baseline = baseline;
  const host = str(p, 'host');
  if (host) opts.host = host;
  if (bool(p, 'no-builtin-rules')) opts.noBuiltinRules = true;
  const threads = str(p, 'threads');
  if (threads !== undefined) {
    const n = Number(threads);
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError('--threads wants a whole number from 1 to 256');
    opts.threads = n;
  }
  const since = timeArg(p, 'since');
  if (since !== undefined) opts.since = since;
  const until = timeArg(p, 'until');
  if (until !== undefined) opts.until = until;
  const min = str(p, 'min-level');
  if (min !== undefined) {
    if (!(LEVELS as readonly string[]).includes(min)) throw new UsageError(`--min-level wants one of ${LEVELS.join(', ')}`);
    opts.minLevel = min as Level;
  }
  return opts;
}

export function exitCodeFor(r: ScanResult): number {
  let code: number = EXIT.clean;
  for (const h of r.hosts) {
    if (h.verdict === 'compromised' || h.verdict === 'exploited') return EXIT.exploited;
    if (h.verdict !== 'clean') code = EXIT.findings;
  }
  return code;
}

/** Renders the result in the chosen format and writes it to --out or stdout; with --upload, also sends it to the fleet. */
export async function writeReport(r: ScanResult, p: Parsed, io: CliIo): Promise<void> {
  const format = str(p, 'format') ?? 'text';
  const out = str(p, 'out');
  const color = bool(p, 'color') || (!bool(p, 'no-color') && !out && !!io.stdout.isTTY && !process.env['NO_COLOR']);
  if (!isFormat(format)) throw new UsageError(`--format wants ${FORMATS.join(', ')}, not ${format}`);
  const text = renderFormat(r, format, { color, verbose: bool(p, 'verbose') });
  if (out) await writeFile(out, text);
  else io.stdout.write(text);
  await uploadIfAsked(r, p, io);
}

/** --upload URL: the finished result goes to an exhunt serve fleet server, once (the request is idempotent). */
async function uploadIfAsked(r: ScanResult, p: Parsed, io: CliIo): Promise<void> {
  const url = str(p, 'upload');
  if (!url) return;
  const token = str(p, 'token') ?? process.env['EXHUNT_TOKEN'];
  if (!token) throw new UsageError('--upload needs --token (or EXHUNT_TOKEN): an API token with the ingest scope');
  const { uploadResult } = await import('../fleet/client.js');
  const done = await uploadResult(url, token, r);
  io.stderr.write(`exhunt: sent to ${url.replace(/[?#].*$/, '')}: ${done.hosts} host(s), ${done.findings} finding(s)${done.duplicates ? `, ${done.duplicates} already stored` : ''} (job ${done.jobId})\n`);
}

export async function scanCommand(argv: string[], io: CliIo): Promise<number> {
  const p = parseArgs(argv, { ...SCAN_FLAGS, help: { short: 'h' } });
  if (bool(p, 'help')) { io.stdout.write(SCAN_HELP); return EXIT.clean; }
  if (bool(p, 'live') || bool(p, 'nice') || list(p, 'mount').length) {
    const code = await (await import('./scan-live.js')).scanLiveCallout(p, io);
    if (code !== undefined) return code;
  }
  if (p.positionals.length !== 1) throw new UsageError('scan wants exactly one COLLECTION (a folder or a .zip); see exhunt scan --help');
  const opts = scanOptionsFrom(p);
  const format = str(p, 'format') ?? 'text';
  if (!isFormat(format)) throw new UsageError(`--format wants ${FORMATS.join(', ')}, not ${format}`);
  const progress = createProgress(io.stderr);
  if (!bool(p, 'quiet')) opts.onProgress = (d, t) => progress.update(d, t);
  let result: ScanResult;
  try {
    result = await scanCollection(p.positionals[0]!, opts);
  } catch (e) {
    progress.finish();
    if (e instanceof EvidenceError) { io.stderr.write(`exhunt: ${e.message}\n`); return EXIT.io; }
    throw e;
  }
  progress.finish();
  await writeReport(result, p, io);
  return exitCodeFor(result);
}

// exhunt report RESULT.json...: any format from saved JSON results, without rescanning. Several results
// become one multi-host report. Results from another schema version get a clear message.
import { readFile, writeFile } from 'node:fs/promises';
import { mergeResults, parseResult, ResultError } from '../report/load.js';
import { FORMATS, isFormat, renderFormat } from '../report/render.js';
import type { ScanResult } from '../types.js';
import { bool, parseArgs, str, UsageError } from './args.js';
import { EXIT, type CliIo } from './io.js';
import { exitCodeFor } from './scan.js';

const HELP = `Usage: exhunt report RESULT.json... [options]

Renders saved results of exhunt scan --format json in another format, without rescanning. Several
results make one report with an overview of all hosts first. The investigation answers (timeline,
attackers, mailboxes, actions) are worked out again from the saved findings.

Options:
  -f, --format FMT     html (default), text, json, jsonl, csv, stix or ecs
  -o, --out FILE       write to FILE instead of standard output
  -v, --verbose        text: every finding
      --color / --no-color
`;

/** Reads and merges saved results; a bad file is a clear message, not a stack trace. */
export async function loadResults(paths: string[]): Promise<ScanResult> {
  const rs: ScanResult[] = [];
  for (const p of paths) {
    let text: string;
    try {
      text = await readFile(p, 'utf8');
    } catch (e) {
      throw new ResultError(`${p}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    rs.push(parseResult(text, p));
  }
  return mergeResults(rs);
}

export async function reportCommand(argv: string[], io: CliIo): Promise<number> {
  const p = parseArgs(argv, { format: { value: true, short: 'f' }, out: { value: true, short: 'o' }, verbose: { short: 'v' }, color: {}, 'no-color': {}, help: { short: 'h' } });
  if (bool(p, 'help')) { io.stdout.write(HELP); return EXIT.clean; }
  if (p.positionals.length === 0) throw new UsageError('report wants one or more RESULT.json files (from exhunt scan --format json); see exhunt report --help');
  const format = str(p, 'format') ?? 'html';
  if (!isFormat(format)) throw new UsageError(`--format wants ${FORMATS.join(', ')}, not ${format}`);
  let r: ScanResult;
  try {
    r = await loadResults(p.positionals);
  } catch (e) {
    if (e instanceof ResultError) { io.stderr.write(`exhunt report: ${e.message}\n`); return EXIT.io; }
    throw e;
  }
  const out = str(p, 'out');
  const color = bool(p, 'color') || (!bool(p, 'no-color') && !out && !!io.stdout.isTTY && !process.env['NO_COLOR']);
  const text = renderFormat(r, format, { color, verbose: bool(p, 'verbose') });
  if (out) await writeFile(out, text);
  else io.stdout.write(text);
  return exitCodeFor(r);
}

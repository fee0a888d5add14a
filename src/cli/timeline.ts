// exhunt timeline COLLECTION|RESULT.json...: every finding and relevant event in time order, as CSV or
// JSONL in Timesketch's import format (message, datetime, timestamp_desc + fields).
import { stat, writeFile } from 'node:fs/promises';
import { EvidenceError } from '../evidence/gather.js';
import { ResultError } from '../report/load.js';
import { buildTimeline, renderTimelineCsv, renderTimelineJsonl } from '../report/timeline.js';
import { scanCollection } from '../scan/run-scan.js';
import type { ScanResult } from '../types.js';
import { bool, parseArgs, str, UsageError } from './args.js';
import { EXIT, type CliIo } from './io.js';
import { loadResults } from './report.js';
import { SCAN_FLAGS, scanOptionsFrom } from './scan.js';

const HELP = `Usage: exhunt timeline COLLECTION|RESULT.json... [options]

Writes the merged timeline (findings from every log, event log and file; requests to dropped files;
where each log family starts and ends; public milestones of the exploit families seen) in Timesketch's
import format. A COLLECTION (folder or .zip) is scanned first; RESULT.json files are read as saved.

Options:
  -f, --format FMT     csv (default) or jsonl
  -o, --out FILE       write to FILE instead of standard output
  and the options of exhunt scan for a COLLECTION (--sigma, --yara, --host, --since, ...).
`;

async function isResultFile(p: string): Promise<boolean> {
  if (!/\.json$/i.test(p)) return false;
  try { return (await stat(p)).isFile(); } catch { return false; }
}

export async function timelineCommand(argv: string[], io: CliIo): Promise<number> {
  const p = parseArgs(argv, { ...SCAN_FLAGS, help: { short: 'h' } });
  if (bool(p, 'help')) { io.stdout.write(HELP); return EXIT.clean; }
  if (p.positionals.length === 0) throw new UsageError('timeline wants a COLLECTION or RESULT.json files; see exhunt timeline --help');
  const format = str(p, 'format') ?? 'csv';
  if (format !== 'csv' && format !== 'jsonl') throw new UsageError(`--format wants csv or jsonl, not ${format}`);
  let r: ScanResult;
  try {
    const json = await Promise.all(p.positionals.map(isResultFile));
    if (json.every(Boolean)) r = await loadResults(p.positionals);
    else if (p.positionals.length === 1) r = await scanCollection(p.positionals[0]!, scanOptionsFrom(p));
    else throw new UsageError('timeline takes one COLLECTION, or any number of RESULT.json files');
  } catch (e) {
    if (e instanceof ResultError || e instanceof EvidenceError) { io.stderr.write(`exhunt timeline: ${e.message}\n`); return EXIT.io; }
    throw e;
  }
  const t = buildTimeline(r);
  const text = format === 'csv' ? renderTimelineCsv(t) : renderTimelineJsonl(t);
  const out = str(p, 'out');
  if (out) await writeFile(out, text);
  else io.stdout.write(text);
  if (t.untimed) io.stderr.write(`exhunt timeline: ${t.events.length} events; ${t.untimed} finding${t.untimed === 1 ? '' : 's'} without a time left out (see the JSON report)\n`);
  return EXIT.clean;
}

// exhunt's command dispatcher: one file per command under src/cli/.
import { UsageError } from './args.js';
import { EXIT, type CliIo } from './io.js';
import { VERSION } from '../version.js';

const HELP = `exhunt ${VERSION}: was this Exchange server hacked? Read-only, offline, from its own evidence.

Usage: exhunt COMMAND [options]

Commands:
  demo                 build a synthetic compromised Exchange server and scan it
  scan COLLECTION      scan one server's collected evidence (folder or .zip); scan --live on the server
  collect --out F.zip  pack this Exchange server's evidence into a zip for offline triage
  report RESULT.json.. render saved results as html, text, csv, stix, ecs ... (several: one report)
  timeline SOURCE      merged timeline of a collection or saved results (Timesketch CSV/JSONL)
  evtx dump FILE       print the records of a Windows event log (xml, json, jsonl)
  probe TARGET...      safe, read-only remote check of the build of servers you own
  serve                the fleet dashboard and API
  worker               a fleet scan worker (with --queue redis://...)

Run exhunt COMMAND --help for a command's options. exhunt --version prints the version.
`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  scan: async () => (await import('./scan.js')).scanCommand,
  collect: async () => (await import('./collect.js')).collectCommand,
  demo: async () => (await import('./demo.js')).demoCommand,
  report: async () => (await import('./report.js')).reportCommand,
  timeline: async () => (await import('./timeline.js')).timelineCommand,
  evtx: async () => (await import('./evtx.js')).evtxCommand,
  probe: async () => (await import('./probe.js')).probeCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
  worker: async () => (await import('./worker.js')).workerCommand,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') { io.stdout.write(HELP); return cmd === undefined ? EXIT.usage : EXIT.clean; }
  if (cmd === '--version' || cmd === '-V') { io.stdout.write(`exhunt ${VERSION}\n`); return EXIT.clean; }
  const load = COMMANDS[cmd];
  if (!load) { io.stderr.write(`exhunt: unknown command ${JSON.stringify(cmd)}\n\n${HELP}`); return EXIT.usage; }
  try {
    return await (await load())(rest, io);
  } catch (e) {
    if (e instanceof UsageError) { io.stderr.write(`exhunt ${cmd}: ${e.message}\n`); return EXIT.usage; }
    io.stderr.write(`exhunt ${cmd}: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.io;
  }
}

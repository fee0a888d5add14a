// Entry point of the single executable (see build-exe.ts): unpack the payload, then run the CLI.
import './build-exe-boot.js';
import { main } from '../src/cli/main.js';

/** Commands built on native modules (SQLite, Redis queue) that the executable leaves out. */
const NEEDS_NPM = new Set(['serve', 'worker']);

const argv = process.argv.slice(2);
if (NEEDS_NPM.has(argv[0] ?? '')) {
  process.stderr.write(`exhunt ${argv[0]}: the fleet server and workers need the npm installation (npm install -g exhunt); this single executable runs scan, scan --live, collect, demo, evtx and probe.\n`);
  process.exitCode = 3;
} else {
  main(argv, { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => { process.stderr.write(`exhunt: ${(e as Error).stack ?? String(e)}\n`); process.exitCode = 4; },
  );
}

// Entry point of the single executable (see build-exe.ts): unpack the payload, then run the CLI.
import './build-exe-boot.js';
import { main } from '../src/cli/main.js';

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => { process.stderr.write(`exhunt: ${(e as Error).stack ?? String(e)}\n`); process.exitCode = 4; },
);

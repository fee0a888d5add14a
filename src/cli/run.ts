// Process entry point: runs the CLI and sets the exit code (bin/exhunt.js imports this module).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });

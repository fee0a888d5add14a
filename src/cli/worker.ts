import { startRemoteWorker } from '../fleet/worker.js';
import { defaultScan, scanFromModule } from '../fleet/queue/types.js';
import { parseFlags } from '../fleet/args.js';

const HELP = `usage: exhunt worker --queue redis://host:6379[?prefix=NAME] --server URL [--token T] [options]
  --queue URL        the Redis that 'exhunt serve --queue' uses
  --server URL       the exhunt serve base URL (collections are fetched from it, results posted to it)
  --token T          an API token with the 'worker' scope (or EXHUNT_TOKEN)
  --concurrency N    scan jobs at once (default 1)
  --lock-ms N        a job whose worker stops answering is retried after this (default 30000)
  --scan-module F    use the scanCollection export of module F instead of exhunt's own scan`;

export async function workerCommand(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const { opts, errors } = parseFlags(argv, { values: ['queue', 'server', 'token', 'concurrency', 'lock-ms', 'scan-module'], flags: ['help'] });
  if (opts['help']) { io.stdout.write(`${HELP}\n`); return 0; }
  const str = (k: string) => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined);
  const token = str('token') ?? process.env['EXHUNT_TOKEN'];
  if (!str('queue')) errors.push('--queue is required');
  if (!str('server')) errors.push('--server is required');
  if (!token) errors.push('--token or EXHUNT_TOKEN is required');
  if (errors.length) { io.stderr.write(`${errors.join('\n')}\n${HELP}\n`); return 2; }
  const mod = str('scan-module');
  let w;
  try {
    w = await startRemoteWorker({
      queue: str('queue')!, server: str('server')!, token: token!,
      scan: mod ? () => scanFromModule(mod) : defaultScan,
      concurrency: Math.max(1, Number(str('concurrency') ?? 1) || 1),
      lockMs: Math.max(1000, Number(str('lock-ms') ?? 30000) || 30000),
      log: (l) => io.stdout.write(`${l}\n`),
    });
  } catch (e) {
    io.stderr.write(`exhunt worker: ${(e as Error).message}\n`);
    return 1;
  }
  await new Promise<void>((res) => {
    process.once('SIGINT', () => res());
    process.once('SIGTERM', () => res());
  });
  await w.close();
  // BullMQ can leave a timer behind after a connection drop; do not let it keep a stopped worker alive
  setTimeout(() => process.exit(0), 2000).unref();
  return 0;
}

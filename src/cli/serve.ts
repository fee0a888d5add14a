import { resolve } from 'node:path';
import { openDb } from '../fleet/db/db.js';
import { migrate } from '../fleet/db/migrations.js';
import { openFleet } from '../fleet/server.js';
import { createUser } from '../fleet/store/users.js';
import { randomToken } from '../fleet/password.js';
import { parseBytes, parseFlags } from '../fleet/args.js';

const HELP = `usage: exhunt serve [options]
  --db PATH|URL        SQLite file (default ./exhunt-fleet.db) or postgres://user@host/db
  --queue URL          redis://host:6379[?prefix=NAME]: hand scan jobs to 'exhunt worker' processes (BullMQ)
  --port N             listen port (default 8080)      --host ADDR   listen address (default 127.0.0.1)
  --data DIR           where uploaded collections wait for a worker (default ./exhunt-data)
  --workers N          in-process scan jobs at once when no --queue is given (default 1)
  --max-upload SIZE    largest collection accepted (default 2G)
  --secure-cookies     mark session cookies Secure (serving over TLS or behind a TLS proxy)
  --trust-proxy        take the client address from X-Forwarded-For (behind a reverse proxy only)
  --init-admin USER    create an admin user, print a generated password, and exit
The first admin can also come from EXHUNT_ADMIN_USER and EXHUNT_ADMIN_PASSWORD when no user exists yet.`;

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

export async function serveCommand(argv: string[], io: Io): Promise<number> {
  const { opts, errors } = parseFlags(argv, {
    values: ['db', 'queue', 'port', 'host', 'data', 'workers', 'max-upload', 'init-admin'],
    flags: ['secure-cookies', 'trust-proxy', 'help'],
  });
  if (opts['help']) { io.stdout.write(`${HELP}\n`); return 0; }
  if (errors.length) { io.stderr.write(`${errors.join('\n')}\n${HELP}\n`); return 2; }
  const str = (k: string) => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined);
  const dbTarget = str('db') ?? resolve('exhunt-fleet.db');

  const initAdmin = str('init-admin');
  if (initAdmin) {
    const db = await openDb(dbTarget);
    try {
      await migrate(db);
      const password = randomToken(18);
      await createUser(db, initAdmin, password, 'admin');
      io.stdout.write(`admin ${initAdmin} created; password (shown once): ${password}\n`);
      return 0;
    } catch (e) {
      io.stderr.write(`exhunt serve: cannot create ${initAdmin}: ${(e as Error).message}\n`);
      return 1;
    } finally {
      await db.close();
    }
  }

  let maxUpload: number | undefined;
  try {
    maxUpload = str('max-upload') ? parseBytes(str('max-upload')!) : undefined;
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const port = Number(str('port') ?? 8080);
  const queue = str('queue');
  let fleet;
  try {
    fleet = await openFleet({
      db: dbTarget, dataDir: resolve(str('data') ?? 'exhunt-data'),
      ...(queue ? { queue } : {}),
      ...(maxUpload ? { maxUploadBytes: maxUpload } : {}),
      secureCookies: opts['secure-cookies'] === true, trustProxy: opts['trust-proxy'] === true,
      inproc: { concurrency: Math.max(1, Number(str('workers') ?? 1) || 1) },
    });
    await envAdmin(fleet.app.db, io);
    const bound = await fleet.listen(port, str('host') ?? '127.0.0.1');
    io.stdout.write(`exhunt serve: http://${str('host') ?? '127.0.0.1'}:${bound}/ (${fleet.app.db.dialect}, ${queue ? 'BullMQ workers' : 'in-process scans'})\n`);
  } catch (e) {
    io.stderr.write(`exhunt serve: ${(e as Error).message}\n`);
    await fleet?.close().catch(() => undefined);
    return 1;
  }
  await new Promise<void>((res) => {
    const stop = () => res();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.stdout.write('exhunt serve: stopping\n');
  await fleet.close();
  return 0;
}

async function envAdmin(db: import('../fleet/db/db.js').Db, io: Io): Promise<void> {
  const user = process.env['EXHUNT_ADMIN_USER'], pw = process.env['EXHUNT_ADMIN_PASSWORD'];
  if (!user || !pw) return;
  const any = await db.get('SELECT id FROM users LIMIT 1');
  if (any) return;
  await createUser(db, user, pw, 'admin');
  io.stdout.write(`exhunt serve: created admin ${user} from the environment\n`);
}

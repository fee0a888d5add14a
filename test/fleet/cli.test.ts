// `exhunt serve` as a user runs it: create the first admin, start, log in, stop on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { login, tempDir } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const exhunt = [join(root, 'bin', 'exhunt.js')];

test('exhunt serve --init-admin prints a password that logs in to a running server', { timeout: 60_000 }, async () => {
  const t = await tempDir();
  try {
    const db = join(t.dir, 'fleet.db');
    const init = await promisify(execFile)(process.execPath, [...exhunt, 'serve', '--db', db, '--init-admin', 'boss'], { cwd: t.dir });
    const password = /password \(shown once\): (\S+)/.exec(init.stdout)?.[1];
    assert.ok(password && password.length >= 20, init.stdout);
    const again = await promisify(execFile)(process.execPath, [...exhunt, 'serve', '--db', db, '--init-admin', 'boss'], { cwd: t.dir }).catch((e: { code: number; stderr: string }) => e);
    assert.equal((again as { code: number }).code, 1, 'the same user twice is refused');

    const child = spawn(process.execPath, [...exhunt, 'serve', '--db', db, '--data', join(t.dir, 'data'), '--port', '0'], { cwd: t.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const end = Date.now() + 20_000;
    while (!/http:\/\/127\.0\.0\.1:\d+\//.test(out)) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`serve did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const base = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out)![1]!;
    const sess = await login(base, 'boss', password!);
    const admin = await fetch(`${base}/admin`, { headers: { cookie: sess.cookie } });
    assert.equal(admin.status, 200);
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', (c) => r(c)));
    assert.equal(code, 0, out);
  } finally {
    await t.cleanup();
  }
});

// scan --upload: the result reaches a real fleet server once, under the token's tenant.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { startServer } from '../fleet/helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function exhunt(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), ...args], { env: { ...process.env, ...env } }, (e, _out, err) => {
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, err: String(err) });
    });
  });
}

test('scan --upload stores the host on the fleet server, and sending it again adds nothing', async () => {
  const s = await startServer();
  try {
    const root = mkdtempSync(join(tmpdir(), 'exhunt-up-'));
    const dir = join(root, 'MAIL01', 'inetpub', 'logs', 'LogFiles', 'W3SVC1');
    mkdirSync(dir, { recursive: true });
    // ProxyShell as logged by IIS (Orange Tsai / PeterJson write-ups): a successful SSRF to /powershell.
    writeFileSync(join(dir, 'u_ex210810.log'), '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n2021-08-10 03:06:27 10.0.0.5 POST /autodiscover/autodiscover.json @evil.tld/powershell/?X-Rps-CAT=VgEAVAdXaW5k 443 - 203.0.113.8 python-requests/2.26.0 - 200 0 0 210\r\n');
    const token = await s.token('analyst', ['ingest', 'read']);
    // The server runs in this process: the CLI must run asynchronously so the server can answer it.
    const a = await exhunt(['scan', join(root, 'MAIL01'), '--format', 'json', '--out', join(root, 'r.json'), '--upload', `${s.base}/?tenant=acme`, '--token', token]);
    assert.equal(a.code, 2, a.err);
    assert.match(a.err, /sent to .*1 host\(s\)/);
    const hosts = await fetch(`${s.base}/api/hosts?q=MAIL01`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(hosts.status, 200);
    assert.match(await hosts.text(), /MAIL01/);
    const noToken = await exhunt(['scan', join(root, 'MAIL01'), '--upload', s.base], { EXHUNT_TOKEN: '' });
    assert.equal(noToken.code, 3);
  } finally {
    await s.close();
  }
});

// First module of the single executable: unpacks the payload asset (rules, package.json, the YARA-X
// WebAssembly module, worker scripts) into a private temporary folder that the bundled code's import.meta
// URLs point into, checks every file's SHA-256, and removes the folder when the process exits.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getAsset, isSea } from 'node:sea';

declare let __exhuntRoot: string;

interface Entry { path: string; offset: number; size: number; sha256: string }

if (!isSea()) throw new Error('this bundle runs only inside the exhunt single executable');
const buf = Buffer.from(getAsset('payload'));
const headLen = buf.readUInt32LE(0);
const index = JSON.parse(buf.subarray(4, 4 + headLen).toString('utf8')) as Entry[];
const base = 4 + headLen;
const root = mkdtempSync(join(tmpdir(), 'exhunt-sea-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
for (const e of index) {
  if (e.path.split('/').some((s) => s === '..' || s === '')) throw new Error(`payload: bad path ${e.path}`);
  const data = buf.subarray(base + e.offset, base + e.offset + e.size);
  if (createHash('sha256').update(data).digest('hex') !== e.sha256) throw new Error(`payload: ${e.path} is damaged`);
  const out = join(root, ...e.path.split('/'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, data, { flag: 'wx' });
}
__exhuntRoot = root;

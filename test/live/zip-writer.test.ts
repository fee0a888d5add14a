// The streaming zip writer: what it writes reads back byte for byte with yauzl (the scan's unpacker) and,
// where present, Python's zipfile (an independent reader that checks every CRC); the ZIP64 records too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Readable } from 'node:stream';
import { unpackZip } from '../../src/evidence/zip-extract.js';
import { fileSink, SinkError, ZipWriter } from '../../src/live/zip-writer.js';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'exhunt-zipw-')); });
after(() => rm(dir, { recursive: true, force: true }));

const members: [string, Buffer][] = [
  ['C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', Buffer.from('#Software: Microsoft Internet Information Services 10.0\r\n'.repeat(5000))],
  ['C/inetpub/wwwroot/empty.aspx', Buffer.alloc(0)],
  ['C/Users/Public/случайные данные.bin', randomBytes(300_000)],
  ['UNC/fs01/share/a%3Ab.aspx', Buffer.from('<%@ Page %>')],
];

function pythonCheck(zip: string): string | undefined {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return execFileSync('python3', ['-c', 'import sys,zipfile,json\nz=zipfile.ZipFile(sys.argv[1])\nbad=z.testzip()\nprint(json.dumps({"bad":bad,"names":z.namelist(),"sizes":[i.file_size for i in z.infolist()]}))', zip], { encoding: 'utf8' });
}

for (const forceZip64 of [false, true]) {
  test(`members read back exactly${forceZip64 ? ' (every record in ZIP64 form)' : ''}`, async () => {
    const zip = join(dir, `t${forceZip64 ? 64 : 32}.zip`);
    const w = new ZipWriter(await fileSink(zip), 1, forceZip64);
    for (const [name, data] of members) {
      // in small chunks, as a file stream delivers them
      const chunks = Array.from({ length: Math.ceil(data.length / 65536) }, (_v, i) => data.subarray(i * 65536, (i + 1) * 65536));
      const r = await w.add(name, Readable.from(chunks), { mtime: Date.UTC(2021, 2, 3, 4, 5, 6), sizeHint: data.length });
      assert.equal(r.size, data.length);
    }
    await w.finish('test');
    const un = await unpackZip(zip);
    try {
      assert.deepEqual(un.skipped, []);
      for (const [name, data] of members) assert.ok((await readFile(join(un.dir, ...name.split('/')))).equals(data), name);
    } finally {
      await rm(un.dir, { recursive: true, force: true });
    }
    const py = pythonCheck(zip);
    if (py) {
      const r = JSON.parse(py) as { bad: string | null; names: string[]; sizes: number[] };
      assert.equal(r.bad, null, 'every CRC checks');
      assert.deepEqual(r.names, members.map((m) => m[0]));
      assert.deepEqual(r.sizes, members.map((m) => m[1].length));
    }
  });
}

test('a failing source removes its member; a failing destination is a SinkError and the archive can still be finished', async () => {
  const zip = join(dir, 'fail.zip');
  const real = await fileSink(zip);
  let allow = Infinity;
  const w = new ZipWriter({ write: async (b) => { if (b.length > allow) throw Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' }); await real.write(b); }, truncate: (n) => real.truncate(n), close: () => real.close() });
  await w.addBuffer('first.txt', Buffer.from('one'), 0);
  const broken = new Readable({ read() { this.destroy(Object.assign(new Error('EBUSY: resource busy'), { code: 'EBUSY' })); } });
  await assert.rejects(w.add('locked.log', broken, { mtime: 0, sizeHint: 10 }), /EBUSY/);
  allow = 100;
  await assert.rejects(w.addBuffer('big.bin', randomBytes(50_000), 0), (e: unknown) => e instanceof SinkError && e.code === 'ENOSPC');
  allow = Infinity;
  await w.finish();
  const un = await unpackZip(zip);
  try {
    assert.equal(await readFile(join(un.dir, 'first.txt'), 'utf8'), 'one');
    await assert.rejects(readFile(join(un.dir, 'locked.log')));
    await assert.rejects(readFile(join(un.dir, 'big.bin')));
  } finally {
    await rm(un.dir, { recursive: true, force: true });
  }
});

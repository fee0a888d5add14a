import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { classify } from '../../src/evidence/classify.js';
import { openCollection } from '../../src/evidence/gather.js';
import { logicalPath } from '../../src/evidence/logical-path.js';
import { buildZip } from '../../src/sim/zip.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'exhunt-ev-'));
const HP = 'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG';

test('collector prefixes are stripped: full layout, KAPE, Velociraptor, loose', () => {
  const want = 'program files/microsoft/exchange server/v15/logging/httpproxy/ecp/httpproxy_2021030306-1.log';
  assert.equal(logicalPath(HP), want);
  assert.equal(logicalPath(`C/${HP}`), want);
  assert.equal(logicalPath(`EXCH01/uploads/auto/C%3A/${HP.replace(/ /g, '%20')}`), want);
  assert.equal(logicalPath('HttpProxy_2021030306-1.LOG'), 'httpproxy_2021030306-1.log');
});

test('files are classified by folder, name and first bytes', () => {
  const empty = Buffer.alloc(0);
  assert.deepEqual(classify(logicalPath(`C/${HP}`), empty), { kind: 'exchange-csv', logType: 'httpproxy/ecp' });
  assert.equal(classify('inetpub/logs/logfiles/w3svc1/u_ex210303.log', empty).logType, 'iis');
  assert.equal(classify('program files/microsoft/exchange server/v15/logging/ecp/server/ecpserver20210303-1.log', empty).logType, 'ecp-server');
  assert.equal(classify('program files/microsoft/exchange server/v15/logging/oabgeneratorlog/oabgeneratorlog_1.log', Buffer.from('2021-03-03 free text')).kind, 'exchange-text');
  // Loose files: the header tells what they are.
  assert.deepEqual(classify('weird-name.txt', Buffer.from('#Software: Microsoft Internet Information Services 10.0\r\n')), { kind: 'iis-w3c', logType: 'iis' });
  assert.equal(classify('x.bin', Buffer.from('#Software: Microsoft Exchange Server\r\n#Version: 15.0.0.0\r\n#Log-type: ECP Server Log\r\n')).logType, 'ecp-server');
  assert.equal(classify('security.bin', Buffer.from('ElfFile\0rest')).kind, 'evtx');
  assert.equal(classify('program files/microsoft/exchange server/v15/frontend/httpproxy/owa/auth/x.aspx', empty).kind, 'web-file');
  assert.equal(classify('programdata/it.zip', empty).kind, 'web-file');
  assert.equal(classify('readme.md', empty).kind, 'other');
});

test('a folder collection lists every file and refuses links out of the root; nothing is written to it', async () => {
  const root = tmp();
  mkdirSync(join(root, 'C/inetpub/logs/LogFiles/W3SVC1'), { recursive: true });
  writeFileSync(join(root, 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log'), '#Fields: date time\n');
  writeFileSync(join(root, 'notes.txt'), 'hello');
  const outside = tmp();
  writeFileSync(join(outside, 'secret'), 'x');
  symlinkSync(join(outside, 'secret'), join(root, 'escape'));
  symlinkSync(root, join(root, 'loop'));
  symlinkSync(join(root, 'notes.txt'), join(root, 'inside-link'));
  const before = readdirSync(root, { recursive: true }).map(String).sort();
  const mtime = statSync(join(root, 'notes.txt')).mtimeMs;
  const col = await openCollection(root);
  await col.close();
  assert.deepEqual(col.files.map((f) => f.path).sort(), ['C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', 'inside-link', 'notes.txt']);
  const reasons = Object.fromEntries(col.skipped.map((s) => [s.path, s.reason]));
  assert.match(reasons['escape']!, /out of the collection/);
  assert.match(reasons['loop']!, /out of the collection|loop/);
  assert.deepEqual(readdirSync(root, { recursive: true }).map(String).sort(), before);
  assert.equal(statSync(join(root, 'notes.txt')).mtimeMs, mtime);
});

test('a zip collection: hostile member names, symlinks and bombs are refused with a reason, the rest unpacked', async () => {
  const dir = tmp();
  const zipPath = join(dir, 'EXCH01.zip');
  writeFileSync(zipPath, buildZip([
    { name: `C/${HP}`, data: '#Software: Microsoft Exchange Server\r\n', deflate: true },
    { name: '../../etc/evil', data: 'x' },
    { name: '/abs/path', data: 'x' },
    { name: 'C:/Windows/x', data: 'x' },
    { name: 'C/link', data: '/etc/passwd', unixMode: 0o120777 },
    { name: 'bomb.bin', data: Buffer.alloc(8 << 20), deflate: true },
    { name: 'c/inetpub/a.txt', data: 'one' },
    { name: 'C/inetpub/A.txt', data: 'two' },
  ]));
  const col = await openCollection(zipPath);
  try {
    const paths = col.files.map((f) => f.path).sort();
    assert.ok(paths.includes(`C/${HP}`));
    assert.equal(col.files.find((f) => f.path === `C/${HP}`)!.logType, 'httpproxy/ecp');
    assert.ok(paths.includes('c/inetpub/a.txt') && paths.includes('C/inetpub/A.txt~2'));
    const reasons = Object.fromEntries(col.skipped.map((s) => [s.path, s.reason]));
    assert.match(reasons['../../etc/evil']!, /climbs out/);
    assert.match(reasons['/abs/path']!, /absolute/);
    assert.match(reasons['C:/Windows/x']!, /absolute/);
    assert.match(reasons['C/link']!, /symbolic link/);
    assert.match(reasons['bomb.bin']!, /zip bomb/);
  } finally {
    await col.close();
  }
});

test('not a folder, not a zip, or missing: a clear error', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'x.txt'), 'plain');
  await assert.rejects(openCollection(join(dir, 'x.txt')), /not a \.zip collection/);
  await assert.rejects(openCollection(join(dir, 'nope')), /cannot read/);
  writeFileSync(join(dir, 'broken.zip'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(50)]));
  await assert.rejects(openCollection(join(dir, 'broken.zip')), /not a readable zip/);
});

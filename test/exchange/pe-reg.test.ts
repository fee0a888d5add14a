import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readPeVersion } from '../../src/detect/exchange/pe-version.js';
import { parseRegExport, parseRegText, normKeyPath, regValue } from '../../src/detect/exchange/reg-export.js';
import { makePe, regUtf16 } from './helpers.js';

test('reads FileVersion from the version resource of a PE image', () => {
  const r = readPeVersion(makePe([15, 1, 2507, 16], '15.01.2507.016'));
  assert.ok(r.ok, !r.ok ? r.error : '');
  assert.equal(r.version.fileVersion, '15.1.2507.16');
  assert.equal(r.version.fileVersionString, '15.01.2507.016');
  assert.ok(r.version.offset! > 0x200);
});

test('truncated, corrupted and random PE input gives an error, never a throw', () => {
  const pe = makePe([15, 2, 1118, 20]);
  for (let n = 0; n < pe.length; n += 7) {
    const r = readPeVersion(pe.subarray(0, n));
    if (r.ok) assert.equal(r.version.fileVersion, '15.2.1118.20'); // long enough prefixes may still hold it
  }
  const bad = Buffer.from(pe);
  bad.writeUInt32LE(0x7fff0000, 0x44 + 20 + 96 + 16); // resource RVA outside every section
  const r = readPeVersion(bad);
  assert.equal(r.ok, false);
  const loop = Buffer.from(pe);
  loop.writeUInt32LE((0x80000000 | 0x7ffffff0) >>> 0, 0x200 + 20); // subdirectory offset far outside
  assert.equal(readPeVersion(loop).ok, false);
  assert.equal(readPeVersion(Buffer.from('MZ not a pe at all, just text padding padding padding padding padding')).ok, false);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), fc.nat(2047), (bytes, at) => {
    readPeVersion(Buffer.from(bytes));
    const m = Buffer.from(pe);
    m[at % m.length] = bytes[0] ?? 0xff;
    readPeVersion(m);
  }), { numRuns: 1000 });
});

test('parses a UTF-16LE regedit export with BOM: Updates, Setup and Uninstall keys', () => {
  const buf = regUtf16([
    'Windows Registry Editor Version 5.00',
    '',
    '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange 2016\\SP1\\KB5019758]',
    '"PackageName"="Security Update For Exchange Server 2016 CU23 (KB5019758)"',
    '"InstalledDate"="11/9/2022"',
    '"InstalledBy"="CONTOSO\\\\admin"',
    '',
    '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup]',
    '"MsiInstallPath"="C:\\\\Program Files\\\\Microsoft\\\\Exchange Server\\\\V15\\\\"',
    '"MsiProductMajor"=dword:0000000f',
    '"MsiProductMinor"=dword:00000001',
    '"MsiBuildMajor"=dword:000009cb',
    '"MsiBuildMinor"=dword:00000006',
    '"Roles"=hex(7):43,00,41,00,00,00,4d,00,42,00,00,00,\\',
    '  00,00',
    '@="default"',
    'garbage line',
  ]);
  const r = parseRegExport(buf);
  assert.equal(r.keys.length, 2);
  const upd = r.keys[0]!;
  assert.equal(regValue(upd, 'packagename'), 'Security Update For Exchange Server 2016 CU23 (KB5019758)');
  assert.equal(regValue(upd, 'InstalledBy'), 'CONTOSO\\admin');
  assert.equal(upd.line, 3);
  const setup = r.keys[1]!;
  assert.equal(regValue(setup, 'MsiBuildMajor'), 2507);
  assert.equal(regValue(setup, 'MsiInstallPath'), 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\');
  assert.deepEqual(regValue(setup, 'Roles'), ['CA', 'MB']);
  assert.equal(regValue(setup, ''), 'default');
  assert.equal(r.badLines, 1);
  assert.equal(normKeyPath('HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\X'), 'hkey_local_machine\\software\\microsoft\\x');
});

test('UTF-16 without BOM and UTF-8 exports read the same; hostile text never throws', () => {
  const text = 'REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n"x"=dword:0000000a\r\n';
  assert.equal(regValue(parseRegExport(Buffer.from(text, 'utf16le')).keys[0]!, 'x'), 10);
  assert.equal(regValue(parseRegExport(Buffer.from(text, 'utf8')).keys[0]!, 'x'), 10);
  fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => { parseRegText('[K]\n' + s); parseRegExport(Buffer.from(s, 'utf16le')); }), { numRuns: 1000 });
  const unterminated = parseRegText('[K]\n"a"="no end\n"b"=hex(2):zz,41,00\n"c"=dword:xyz');
  assert.equal(unterminated.keys[0]!.values.length, 3);
});

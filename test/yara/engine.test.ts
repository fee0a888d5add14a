import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { chooseBackend, createYaraEngine, loadRuleDirs, OWN_RULES_DIR, type YaraBackendName, type YaraEngine, type YaraFileResult } from '../../src/detect/yara/index.js';
import { runYaraCli, sampleTree, yaraCli } from './helpers.js';

const BACKENDS: YaraBackendName[] = ['native', 'wasm'];
const tree = sampleTree();
after(() => rmSync(tree.root, { recursive: true, force: true }));
const own = loadRuleDirs([OWN_RULES_DIR]);
// one engine per backend over exhunt's own rules, shared by the tests that use them (workers are costly)
const engines = new Map<YaraBackendName, Promise<YaraEngine>>();
const ownEngine = (backend: YaraBackendName): Promise<YaraEngine> => {
  let e = engines.get(backend);
  if (!e) engines.set(backend, (e = createYaraEngine(own.sources, { backend, threads: 2 })));
  return e;
};
after(async () => {
  for (const e of engines.values()) await (await e).close();
});

function pairs(results: YaraFileResult[]): Set<string> {
  const s = new Set<string>();
  for (const r of results) for (const m of r.matches) s.add(`${m.rule}\t${r.absPath}`);
  return s;
}

describe('YARA engine', () => {
  test('own rules load without errors or slow-pattern notices on both backends', async () => {
    assert.equal(own.notices.length, 0);
    for (const backend of BACKENDS) {
      const e = await ownEngine(backend);
      assert.deepEqual(e.notices.filter((n) => n.kind === 'error' || n.kind === 'slow'), [], backend);
    }
  });

  test('native and WASM backends give the same matches, offsets included', async () => {
    const targets = tree.files.map((f) => ({ absPath: f.absPath }));
    const got: YaraFileResult[][] = [];
    for (const backend of BACKENDS) {
      const e = await ownEngine(backend);
      got.push(await e.scan(targets, tree.files.map((f) => f.size)));
    }
    const [a, b] = got as [YaraFileResult[], YaraFileResult[]];
    const strip = (r: YaraFileResult[]) => r.map((x) => ({ path: x.absPath, m: x.matches.map((m) => ({ rule: m.rule, patterns: m.patterns })).sort((p, q) => p.rule.localeCompare(q.rule)) }));
    assert.deepEqual(strip(a), strip(b));
    assert.ok(pairs(a).size >= tree.files.filter((f) => f.label === 'malicious').length, 'the malicious samples match something');
  });

  test('matches equal Debian yara on the same rules and files', async (t) => {
    const v = yaraCli();
    if (!v) return t.skip('Debian yara not installed (apt-get install yara)');
    const ruleFiles = own.sources.map((s) => s.origin);
    const want = runYaraCli(ruleFiles, [tree.root].map((r) => r), {});
    for (const backend of BACKENDS) {
      const e = await ownEngine(backend);
      const got = pairs(await e.scan(tree.files.map((f) => ({ absPath: f.absPath })), tree.files.map((f) => f.size)));
      assert.deepEqual([...got].sort(), [...want].sort(), `${backend} vs yara ${v}`);
    }
  });

  test('external variables are defined per file, as yara -d would set them', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'exhunt-ext-'));
    try {
      writeFileSync(join(dir, 'ext.yar'), [
        'rule ext_aspx { condition: extension == ".aspx" }',
        'rule in_aspnet_client { condition: filepath contains "\\\\aspnet_client" and filename matches /^sh/ }',
        'rule is_pe { condition: filetype == "EXE" }',
        'rule owner_known { condition: owner != "" }',
      ].join('\n'));
      const rules = loadRuleDirs([dir]);
      const f1 = join(dir, 'shell.aspx');
      const f2 = join(dir, 'tool.bin');
      writeFileSync(f1, 'x');
      writeFileSync(f2, Buffer.from('MZ\x90\x00', 'latin1'));
      const targets = [
        { absPath: f1, externals: { filename: 'shell.aspx', filepath: 'C:\\inetpub\\wwwroot\\aspnet_client', extension: '.aspx' } },
        { absPath: f2, externals: { filename: 'tool.bin', filepath: 'C:\\ProgramData', extension: '.bin' } },
      ];
      for (const backend of BACKENDS) {
        const e = await createYaraEngine(rules.sources, { backend, threads: 1 });
        try {
          const r = await e.scan(targets);
          assert.deepEqual(r.map((x) => x.matches.map((m) => m.rule).sort()), [['ext_aspx', 'in_aspnet_client'], ['is_pe']], backend);
        } finally {
          await e.close();
        }
      }
      if (yaraCli()) {
        const cli = runYaraCli([join(dir, 'ext.yar')], [f1], { filename: 'shell.aspx', filepath: 'C:\\inetpub\\wwwroot\\aspnet_client', extension: '.aspx', filetype: '', owner: '' });
        assert.deepEqual([...cli].map((p) => p.split('\t')[0]).sort(), ['ext_aspx', 'in_aspnet_client']);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a broken rule file is reported and skipped; slow rules and clashing files are reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exhunt-rules-'));
    try {
      writeFileSync(join(dir, 'a_good.yar'), 'rule good_one { strings: $a = "needle" condition: $a }');
      writeFileSync(join(dir, 'b_broken.yar'), 'rule broken { condition: $nope }');
      writeFileSync(join(dir, 'c_slow.yara'), 'rule slow_one { strings: $r = /[A-Za-z0-9+\\/]{400}/ condition: $r }');
      writeFileSync(join(dir, 'd_clash.yar'), 'rule good_one { condition: true }');
      mkdirSync(join(dir, 'sub'));
      symlinkSync(dir, join(dir, 'sub', 'loop'));
      const rules = loadRuleDirs([dir]);
      assert.equal(rules.sources.length, 4, 'the symlink loop is walked once');
      const target = join(dir, 'hay.txt');
      writeFileSync(target, 'a needle in a haystack');
      for (const backend of BACKENDS) {
        const e = await createYaraEngine(rules.sources, { backend, threads: 1 });
        try {
          const kinds = e.notices.filter((n) => n.kind !== 'warning').map((n) => `${n.kind}:${n.origin.split('/').pop()}`).sort();
          assert.deepEqual(kinds, ['error:b_broken.yar', 'error:d_clash.yar', 'slow:c_slow.yara'], backend);
          const [r] = await e.scan([{ absPath: target }]);
          assert.deepEqual(r?.matches.map((m) => m.rule), ['good_one']);
        } finally {
          await e.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad input: missing, FIFO, directory, symlink loop, control characters in names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exhunt-bad-'));
    try {
      const fifo = join(dir, 'pipe.aspx');
      spawnSync('mkfifo', [fifo]);
      symlinkSync(join(dir, 'self'), join(dir, 'self'));
      const odd = join(dir, 'sh\x01ell\x1b[31m.aspx');
      writeFileSync(odd, '<script language="JScript" runat="server">function Page_Load(){eval(Request["k"],"unsafe");}</script>');
      const targets = [join(dir, 'missing.aspx'), fifo, dir, join(dir, 'self'), odd].map((absPath) => ({ absPath }));
      for (const backend of BACKENDS) {
        const e = await ownEngine(backend);
        const r = await e.scan(targets);
        assert.match(r[0]?.problem ?? '', /unreadable: ENOENT/);
        assert.match(r[1]?.problem ?? '', /not a regular file/);
        assert.match(r[2]?.problem ?? '', /not a regular file/);
        assert.match(r[3]?.problem ?? '', /unreadable: ELOOP/);
        assert.equal(r[4]?.problem, undefined);
        assert.ok(r[4]?.matches.some((m) => m.rule === 'EXH_WEBSHELL_ChinaChopper_JScript_Eval'));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file that stalls the backend times out, is reported, and the scan goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exhunt-stall-'));
    try {
      writeFileSync(join(dir, 'slow.yar'), 'rule slow_one { strings: $r = /[A-Za-z0-9+\\/]{400}/ condition: $r }\nrule hello { strings: $h = "hello" condition: $h }');
      const rules = loadRuleDirs([dir]);
      const big = join(dir, 'big.txt');
      // 399 matching bytes then a break, over and over: the regex never matches and never stops trying.
      // Under 1 MiB and in the middle of a batch, so the pool has to find which file stalled.
      writeFileSync(big, Buffer.alloc(900 << 10, 'A'.repeat(399) + ' '));
      const small = join(dir, 'small.txt');
      writeFileSync(small, 'hello');
      for (const backend of BACKENDS) {
        const e = await createYaraEngine(rules.sources, { backend, threads: 1, timeoutMs: 1500 });
        try {
          const r = await e.scan([{ absPath: small }, { absPath: big }, { absPath: small }], [5, 900 << 10, 5]);
          assert.equal(r[1]?.timedOut, true, `${backend}: ${JSON.stringify(r)}`);
          assert.match(r[1]?.problem ?? '', /timed out/);
          for (const i of [0, 2]) assert.deepEqual(r[i]?.matches.map((m) => m.rule), ['hello'], `${backend}: the other files are scanned`);
        } finally {
          await e.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('files over the size cap are scanned in their head only, with a note', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exhunt-cap-'));
    try {
      const dump = Buffer.alloc(3 << 20);
      dump.write('MDMP', 0, 'latin1');
      dump.write('lsass.exe', 4096, 'utf16le');
      dump.write('lsasrv.dll', 8192, 'utf16le');
      dump.write('sekurlsa::x gentilkiwi', (3 << 20) - 100, 'latin1');
      const p = join(dir, 'lsass.dmp');
      writeFileSync(p, dump);
      for (const backend of BACKENDS) {
        const e = await createYaraEngine(own.sources, { backend, threads: 1, maxFileSize: 1 << 20, headBytes: 64 << 10 });
        try {
          const [r] = await e.scan([{ absPath: p }], [dump.length]);
          assert.equal(r?.partial, true);
          assert.match(r?.problem ?? '', /size cap.*only the first 64\.0 KiB scanned/);
          const rules = r?.matches.map((m) => m.rule) ?? [];
          assert.ok(rules.includes('EXH_DUMP_LSASS_Minidump'), backend);
          assert.ok(!rules.includes('EXH_TOOL_Credential_Dumper'), 'bytes past the head are not scanned');
        } finally {
          await e.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('backend choice: environment override, then native where it loads', () => {
    assert.equal(chooseBackend(undefined, { EXHUNT_YARA_BACKEND: 'wasm' }), 'wasm');
    assert.equal(chooseBackend('wasm', {}), 'wasm');
    assert.ok(['native', 'wasm'].includes(chooseBackend(undefined, {})));
  });
});

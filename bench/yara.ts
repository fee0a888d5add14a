// YARA / web-file scan benchmark: a generated 20,000-file web tree (a few hundred KB of shells among
// benign pages) plus one 500 MB file; exhunt's web-file scan (YARA, published hashes, stock baseline)
// beside Debian's `yara -p 2` with the same rules over the same tree.
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, openSync, rmSync, closeSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renameSync, writeFileSync } from 'node:fs';
import { loadRules, resolveBaseline, scanWebFiles, type WebFileInput } from '../src/detect/webshell/index.js';
import { createYaraEngine, loadRuleDirs, OWN_RULES_DIR, type YaraEngineOptions } from '../src/detect/yara/index.js';
import { makeRng } from '../src/sim/rng.js';
import { generateBenign, generateShellSamples } from '../src/sim/webshells/index.js';
import { have, measure } from './measure.js';

const FILES = 20_000;
const BIG = 500 * 1000 * 1000;

function buildTree(root: string): { files: WebFileInput[]; shellBytes: number; totalBytes: number } {
  const rng = makeRng(42);
  const files: WebFileInput[] = [];
  let shellBytes = 0;
  let totalBytes = 0;
  const put = (rel: string, content: Buffer) => {
    const path = `C/${rel}`;
    const absPath = join(root, path);
    mkdirSync(dirname(absPath), { recursive: true });
    writeFileSync(absPath, content);
    totalBytes += content.length;
    files.push({ path, absPath, size: content.length, sha256: '', mtime: '2021-03-03T00:00:00Z' });
  };
  // a few hundred KB of shells: every text technique three times, the bulky binary ones once
  const BULKY = new Set(['pst-wrapped-proxyshell', 'lsass-minidump', 'credential-dump-tool', 'compiled-appweb', 'staged-archive', 'recon-cab']);
  const seen = new Set<string>();
  for (const s of generateShellSamples(rng.fork('shells'), 3)) {
    if (BULKY.has(s.technique) && seen.has(s.technique)) continue;
    seen.add(s.technique);
    put(s.path, s.content);
    shellBytes += s.content.length;
  }
  for (let batch = 0; files.length < FILES - 1; batch++) {
    for (const b of generateBenign(rng.fork(`benign${batch}`), Math.min(2000, FILES - 1 - files.length))) {
      put(b.path.replace(/^inetpub\/wwwroot\//, `inetpub/wwwroot/app${batch}/`), b.content);
    }
  }
  // one 500 MB file: a staged backup of text-like data
  const bigPath = 'C/ProgramData/Backup/mailboxes.bak';
  const abs = join(root, bigPath);
  mkdirSync(dirname(abs), { recursive: true });
  const block = Buffer.alloc(1 << 20);
  for (let i = 0; i < block.length; i++) block[i] = 0x20 + ((i * 2654435761) >>> 25) % 90;
  const fd = openSync(abs, 'w');
  for (let w = 0; w < BIG; w += block.length) writeSync(fd, block, 0, Math.min(block.length, BIG - w));
  closeSync(fd);
  files.push({ path: bigPath, absPath: abs, size: BIG, sha256: '', mtime: '2021-03-03T00:00:00Z' });
  return { files, shellBytes, totalBytes: totalBytes + BIG };
}

async function sha256(p: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(p, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function run(): Promise<void> {
  console.log('\n== yara: web-file scan, exhunt vs Debian yara -p 2 ==');
  const root = mkdtempSync(join(tmpdir(), 'exhunt-bench-yara-'));
  try {
    let t = Date.now();
    const { files, shellBytes, totalBytes } = buildTree(root);
    console.log(`tree: ${files.length} files, ${(totalBytes / 1e6).toFixed(0)} MB (${(shellBytes / 1024).toFixed(0)} KB of shells, one ${BIG / 1e6} MB file), generated in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    t = Date.now();
    for (const f of files) f.sha256 = await sha256(f.absPath);
    const hashS = (Date.now() - t) / 1000;
    console.log(`sha256 of every file (pipeline's job, one thread): ${hashS.toFixed(2)} s`);

    const small = files.filter((f) => f.size < BIG);
    const rows: [string, number, string][] = [];
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const REPS = 3;
    // exhunt: engine start-up (workers compile the rules) timed apart from the scan it then does
    const exh = async (label: string, subset: WebFileInput[], opts: YaraEngineOptions, reps = REPS) => {
      let t0 = Date.now();
      const engine = await createYaraEngine(loadRules().sources, opts);
      const startS = (Date.now() - t0) / 1000;
      const times: number[] = [];
      let last: Awaited<ReturnType<typeof scanWebFiles>> | undefined;
      try {
        for (let i = 0; i < reps; i++) {
          t0 = Date.now();
          last = await scanWebFiles({ root, files: subset, build: '15.1.2176.2', engine });
          times.push((Date.now() - t0) / 1000);
        }
      } finally {
        await engine.close();
      }
      rows.push([label, median(times), `${last?.findings.length} files reported, ${last?.problems.length} notes; engine start ${startS.toFixed(2)} s; runs ${times.map((x) => x.toFixed(2)).join('/')}`]);
      return last;
    };
    t = Date.now();
    resolveBaseline(undefined);
    console.log(`stock baseline load (once per process): ${((Date.now() - t) / 1000).toFixed(2)} s`);
    await exh('exhunt native (processes), tree', small, { backend: 'native' });
    await exh('exhunt native (threads), tree', small, { backend: 'native', isolation: 'thread' });
    const full = await exh('exhunt native, tree + 500 MB (256 MiB cap: head only)', files, { backend: 'native' }, 1);
    await exh('exhunt native, tree + 500 MB in full (cap 1 GiB)', files, { backend: 'native', maxFileSize: 1 << 30 }, 1);
    await exh('exhunt wasm, first 2,000 files of the tree', small.slice(0, 2000), { backend: 'wasm' }, 1);
    const capNote = full?.problems.find((p) => p.path.endsWith('mailboxes.bak'));

    if (have('yara')) {
      const rules = loadRuleDirs([OWN_RULES_DIR]).sources.map((s) => s.origin);
      const filesMatched = (out: string) => new Set(out.trim().split('\n').filter(Boolean).map((l) => l.slice(l.indexOf(' ') + 1))).size;
      // yara walks the folder itself; the big file is moved aside for the tree-only runs
      const bigAbs = files[files.length - 1]?.absPath as string;
      const aside = join(root, 'aside.bak');
      renameSync(bigAbs, aside);
      const runs = Array.from({ length: REPS }, () => measure('yara', ['-r', '-w', '-p', '2', ...rules, join(root, 'C')]));
      const m1 = runs[runs.length - 1] as (typeof runs)[number];
      rows.push(['yara -p 2, tree', median(runs.map((r) => r.seconds)), `${filesMatched(m1.stdout)} files matched, peak ${m1.peakMiB?.toFixed(0)} MiB; runs ${runs.map((r) => r.seconds.toFixed(2)).join('/')}`]);
      renameSync(aside, bigAbs);
      const m2 = measure('yara', ['-r', '-w', '-p', '2', ...rules, join(root, 'C')]);
      rows.push(['yara -p 2, tree + 500 MB', m2.seconds, `${filesMatched(m2.stdout)} files matched, peak ${m2.peakMiB?.toFixed(0)} MiB`]);
    } else rows.push(['yara -p 2', NaN, 'not installed (apt-get install yara)']);
    console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (other work on the machine skews every figure)`);

    for (const [label, s, note] of rows) console.log(`${label.padEnd(62)} ${Number.isFinite(s) ? s.toFixed(2).padStart(7) + ' s' : '      -  '}  ${note}`);
    if (capNote) console.log(`note on the big file: ${capNote.reason}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

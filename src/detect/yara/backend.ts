// The two YARA-X bindings behind one shape. Only ever used inside a scan worker (see scan-worker.ts):
// both scan synchronously, so the main thread's event loop stays free.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SourceCheck } from './accept-sources.js';
import { fromNative, fromWasm } from './normalize-match.js';
import { EXTERNAL_NAMES, type YaraBackendName, type YaraExternals, type YaraMatch } from './types.js';

export interface CompiledRules {
  /** scan a whole file from disk */
  scanFile(absPath: string, ext: YaraExternals): YaraMatch[];
  scanBuffer(data: Uint8Array, ext: YaraExternals): YaraMatch[];
  close(): void;
}

export interface Backend {
  name: YaraBackendName;
  checker: SourceCheck;
  compile(joined: string, opts: { timeoutMs: number; maxMatchesPerPattern: number }): CompiledRules;
}

/** The external variables a rule text refers to: only those are set per file (setting one costs ~ms in WASM). */
export function usedExternals(text: string): (keyof YaraExternals)[] {
  return EXTERNAL_NAMES.filter((n) => new RegExp(`\\b${n}\\b`).test(text));
}

const require = createRequire(import.meta.url);
const emptyExternals = (): Record<string, string> => Object.fromEntries(EXTERNAL_NAMES.map((n) => [n, '']));

// ---- native: @litko/yara-x (prebuilt for linux-x64-gnu and macOS) ----

interface NativeRules {
  scan(data: Buffer, vars?: Record<string, string | number>): unknown[];
  scanFile(path: string, vars?: Record<string, string | number>): unknown[];
  setMaxMatchesPerPattern(n: number): void;
  getWarnings(): { code: string; message: string }[];
}
interface NativeModule {
  compile(src: string, opts?: object): NativeRules;
  validate(src: string, opts?: object): { errors: { message: string }[]; warnings: { message: string }[] };
}

export function loadNative(): Backend {
  const lx = require('@litko/yara-x') as NativeModule;
  const opts = { defineVariables: emptyExternals() };
  return {
    name: 'native',
    checker: {
      check(text) {
        const r = lx.validate(text, opts);
        return { errors: r.errors.map((e) => e.message), warnings: r.warnings.map((w) => w.message) };
      },
      tryJoined(text) {
        try {
          lx.compile(text, opts);
          return undefined;
        } catch (e) {
          return String((e as Error).message ?? e);
        }
      },
    },
    compile(joined, { maxMatchesPerPattern }) {
      const rules = lx.compile(joined, opts);
      rules.setMaxMatchesPerPattern(maxMatchesPerPattern);
      const used = usedExternals(joined);
      const vars = (ext: YaraExternals): Record<string, string> | undefined => (used.length ? Object.fromEntries(used.map((n) => [n, ext[n]])) : undefined);
      return {
        scanFile: (p, ext) => fromNative(rules.scanFile(p, vars(ext))),
        scanBuffer: (d, ext) => fromNative(rules.scan(Buffer.isBuffer(d) ? d : Buffer.from(d.buffer, d.byteOffset, d.byteLength), vars(ext))),
        close: () => undefined,
      };
    },
  };
}

// ---- wasm: @virustotal/yara-x (portable; objects live in WASM memory and must be freed) ----

interface WasmCompiler {
  free(): void;
  addSource(s: string): void;
  build(): WasmRules;
  defineGlobal(id: string, v: unknown): void;
  readonly errors: string[];
  readonly warnings: string[];
}
interface WasmRules { free(): void }
interface WasmScanner {
  free(): void;
  scan(d: Uint8Array): unknown;
  setGlobal(id: string, v: unknown): void;
  setMaxMatchesPerPattern(n: number): void;
  setTimeoutMs(ms: number): void;
}
interface WasmModule {
  initSync(m: { module: Uint8Array }): unknown;
  Compiler: new () => WasmCompiler;
  Scanner: new (r: WasmRules) => WasmScanner;
}

export async function loadWasm(): Promise<Backend> {
  const yx = (await import('@virustotal/yara-x')) as unknown as WasmModule;
  // The package's default init() fetches the .wasm over the network; read it from disk instead.
  const wasmUrl = new URL('yara_x_js_bg.wasm', import.meta.resolve('@virustotal/yara-x'));
  yx.initSync({ module: readFileSync(wasmUrl) });
  const newCompiler = (): WasmCompiler => {
    const c = new yx.Compiler();
    for (const n of EXTERNAL_NAMES) c.defineGlobal(n, '');
    return c;
  };
  return {
    name: 'wasm',
    checker: {
      check(text) {
        const c = newCompiler();
        try {
          try {
            c.addSource(text);
          } catch {
            /* errors are collected below */
          }
          return { errors: [...c.errors], warnings: [...c.warnings] };
        } finally {
          c.free();
        }
      },
      tryJoined(text) {
        const c = newCompiler();
        try {
          c.addSource(text);
          c.build().free();
          return undefined;
        } catch (e) {
          return String((e as Error).message ?? e);
        } finally {
          c.free();
        }
      },
    },
    compile(joined, { timeoutMs, maxMatchesPerPattern }) {
      const c = newCompiler();
      let rules: WasmRules;
      try {
        c.addSource(joined);
        rules = c.build();
      } finally {
        c.free();
      }
      const scanner = new yx.Scanner(rules);
      scanner.setMaxMatchesPerPattern(maxMatchesPerPattern);
      scanner.setTimeoutMs(timeoutMs);
      const used = usedExternals(joined);
      const last: Partial<YaraExternals> = {};
      const scanBuffer = (d: Uint8Array, ext: YaraExternals): YaraMatch[] => {
        for (const n of used) {
          if (last[n] !== ext[n]) scanner.setGlobal(n, (last[n] = ext[n]));
        }
        return fromWasm(scanner.scan(d));
      };
      return {
        scanBuffer,
        scanFile: (p, ext) => scanBuffer(readFileSync(p), ext),
        close: () => {
          scanner.free();
          rules.free();
        },
      };
    },
  };
}

/** Whether the native binding loads on this platform (it has no Windows, musl or arm64-linux build). */
export function nativeAvailable(): boolean {
  try {
    require('@litko/yara-x');
    return true;
  } catch {
    return false;
  }
}

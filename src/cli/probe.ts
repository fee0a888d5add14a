// exhunt probe TARGET... : safe, read-only remote exposure check of Exchange servers you own.
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { DEFAULT_PROBE, SSRF_CHECK, probeMany, type ProbeOptions } from '../detect/exchange/probe-run.js';
import { countTargets, expandTargets, parseTarget, targetLines, MAX_PREFIX_WITHOUT_FORCE, type TargetSpec } from '../detect/exchange/probe-targets.js';
import { terminalSafe } from '../escape.js';
import { isVulnerable, probeWriter } from '../detect/exchange/probe-output.js';

interface Io { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }

import { VERSION } from '../version.js';

const HELP = `Usage: exhunt probe [options] TARGET...

Read-only check of Exchange servers you are responsible for: fetches the OWA and ECP login pages
(GET /owa/auth/logon.aspx and GET /ecp/, following redirects only on the same host), reads the build
from versioned resource paths (/owa/auth/<build>/...) and the X-OWA-Version header, and lists the fixes
that build lacks. Nothing is logged in to, uploaded or changed.

TARGET   host, host:port, https://host[:port], IPv4/IPv6 address, or an IPv4 CIDR range
         (ranges need --i-own-these; ranges larger than /${MAX_PREFIX_WITHOUT_FORCE} also need --force)

Options:
  --targets FILE        read targets from FILE (one per line, # comments)
  --i-own-these         confirm you own/operate every address in the ranges given
  --force               allow ranges larger than /${MAX_PREFIX_WITHOUT_FORCE} (up to /8)
  --check-ssrf          also run the ProxyLogon SSRF check (sends exactly what is described below)
  --insecure            accept self-signed / untrusted TLS certificates
  --proxy URL           send requests through an HTTP proxy (http://host:port; CONNECT for https)
  --resolve HOST:ADDR   connect to ADDR for HOST without DNS (repeatable)
  --concurrency N       hosts in flight (default ${DEFAULT_PROBE.concurrency}, max 512)
  --timeout SECONDS     per request, whole answer included (default ${DEFAULT_PROBE.timeoutMs / 1000})
  --retries N           extra attempts after a network error (default ${DEFAULT_PROBE.retries})
  --max-bytes N         read at most N bytes of an answer (default ${DEFAULT_PROBE.maxBytes})
  --format text|json|csv  output format (default text)
  --output FILE         write the report to FILE instead of standard output
                        (hosts are written as they complete, so large ranges use little memory)
  -h, --help            this help

SSRF check (--check-ssrf):
  ${SSRF_CHECK.explain.replace(/(.{1,96})(\s|$)/g, '$1\n  ').trimEnd()}

Exit status: 0 nothing vulnerable found, 1 at least one host vulnerable, 2 bad usage or input.
`;

export async function probeCommand(argv: string[], io: Io): Promise<number> {
  const opts: ProbeOptions = { ...DEFAULT_PROBE };
  const raw: string[] = [];
  let format = 'text';
  let output: string | undefined;
  let targetsFile: string | undefined;
  let iOwn = false;
  let force = false;
  const resolve: Record<string, string> = {};
  const usage = (m: string): number => { io.stderr.write(`exhunt probe: ${m}\n(see exhunt probe --help)\n`); return 2; };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = (): string | undefined => argv[++i];
    const num = (name: string, min: number, max: number): number | undefined => {
      const v = Number(val());
      return Number.isFinite(v) && v >= min && v <= max ? v : (usage(`${name} needs a number between ${min} and ${max}`), undefined);
    };
    switch (a) {
      case '-h': case '--help': io.stdout.write(HELP); return 0;
      case '--targets': targetsFile = val(); if (!targetsFile) return usage('--targets needs a file'); break;
      case '--i-own-these': iOwn = true; break;
      case '--force': force = true; break;
      case '--check-ssrf': opts.checkSsrf = true; break;
      case '--insecure': opts.insecure = true; break;
      case '--proxy': {
        const p = val();
        try { if (!p || new URL(p).protocol !== 'http:') throw new Error(); } catch { return usage('--proxy needs http://host:port'); }
        opts.proxy = p;
        break;
      }
      case '--resolve': {
        const m = /^([^:]+):(.+)$/.exec(val() ?? '');
        if (!m) return usage('--resolve needs HOST:ADDRESS');
        resolve[m[1]!.toLowerCase()] = m[2]!.replace(/^\[|\]$/g, '');
        break;
      }
      case '--concurrency': { const n = num('--concurrency', 1, 512); if (n === undefined) return 2; opts.concurrency = n; break; }
      case '--timeout': { const n = num('--timeout', 0.1, 600); if (n === undefined) return 2; opts.timeoutMs = Math.round(n * 1000); break; }
      case '--retries': { const n = num('--retries', 0, 5); if (n === undefined) return 2; opts.retries = n; break; }
      case '--max-bytes': { const n = num('--max-bytes', 1024, 64 << 20); if (n === undefined) return 2; opts.maxBytes = n; break; }
      case '--format': format = val() ?? ''; if (!['text', 'json', 'csv'].includes(format)) return usage('--format is text, json or csv'); break;
      case '--output': output = val(); if (!output) return usage('--output needs a file'); break;
      default:
        if (a.startsWith('-')) return usage(`unknown option ${terminalSafe(a)}`);
        raw.push(a);
    }
  }
  if (Object.keys(resolve).length) opts.resolve = resolve;
  if (targetsFile) {
    try { raw.push(...targetLines(await readFile(targetsFile, 'utf8'))); }
    catch (e) { return usage(`cannot read ${terminalSafe(targetsFile)}: ${(e as Error).message}`); }
  }
  if (raw.length === 0) return usage('no targets');
  const specs: TargetSpec[] = [];
  const errors: string[] = [];
  for (const t of raw) {
    const p = parseTarget(t, { iOwnThese: iOwn, force });
    if ('error' in p) errors.push(p.error); else specs.push(p);
  }
  if (errors.length) { for (const e of errors.slice(0, 20)) io.stderr.write(`exhunt probe: ${terminalSafe(e)}\n`); return 2; }
  const total = countTargets(specs);
  const started = Date.now();
  let out: NodeJS.WritableStream = io.stdout;
  if (output) {
    const ws = createWriteStream(output);
    try { await once(ws, 'open'); } catch (e) { return usage(`cannot write ${terminalSafe(output)}: ${(e as Error).message}`); }
    out = ws;
  }
  // results are written as they complete (completion order), so memory stays flat over large ranges
  const w = probeWriter(format as 'text' | 'json' | 'csv', started, VERSION);
  out.write(w.head());
  let lastReport = 0;
  let vulnerable = 0;
  let unreachable = 0;
  let count = 0;
  await probeMany(expandTargets(specs), opts, (r, done) => {
    out.write(w.row(r, count === 0));
    count++;
    if (isVulnerable(r)) vulnerable++;
    if (r.status === 'unreachable') unreachable++;
    if (total >= 50 && Date.now() - lastReport > 2000) { lastReport = Date.now(); io.stderr.write(`probe: ${done}/${total} hosts\n`); }
  }, false);
  const finished = Date.now();
  out.write(w.tail(finished));
  if (out !== io.stdout) { (out as NodeJS.WritableStream & { end(): void }).end(); await once(out, 'finish'); }
  io.stderr.write(`probe: ${count} hosts in ${((finished - started) / 1000).toFixed(1)} s; ${vulnerable} vulnerable, ${unreachable} unreachable\n`);
  return vulnerable > 0 ? 1 : 0;
}

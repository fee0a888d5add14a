// exhunt scan over a generated collection of IIS and HttpProxy logs (default 1 and 2 GiB), side by side
// with the raw-search ceiling (ripgrep searching the same files for the same rules' literals) and with
// how Loki/THOR-style scanners do it (Debian's yara running one rule per Sigma rule over the files).
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules } from '../src/scan/rules.js';
import { generateBench } from '../src/sim/index.js';
import { fmtRatio, have, measure } from './measure.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, '.bench');
const GiB = 1 << 30;

function duSize(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n += statSync(join(e.parentPath, e.name)).size;
  return n;
}

async function collection(gib: number): Promise<string> {
  const dir = join(CACHE, `logs-${gib}g`, 'EXCH01');
  if (!existsSync(join(dir, '..', 'done'))) {
    console.log(`  generating ${gib} GiB of IIS and HttpProxy logs in ${dir} ...`);
    const t = Date.now();
    await generateBench(dir, gib * GiB);
    writeFileSync(join(dir, '..', 'done'), '');
    console.log(`  generated in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  return dir;
}

/** The literals of the bundled rules for the log types in the collection, and one YARA rule per Sigma rule. */
async function referenceInputs(dir: string): Promise<{ literalsFile: string; yaraFile: string; count: number }> {
  const { ruleSet } = await loadRules({ sigma: [] });
  const all = new Set<string>();
  const yara: string[] = [];
  let i = 0;
  for (const lt of ['iis', 'httpproxy/owa', 'httpproxy/ecp', 'httpproxy/autodiscover', 'httpproxy/ews', 'httpproxy/mapi', 'httpproxy/powershell']) {
    const rules = ruleSet.forLogType(lt);
    for (const r of rules.rules) {
      const lits = rules.literalsOf(r);
      if (!lits) continue;
      lits.forEach((l) => all.add(l));
      const strings = lits.map((l, k) => `    $s${k} = "${l.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}" nocase`).join('\n');
      yara.push(`rule r${i++} {\n  strings:\n${strings}\n  condition:\n    any of them\n}`);
    }
  }
  const literalsFile = join(dir, '..', 'literals.txt');
  const yaraFile = join(dir, '..', 'log-rules.yar');
  writeFileSync(literalsFile, [...all].join('\n') + '\n');
  writeFileSync(yaraFile, yara.join('\n\n') + '\n');
  return { literalsFile, yaraFile, count: all.size };
}

export async function run(): Promise<void> {
  console.log('\n== logs: exhunt scan vs ripgrep and yara (IIS + HttpProxy) ==');
  mkdirSync(CACHE, { recursive: true });
  const sizes = (process.env['EXHUNT_BENCH_LOG_GIB'] ?? '1,2').split(',').map(Number).filter((n) => n > 0);
  const exhunt = join(ROOT, 'bin', 'exhunt.js');
  for (const gib of sizes) {
    const dir = await collection(gib);
    const bytes = duSize(dir);
    const mb = bytes / 1048576;
    const ref = await referenceInputs(dir);
    const ex = measure(process.execPath, [exhunt, 'scan', dir, '--format', 'json', '--out', '/dev/null', '--quiet']);
    console.log(`  input ${mb.toFixed(0)} MiB; ${ref.count} distinct rule literals`);
    console.log(`  exhunt scan (all bundled rules, line-level evidence): ${ex.seconds.toFixed(2)} s, ${(mb / ex.seconds).toFixed(0)} MiB/s, peak RSS ${ex.peakMiB?.toFixed(0) ?? '?'} MiB`);
    if (have('rg')) {
      const rg = measure('rg', ['-i', '-F', '-c', '--no-messages', '-f', ref.literalsFile, dir]);
      console.log(`  rg -i -F (same literals, no parsing):                ${rg.seconds.toFixed(2)} s  -> exhunt/rg ${fmtRatio(ex.seconds, rg.seconds)} (target <= 1.5x)`);
    } else console.log('  rg: not installed (apt-get install ripgrep)');
    if (have('yara')) {
      const y = measure('yara', ['-p', '2', '-r', '-c', ref.yaraFile, dir]);
      console.log(`  yara -p 2 (one rule per Sigma rule, file-level):     ${y.seconds.toFixed(2)} s  -> yara/exhunt ${fmtRatio(y.seconds, ex.seconds)} (target >= 4x)`);
    } else console.log('  yara: not installed (apt-get install yara)');
  }
}

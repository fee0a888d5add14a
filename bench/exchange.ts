// exhunt probe over 2,000 fake hosts on loopback (one local server answering them as virtual hosts;
// 2% slow, 1% hanging until the timeout): total time and peak memory at the default concurrency and
// at concurrency 1. The fake server runs in this process, so its cost is included in the figures.
import { DEFAULT_PROBE, probeMany, type ProbeOptions, type ProbeResult } from '../src/detect/exchange/probe-run.js';
import type { ProbeTarget } from '../src/detect/exchange/probe-targets.js';
import { startFakeOwa, type OwaProfile } from '../test/exchange/fake-owa.js';

const HOSTS = 2000;
const BUILDS = ['15.1.2176.2', '15.2.986.30', '15.2.1118.20', '15.0.1497.2', '15.1.2507.16'];

async function once(label: string, targets: ProbeTarget[], o: ProbeOptions): Promise<void> {
  let peakRss = 0;
  const sample = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 25);
  const t0 = process.hrtime.bigint();
  // as the CLI runs it: results handed on as they complete, nothing accumulated but the summary
  const results: ProbeResult[] = [];
  await probeMany(targets, o, (r) => { if (r.status !== 'ok') results.push(r); else results.push({ ...r, missing: [], http: [], buildSeen: [] }); }, false);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  clearInterval(sample);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const ok = results.filter((r) => r.status === 'ok').length;
  const dead = results.filter((r) => r.status === 'unreachable');
  const worstDead = Math.max(0, ...dead.map((r) => r.durationMs));
  console.log(`probe ${label}: ${results.length} hosts in ${(ms / 1000).toFixed(2)} s (${(results.length / (ms / 1000)).toFixed(0)} hosts/s), ${ok} with a build, ${dead.length} unreachable (slowest ${worstDead} ms at timeout ${o.timeoutMs} ms), peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
}

export async function run(): Promise<void> {
  const profiles: Record<string, OwaProfile> = {};
  const resolve: Record<string, string> = {};
  const names: string[] = [];
  for (let i = 0; i < HOSTS; i++) {
    const name = `h${String(i).padStart(4, '0')}.bench.test`;
    names.push(name);
    resolve[name] = '127.0.0.1';
    profiles[name] = i % 100 === 7 ? { hang: true } : { build: BUILDS[i % BUILDS.length]!, header: i % 2 === 0, ...(i % 50 === 3 ? { slowMs: 200 } : {}) };
  }
  const server = await startFakeOwa(profiles);
  try {
    const targets: ProbeTarget[] = names.map((n) => ({ input: n, scheme: 'http', host: n, port: server.port }));
    const o: ProbeOptions = { ...DEFAULT_PROBE, timeoutMs: 1000, resolve };
    await once(`concurrency ${o.concurrency}`, targets, o);
    await once('concurrency 1', targets, { ...o, concurrency: 1 });
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

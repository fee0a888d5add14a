// Simulator throughput: the benchmark preset (IIS + HttpProxy bulk) and the demo preset, wall and CPU time.
// EXHUNT_BENCH_SIM_MB sets the bulk size (default 1024); EXHUNT_BENCH_SIM_DIR where it is written
// (default the OS temp folder; point it at tmpfs to measure the generator rather than the disk).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBench, generateDemo } from '../src/sim/index.js';

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const cu = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (cu.user + cu.system) / 1e6 };
}

export async function run(): Promise<void> {
  console.log('\n== sim: synthetic Exchange collection generator ==');
  const mb = Number(process.env['EXHUNT_BENCH_SIM_MB'] ?? 1024);
  const base = mkdtempSync(join(process.env['EXHUNT_BENCH_SIM_DIR'] ?? tmpdir(), 'exhunt-bench-sim-'));
  try {
    const bulk = await timed(() => generateBench(join(base, 'bulk'), mb * 1048576));
    const size = bulk.value.bytes / 1048576;
    console.log(`  bench preset: ${size.toFixed(0)} MiB in ${bulk.value.files} files, ${bulk.wall.toFixed(2)} s wall = ${(size / bulk.wall).toFixed(0)} MiB/s, ` +
      `${bulk.cpu.toFixed(2)} s CPU = ${(size / bulk.cpu).toFixed(0)} MiB/CPU-s, RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB, ${bulk.value.truth.length} planted lines`);
    rmSync(join(base, 'bulk'), { recursive: true, force: true });
    const demo = await timed(() => generateDemo(join(base, 'demo')));
    console.log(`  demo preset: ${(demo.value.bytes / 1048576).toFixed(1)} MiB in ${demo.value.files} files, ${demo.wall.toFixed(2)} s wall, ${demo.value.truth.length} planted items`);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

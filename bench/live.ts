// exhunt collect throughput: a generated server of ~256 MB (IIS + HttpProxy bulk, kape layout) collected
// through `exhunt collect --mount` (the CLI, a real child process), at two sizes for memory growth; and the
// same scanned from the zip vs from the folder, to show what the zip costs an analyst.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBench } from '../src/sim/index.js';
import { measure } from './measure.js';

const CLI = new URL('../src/cli/run.ts', import.meta.url).pathname;

export async function run(): Promise<void> {
  console.log('\n== live: exhunt collect (streaming zip, deflate level 1, SHA-256 per member) ==');
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-bench-live-'));
  try {
    for (const mb of [64, 256]) {
      const src = join(dir, `srv${mb}`);
      const gen = await generateBench(src, mb << 20, { layout: 'kape' });
      const zip = join(dir, `srv${mb}.zip`);
      const c = measure(process.execPath, ['--import', 'tsx', CLI, 'collect', '--out', zip, '--mount', `C=${join(src, 'C')}`, '-q']);
      const zbytes = (await stat(zip)).size;
      const inMB = gen.bytes / 1048576;
      console.log(`collect ${inMB.toFixed(0)} MB in ${gen.files} files: ${c.seconds.toFixed(1)} s, ${(inMB / c.seconds).toFixed(0)} MB/s, zip ${(zbytes / 1048576).toFixed(1)} MB (${((zbytes / gen.bytes) * 100).toFixed(1)}%), peak RSS ${c.peakMiB?.toFixed(0) ?? '?'} MiB`);
      if (mb === 256) {
        const a = measure(process.execPath, ['--import', 'tsx', CLI, 'scan', src, '-q', '-f', 'json', '-o', join(dir, 'a.json')]);
        const b = measure(process.execPath, ['--import', 'tsx', CLI, 'scan', zip, '-q', '-f', 'json', '-o', join(dir, 'b.json')]);
        console.log(`scan of the folder ${a.seconds.toFixed(1)} s; of the zip ${b.seconds.toFixed(1)} s (unpacking included)`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

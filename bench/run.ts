// npm run bench: every area's benchmark, or the ones named (npm run bench -- logs evtx).
const AREAS = ['logs', 'sigma', 'evtx', 'yara', 'exchange', 'report', 'fleet', 'live', 'sim'] as const;

const wanted = process.argv.slice(2).filter((a) => (AREAS as readonly string[]).includes(a));
for (const area of wanted.length ? wanted : AREAS) {
  let mod: { run?: () => Promise<void> };
  try {
    mod = (await import(`./${area}.js`)) as { run?: () => Promise<void> };
  } catch (e) {
    console.log(`\n== ${area}: no benchmark (${(e as Error).message.split('\n')[0]}) ==`);
    continue;
  }
  await mod.run?.();
}

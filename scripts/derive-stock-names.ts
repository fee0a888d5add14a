// Derive rules/baselines/exchange-stock-names.json: the NAMES of stock Exchange web-folder files per folder
// (facts, no hashes), from the CSS-Exchange baselines folder, so exhunt can tell stock from foreign names
// when no baseline folder is available at run time.
// Usage: node --import tsx scripts/derive-stock-names.ts [baseline-dir]
import { writeFileSync } from 'node:fs';
import { DEFAULT_BASELINE_DIR, loadBaselines } from '../src/detect/webshell/baseline.js';

const dir = process.argv[2] ?? DEFAULT_BASELINE_DIR;
const b = loadBaselines([dir]);
if (b.builds.size === 0) throw new Error(`no baselines in ${dir}: ${b.problems.join('; ')}`);
const folders: Record<string, string[]> = {};
for (const f of [...b.namesByFolder.keys()].sort()) folders[f] = [...(b.namesByFolder.get(f) ?? [])].sort((x, y) => x.localeCompare(y));
const out = {
  source: 'microsoft/CSS-Exchange Security/Baselines/baseline_<build>.csv (MIT), repository history 2021-2022; file names only',
  builds: [...b.builds].sort(),
  extensions: ['.aspx', '.ashx', '.asmx', '.asax', '.ascx', '.master', '.config', '.svc'],
  folders,
};
writeFileSync(new URL('../rules/baselines/exchange-stock-names.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
console.log(`${Object.keys(folders).length} folders, ${b.builds.size} builds`);

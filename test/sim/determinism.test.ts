import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generateCollection, LAYOUT_PREFIX, type GenerateOptions, type Layout } from '../../src/sim/index.js';
import { listFiles, sha256, tempDir, treeHash } from './helpers.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function small(out: string, over: Partial<GenerateOptions> = {}): GenerateOptions {
  return { out, seed: 42, days: 2, scale: 0.005, users: 30, scenarios: 'all', ...over };
}
const runs = new Map<string, Promise<{ out: string; res: Awaited<ReturnType<typeof generateCollection>> }>>();
/** one generation per label, shared by the tests */
function run(label: string, over: Partial<GenerateOptions> = {}) {
  let r = runs.get(label);
  if (r === undefined) {
    const out = tempDir(label);
    dirs.push(out);
    r = generateCollection(small(out, over)).then((res) => ({ out, res }));
    runs.set(label, r);
  }
  return r;
}

test('same seed gives byte-identical collections and truth; another seed does not', async () => {
  const a = await run('a');
  const b = await run('b');
  const c = await run('c', { seed: 43 });
  assert.equal(treeHash(a.out), treeHash(b.out));
  assert.deepEqual(a.res, b.res);
  assert.notEqual(treeHash(a.out), treeHash(c.out));
});

test('the reported file count and byte total match what is on disk', async () => {
  const a = await run('a');
  const files = listFiles(a.out);
  assert.equal(a.res.files, files.length);
  const bytes = files.reduce((s, f) => s + readFileSync(join(a.out, f)).length, 0);
  assert.equal(a.res.bytes, bytes);
});

test('every layout holds the same files under its own prefix, and truth points into them', async () => {
  const base = await run('a');
  const baseFiles = listFiles(base.out);
  const baseHashes = new Map(baseFiles.map((f) => [f, sha256(readFileSync(join(base.out, f)))]));
  for (const layout of ['kape', 'velociraptor'] as Layout[]) {
    const other = await run(layout, { layout });
    const prefix = LAYOUT_PREFIX[layout as Exclude<Layout, 'loose'>];
    const files = listFiles(other.out);
    assert.ok(files.every((f) => f.startsWith(prefix)), `${layout}: files outside ${prefix}`);
    assert.deepEqual(files.map((f) => f.slice(prefix.length)), baseFiles);
    for (const f of files) assert.equal(sha256(readFileSync(join(other.out, f))), baseHashes.get(f.slice(prefix.length)), f);
    assert.deepEqual(other.res.truth.map((t) => t.path), base.res.truth.map((t) => prefix + t.path));
  }
  const loose = await run('loose', { layout: 'loose' });
  const looseFiles = listFiles(loose.out);
  assert.ok(looseFiles.every((f) => !f.includes('/')), 'loose layout has sub-folders');
  assert.equal(new Set(looseFiles.map((f) => f.toLowerCase())).size, looseFiles.length, 'loose names collide');
  const looseHashes = looseFiles.map((f) => sha256(readFileSync(join(loose.out, f)))).sort();
  assert.deepEqual(looseHashes, [...baseHashes.values()].sort());
  // the same planted items, at the same lines, under the loose names
  assert.equal(loose.res.truth.length, base.res.truth.length);
  loose.res.truth.forEach((t, i) => {
    const b = base.res.truth[i]!;
    assert.equal(t.step, b.step);
    assert.equal(t.line, b.line);
    assert.ok(looseFiles.includes(t.path), t.path);
    assert.equal(t.path, t.path.split('/').pop());
  });
});

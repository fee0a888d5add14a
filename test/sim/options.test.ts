import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, test } from 'node:test';
import { benchOptions, generateCollection, REQUESTS_PER_DAY } from '../../src/sim/index.js';
import { listFiles, tempDir } from './helpers.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const dir = (label: string): string => {
  const d = tempDir(label);
  dirs.push(d);
  return d;
};

test('a scenario can be switched on alone and placed at a given time', async () => {
  const res = await generateCollection({ out: dir('at'), seed: 9, start: '2022-12-01', days: 2, scale: 0.005, users: 20, scenarios: [{ name: 'owassrf', at: '2022-12-02T14:30:00Z' }] });
  assert.ok(res.truth.length > 0);
  assert.ok(res.truth.every((t) => t.scenario === 'owassrf'));
  const first = res.truth.map((t) => t.time).sort()[0]!;
  assert.ok(first >= '2022-12-02T14:30:00' && first < '2022-12-02T14:40:00', first);
});

test('bad scenario names and times outside the window are refused', async () => {
  await assert.rejects(generateCollection({ out: dir('bad'), days: 1, scale: 0.001, scenarios: [{ name: 'proxylogon', at: '2020-01-01T00:00:00Z' }] }), /outside the window/);
  await assert.rejects(generateCollection({ out: dir('bad2'), days: 1, scale: 0.001, scenarios: ['nope' as 'proxylogon'] }), /unknown scenario/);
  await assert.rejects(generateCollection({ out: dir('bad3'), start: 'yesterday', scale: 0.001 }), /bad start day/);
});

test('the benchmark preset writes only IIS and HttpProxy logs, near the size asked, with attack lines among them', async () => {
  const target = 8 * 1048576;
  const out = dir('bench');
  const res = await generateCollection(benchOptions(out, target, { days: 2 }));
  const files = listFiles(out);
  assert.ok(files.every((f) => f.startsWith('inetpub/logs/LogFiles/W3SVC') || f.includes('/Logging/HttpProxy/')), files.find((f) => !f.includes('HttpProxy')));
  assert.ok(res.bytes > target * 0.75 && res.bytes < target * 1.25, `${res.bytes} bytes for ${target}`);
  assert.ok(res.truth.length > 20);
  assert.ok(res.truth.every((t) => t.kind === 'log-line' && (t.logType === 'iis' || t.logType!.startsWith('httpproxy/'))));
});

test('scale multiplies the traffic', async () => {
  const small = await generateCollection({ out: dir('s1'), seed: 2, days: 1, scale: 0.01, users: 20, scenarios: 'none' });
  const big = await generateCollection({ out: dir('s4'), seed: 2, days: 1, scale: 0.04, users: 20, scenarios: 'none' });
  const ratio = big.bytes / small.bytes;
  assert.ok(ratio > 2.5 && ratio < 5, `ratio ${ratio}`);
  assert.ok(REQUESTS_PER_DAY > 0);
});

test('mitigations put the EOMT and EOMTv2 URL Rewrite rules into the Default Web Site web.config', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const plain = dir('nomit');
  await generateCollection({ out: plain, days: 1, scale: 0.002, users: 12, scenarios: 'none' });
  assert.doesNotMatch(readFileSync(join(plain, 'inetpub/wwwroot/web.config'), 'utf8'), /<rewrite>/);
  const m = dir('mit');
  await generateCollection({ out: m, days: 1, scale: 0.002, users: 12, scenarios: 'none', mitigations: [{ name: 'eomt' }, { name: 'eomtv2', at: '2021-03-01T12:00:00Z' }] });
  const cfg = readFileSync(join(m, 'inetpub/wwwroot/web.config'), 'utf8');
  assert.match(cfg, /<rule name="X-BEResource Abort - inbound" stopProcessing="true">\s*<match url="\.\*" \/>\s*<conditions>\s*<add input="\{HTTP_COOKIE\}" pattern="\(\.\*\)X-BEResource=\(\.\+\)\/\(\.\+\)~\(\.\+\)" \/>/);
  assert.match(cfg, /<rule name="X-AnonResource-Backend Abort - inbound">/);
  assert.match(cfg, /<add input="\{UrlDecode:\{REQUEST_URI\}\}" pattern="\(\?=\.\*autodiscover\)\(\?=\.\*powershell\)" \/>\s*<\/conditions>\s*<action type="AbortRequest" \/>/);
});

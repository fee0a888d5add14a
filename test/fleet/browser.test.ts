// The dashboard in real headless Chromium: log in, upload a collection, watch the job finish, filter the
// host list, open a host, change its state, and find the change in the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser } from 'playwright-core';
import type { ScanFn } from '../../src/fleet/queue/types.js';
import { finding, hostResult, makeZip, scanResult, startServer, type TestServer } from './helpers.js';
import { uploadResult } from '../../src/fleet/client.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(tmpdir(), 'exhunt-fleet-screenshots');
const have = existsSync(CHROMIUM);

const scan: ScanFn = async (_input, opts) => scanResult([hostResult(opts.host ?? 'browser-upload', 'compromised', [finding(1), finding(2)])], Date.now());

let s: TestServer;
let browser: Browser;
before(async () => {
  if (!have) return;
  s = await startServer({ scan, inproc: { pollMs: 50 } });
  // a fleet to look at: 120 hosts across verdicts
  const tok = await s.token('admin', ['ingest']);
  const verdicts = ['compromised', 'exploited', 'attempted', 'vulnerable', 'clean', 'inconclusive'] as const;
  const hosts = Array.from({ length: 120 }, (_, i) => hostResult(`ex${String(i).padStart(3, '0')}.acme.example`, verdicts[i % 6]!,
    i % 6 < 3 ? [finding(i), finding(i + 1)] : [], { reason: i % 6 === 0 ? 'a web shell was written and then requested' : 'no sign of compromise' }));
  await uploadResult(`${s.base}/?tenant=acme`, tok, scanResult(hosts, Date.now() - 86_400_000));
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  await mkdir(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await s?.close();
});

test('log in, upload, watch the job, filter, open a host, change its state, see the audit entry', { timeout: 60_000, skip: have ? false : `${CHROMIUM} is not installed (apt-get install chromium)` }, async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const cspViolations: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });

  await page.goto(`${s.base}/hosts`);
  assert.match(page.url(), /\/login\?next=/);
  await page.fill('#u', 'analyst');
  await page.fill('#p', s.users.analyst.password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/hosts$/);
  assert.equal(await page.locator('#hosts tr').count(), 51, 'first page: header + 50 hosts');

  // upload a collection through the form and watch the job list until it is done
  await page.goto(`${s.base}/jobs`);
  const zip = join(SHOTS, 'collection.zip');
  await writeFile(zip, makeZip([{ name: 'W3SVC1/u_ex210303.log', data: Buffer.from('#Fields: date time\n') }]));
  await page.fill('input[name=host]', 'uploaded-in-browser.acme.example');
  await page.setInputFiles('input[type=file]', zip);
  await page.click('text=Upload and scan');
  await page.waitForURL(/\/jobs\?ok=uploaded/);
  await page.locator('td.job-status', { hasText: 'done' }).first().waitFor({ timeout: 20_000 });

  // filter: compromised hosts whose name contains ex00
  await page.goto(`${s.base}/hosts`);
  await page.selectOption('select[name=verdict]', 'compromised');
  await page.fill('input[name=q]', 'ex00');
  await page.click('form.filters button[type=submit]');
  await page.waitForURL(/verdict=compromised/);
  const names = await page.locator('#hosts td:nth-child(2) a').allTextContents();
  assert.deepEqual(names.sort(), ['ex000.acme.example', 'ex006.acme.example']);
  await page.screenshot({ path: join(SHOTS, 'hosts.png'), fullPage: true });

  // open a host and move it to 'cleaned'
  await page.click('text=ex006.acme.example');
  await page.waitForURL(/\/hosts\/\d+$/);
  await page.selectOption('select[name=state]', 'cleaned');
  await page.fill('input[name=assignee]', 'dana');
  await page.click('text=Save');
  await page.waitForURL(/ok=saved/);
  assert.equal(await page.textContent('#state'), 'cleaned');
  assert.match((await page.textContent('#audit')) ?? '', /state: new -> cleaned/);
  await page.screenshot({ path: join(SHOTS, 'host.png'), fullPage: true });

  await page.goto(`${s.base}/audit`);
  assert.match((await page.textContent('#audit')) ?? '', /analyst\s*ex006\.acme\.example\s*state\s*new -> cleaned/);
  await page.goto(`${s.base}/`);
  await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true });
  assert.deepEqual(cspViolations, [], 'the pages need nothing the CSP forbids');
  await page.close();
});

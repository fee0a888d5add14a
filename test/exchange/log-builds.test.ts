import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { observationsFromRecord, observationFromHeader } from '../../src/detect/exchange/log-builds.js';
import { exchangeExposure } from '../../src/detect/exchange/host-exposure.js';
import { identifyBuild, missingFixes } from '../../src/detect/exchange/knowledge.js';
import { createTimelineAccumulator, accumulateObservation } from '../../src/detect/exchange/build-timeline.js';
import type { LogRecord } from '../../src/types.js';
import { makePe, tempCollection } from './helpers.js';

const at = { path: 'Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG', line: 7, excerpt: '2021-03-03T06:59:18.042Z,...' };

test('HttpProxy version columns, TargetServerVersion and ECP S:BLD become observations', () => {
  const rec: LogRecord = { time: Date.parse('2021-03-03T06:59:18.042Z'), at, fields: { MajorVersion: '15', MinorVersion: '1', BuildVersion: '2176', RevisionVersion: '2', TargetServerVersion: '15.01.2176.000' } };
  const o = observationsFromRecord(rec);
  assert.deepEqual(o.map((x) => [x.build, x.role ?? 'self']), [['15.1.2176.2', 'self'], ['15.1.2176.0', 'backend']]);
  const ecp: LogRecord = { time: 1, at, fields: { EventData: "S:TIME=41;S:SID=x;S:URL=/ecp/DDI/DDIService.svc/SetObject;S:EX=;S:BLD=15.1.2176.2" } };
  assert.equal(observationsFromRecord(ecp)[0]!.build, '15.1.2176.2');
  assert.deepEqual(observationsFromRecord({ time: 1, at, fields: { MajorVersion: '', BuildVersion: 'x', EventData: 'S:BLD=' } }), []);
  assert.equal(observationFromHeader('#Version: 15.01.2375.007', 5, at)!.build, '15.1.2375.7');
  assert.equal(observationFromHeader('#Version: 15.0.0.0', 5, at), undefined, 'ECP placeholder');
});

test('exchangeExposure wires installed build, mitigations and exposure in one call', async (t) => {
  const c = tempCollection();
  t.after(() => c.cleanup());
  c.add('C/Program Files/Microsoft/Exchange Server/V15/Bin/ExSetup.exe', makePe([15, 1, 2176, 2]));
  c.add('C/Program Files/Microsoft/Exchange Server/V15/bin/not-a-pe/ExSetup.exe', 'MZ junk');
  const acc = createTimelineAccumulator();
  accumulateObservation(acc, { time: Date.parse('2021-03-03T00:00:00Z'), build: '15.01.2176.002', source: at });
  const r = await exchangeExposure('EX01', c.files, acc);
  assert.equal(r.exposure.build, '15.1.2176.2');
  assert.ok(r.findings.some((f) => f.rule.id === 'exposure.proxylogon' && f.level === 'critical' && f.cves.includes('CVE-2021-26855')));
  assert.equal(r.errors.length, 1);
  assert.equal(r.findings[0]!.evidence.path, 'C/Program Files/Microsoft/Exchange Server/V15/Bin/ExSetup.exe');
});

// Cross-check with a second public source: the build numbers CSS-Exchange published baselines for.
const corpus = fileURLToPath(new URL('../../../shared/corpora/exchange-baselines/', import.meta.url));
test('every build with a CSS-Exchange baseline is placed in a known CU', { skip: existsSync(corpus) ? false : 'corpus ../shared/corpora/exchange-baselines absent' }, () => {
  const builds = readdirSync(corpus).map((f) => /^baseline_(.+)\.csv\.gz$/.exec(f)?.[1]).filter((x): x is string => !!x);
  assert.ok(builds.length > 50);
  for (const b of builds) {
    const id = identifyBuild(b);
    assert.ok(id.product && id.cu && id.cuBuild, `${b}: ${id.notes.join('; ')}`);
    missingFixes(b);
  }
  const known = builds.filter((b) => identifyBuild(b).known).length;
  assert.ok(known >= builds.length - 5, `${known} of ${builds.length} baseline builds listed exactly`);
  for (const b of ['15.1.2176.9', '15.2.792.10', '15.1.2106.13', '15.0.1497.12', '15.2.721.13']) {
    if (!builds.includes(b)) continue;
    assert.equal(identifyBuild(b).su, 'Mar21SU', b);
    assert.ok(!missingFixes(b).some((m) => m.cve === 'CVE-2021-26855'), b);
  }
});

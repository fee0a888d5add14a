import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { judge, loadBaselines } from '../../src/detect/webshell/baseline.js';
import { resolveBaseline } from '../../src/detect/webshell/index.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpora/exchange-baselines/', import.meta.url));
const OWA_AUTH = 'frontend/httpproxy/owa/auth';

describe('stock-file baseline', () => {
  test('tells stock, modified, foreign and look-alike files apart (CSS-Exchange baselines)', (t) => {
    if (!existsSync(CORPUS)) return t.skip('baseline corpus not present at ../shared/corpora/exchange-baselines');
    const b = loadBaselines([CORPUS]);
    assert.ok(b.builds.size > 10);
    const logon = b.byPath.get(`${OWA_AUTH}/logon.aspx`);
    assert.ok(logon, 'owa/auth/logon.aspx is a stock file');
    const [hash, builds] = [...logon.entries()][0] as [string, string[]];
    const build = builds[0] as string;
    assert.deepEqual(judge(b, `${OWA_AUTH}/logon.aspx`, hash, build), { kind: 'stock', builds });
    assert.deepEqual(judge(b, `${OWA_AUTH}/logon.aspx`, 'ab'.repeat(32), build), { kind: 'stock-name', buildKnown: true, inBuild: true });
    assert.deepEqual(judge(b, `${OWA_AUTH}/logon.aspx`, 'ab'.repeat(32), '15.2.9999.1'), { kind: 'stock-name', buildKnown: false, inBuild: false });
    assert.deepEqual(judge(b, `${OWA_AUTH}/erroree.aspx`, 'ab'.repeat(32)), { kind: 'not-stock', lookAlike: 'errorFE.aspx' });
    assert.deepEqual(judge(b, `${OWA_AUTH}/redirsuiteserverproxy.aspx`, 'ab'.repeat(32)), { kind: 'not-stock', lookAlike: 'RedirSuiteServiceProxy.aspx' });
    assert.deepEqual(judge(b, `${OWA_AUTH}/zz91kq.aspx`, 'ab'.repeat(32)), { kind: 'not-stock' });
    assert.deepEqual(judge(b, `${OWA_AUTH}/current/scripts/x.js`, 'ab'.repeat(32)), { kind: 'not-covered' });
  });

  test('without a baseline folder, the derived stock names still judge names (and say so)', () => {
    const { baseline, notices } = resolveBaseline('/nonexistent/baselines');
    assert.equal(baseline.byPath.size, 0);
    assert.ok(notices.some((n) => /stock file names only/.test(n.message)));
    assert.deepEqual(judge(baseline, `${OWA_AUTH}/erroree.aspx`, 'ab'.repeat(32)), { kind: 'not-stock', lookAlike: 'errorFE.aspx' });
    assert.deepEqual(judge(baseline, `${OWA_AUTH}/logon.aspx`, 'ab'.repeat(32)), { kind: 'stock-name', buildKnown: false, inBuild: false });
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isWebScanTarget, locateWebFile, parseVirtualDirectories } from '../../src/detect/webshell/index.js';
import { stemFor } from '../../src/detect/webshell/link-requests.js';
import { externalsFor } from '../../src/detect/yara/index.js';

const EX = 'Program Files/Microsoft/Exchange Server/V15';
const PREFIXES = ['', 'C/', 'uploads/auto/C%3A/', 'host1/C$/', 'c/'];

describe('where to look', () => {
  test('Exchange, IIS, compiled-page and staging folders are found whatever the collector prefix and case', () => {
    for (const p of PREFIXES) {
      assert.equal(locateWebFile(`${p}${EX}/FrontEnd/HttpProxy/owa/auth/x.aspx`)?.exchangeRel, 'frontend/httpproxy/owa/auth/x.aspx', p);
      assert.equal(locateWebFile(`${p}${EX.toUpperCase()}/FRONTEND/HTTPPROXY/ecp/auth/Y.ASPX`)?.area, 'exchange-web', p);
      assert.equal(locateWebFile(`${p}${EX}/ClientAccess/ecp/About.aspx`)?.exchangeRel, 'clientaccess/ecp/about.aspx', p);
      assert.equal(locateWebFile(`${p}inetpub/wwwroot/aspnet_client/system_web/a.aspx`)?.canonical, 'inetpub/wwwroot/aspnet_client/system_web/a.aspx', p);
      assert.equal(locateWebFile(`${p}Windows/Microsoft.NET/Framework64/v4.0.30319/Temporary ASP.NET Files/root/1/2/App_Web_x.dll`)?.area, 'aspnet-temp', p);
      assert.equal(locateWebFile(`${p}ProgramData/it.zip`)?.canonical, 'programdata/it.zip', p);
      assert.equal(locateWebFile(`${p}Windows/Temp/lsass.dmp`)?.canonical, 'windows/temp/lsass.dmp', p);
      assert.equal(locateWebFile(`${p}Users/Public/opera/opera_browser.exe`)?.area, 'staging', p);
      assert.equal(locateWebFile(`${p}Users/bob/AppData/Local/Temp/x.7z`)?.canonical, 'usertemp/x.7z', p);
    }
    // a non-default install root and a live install path
    assert.equal(locateWebFile('D/Exchange/FrontEnd/HttpProxy/owa/auth/Current/x.aspx')?.exchangeRel, 'frontend/httpproxy/owa/auth/current/x.aspx');
  });

  test('logs, system folders and other files are not web scan targets', () => {
    for (const p of ['C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', `C/${EX}/Logging/HttpProxy/Owa/x.log`, 'C/Windows/System32/config/SYSTEM', 'C/Users/bob/Documents/a.zip', 'notes.txt']) {
      assert.equal(isWebScanTarget(p), false, p);
    }
  });

  test('extra virtual directories from applicationHost.config become web folders', () => {
    const cfg = `<configuration><system.applicationHost><sites><site name="Default Web Site" id="1">
      <application path="/" applicationPool="DefaultAppPool"><virtualDirectory path="/" physicalPath="%SystemDrive%\\inetpub\\wwwroot" /></application>
      <application path="/owa" applicationPool="MSExchangeOWAAppPool"><virtualDirectory path="/" physicalPath="C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa" /></application>
      <application path="/COM" applicationPool="DefaultAppPool"><virtualDirectory path="/" physicalPath="C:\\ProgramData\\COM\\" /></application>
    </site></sites></system.applicationHost></configuration>`;
    const vdirs = parseVirtualDirectories(cfg);
    assert.ok(vdirs.includes('programdata/com'));
    assert.equal(locateWebFile('C/ProgramData/COM/x.aspx', vdirs)?.area, 'vdir');
    assert.equal(locateWebFile('C/ProgramData/COMX/x.aspx', vdirs)?.area, 'staging');
  });

  test('URI stems and YARA external variables follow from the collection path', () => {
    assert.equal(stemFor(`uploads/auto/C%3A/${EX}/FrontEnd/HttpProxy/owa/auth/errorEE.aspx`), '/owa/auth/erroree.aspx');
    assert.equal(stemFor('C/inetpub/wwwroot/aspnet_client/shell.aspx'), '/aspnet_client/shell.aspx');
    assert.equal(stemFor('C/ProgramData/it.zip'), undefined);
    const ext = externalsFor('uploads/auto/C%3A/inetpub/wwwroot/aspnet_client/Shell.ASPX');
    assert.deepEqual(ext, { filename: 'Shell.ASPX', filepath: 'C:\\inetpub\\wwwroot\\aspnet_client', extension: '.aspx', filetype: '', owner: '' });
  });
});

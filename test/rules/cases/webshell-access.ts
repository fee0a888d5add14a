// Requests to web shells: names from Microsoft's HAFNIUM blog and IOC feed, HelseCERT, Huntress, HvS and GTSC;
// the stock pages of each folder from Microsoft's CSS-Exchange file baselines.
import type { RuleCase } from '../harness.js';
import { corr, iis, UA_CHROME, UA_PROBE } from './build.js';

const ext = '198.51.100.9';
export const stockPages = [
  iis({ stem: '/owa/auth/logon.aspx', q: `url=https%3a%2f%2fmail.contoso.com%2fowa%2f&reason=0&${corr}`, ip: ext, ua: UA_CHROME }),
  iis({ stem: '/owa/auth/errorFE.aspx', q: `httpCode=500&${corr}`, ip: ext, ua: UA_CHROME }),
  iis({ stem: '/owa/auth/signout.aspx', ip: ext, ua: UA_CHROME }),
  iis({ stem: '/owa/auth/expiredpassword.aspx', ip: ext, ua: UA_CHROME }),
  iis({ stem: '/owa/auth/logoff.aspx', q: `Cmd=logoff&src=exch&${corr}`, ip: ext, ua: UA_CHROME }),
  iis({ stem: '/owa/auth/OutlookCN.aspx', ip: ext, ua: UA_CHROME }),
  iis({ stem: '/owa/auth/frowny.aspx', ip: ext, ua: UA_CHROME }),
  iis({ stem: '/owa/auth/RedirSuiteServiceProxy.aspx', ip: ext, ua: UA_CHROME }),
  iis({ stem: '/ecp/auth/TimeoutLogout.aspx', ip: ext, ua: UA_CHROME }),
  iis({ stem: '/owa/auth/15.1.2176/themes/resources/favicon.ico', ip: ext, ua: UA_CHROME }),
  iis({ stem: '/OAB/6f0a2b1c-1111-4222-8333-444455556666/oab.xml', user: 'CONTOSO\\jdoe', ip: ext, ua: 'Microsoft Office/16.0' }),
  iis({ stem: '/owa/auth/logon.aspx', ip: '::1', ua: UA_PROBE }),
];

export const cases: RuleCase[] = [
  {
    rule: 'webshell-access/iis_owa_auth_nonstock_page.yml',
    log: 'iis',
    tp: [
      iis({ stem: '/owa/auth/RedirSuiteServerProxy.aspx', q: `&${corr}&encoding=;`, ip: ext, ua: UA_CHROME }),
      iis({ m: 'POST', stem: '/owa/auth/Current/one1.aspx', ip: ext, ua: 'antSword/v2.1' }),
      iis({ m: 'POST', stem: '/owa/auth/15.1.2176/themes/resources/shell.ashx', ip: ext, ua: UA_CHROME }),
      iis({ m: 'POST', stem: '/owa/auth/pxh4HG1v.ashx', ip: ext, ua: UA_CHROME }),
      iis({ m: 'POST', stem: '/owa/auth/TimeoutLogout.aspx', ip: '10.0.0.99', ua: UA_CHROME }),
    ],
    tn: [...stockPages, iis({ stem: '/owa/auth/zntwv.aspx', ip: ext, ua: UA_CHROME, status: 404 }), iis({ stem: '/owa/auth/x.aspx', ip: '127.0.0.1', ua: UA_PROBE })],
  },
  {
    rule: 'webshell-access/iis_ecp_auth_nonstock_page.yml',
    log: 'iis',
    tp: [iis({ m: 'POST', stem: '/ecp/auth/Logout.aspx', ip: ext, ua: UA_CHROME }), iis({ stem: '/ecp/auth/w.ashx', ip: ext, ua: UA_CHROME })],
    tn: [...stockPages, iis({ stem: '/ecp/auth/Logout.aspx', ip: ext, ua: UA_CHROME, status: 404 })],
  },
  {
    rule: 'webshell-access/iis_aspnet_client_page.yml',
    log: 'iis',
    tp: [
      iis({ m: 'POST', stem: '/aspnet_client/supp0rt.aspx', ip: ext, ua: 'antSword/v2.1' }),
      iis({ m: 'POST', stem: '/aspnet_client/system_web/log.aspx', ip: ext, ua: UA_CHROME }),
      iis({ stem: '/aspnet_client/570221043.aspx', q: `exec_code=Response.Write(1)&${corr}`, ip: ext, ua: 'python-requests/2.26.0' }),
    ],
    tn: [...stockPages, iis({ stem: '/aspnet_client/discover.aspx', ip: ext, ua: UA_CHROME, status: 404 }), iis({ stem: '/aspnet_client/system_web/4_0_30319/', ip: ext, ua: UA_CHROME, status: 403 })],
  },
  {
    rule: 'webshell-access/iis_oab_page.yml',
    log: 'iis',
    tp: [iis({ m: 'POST', stem: '/OAB/log.aspx', ip: ext, ua: UA_CHROME })],
    tn: [...stockPages, iis({ stem: '/OAB/log.aspx', ip: ext, ua: UA_CHROME, status: 404 })],
  },
  {
    rule: 'webshell-access/iis_command_in_query.yml',
    log: 'iis',
    tp: [
      iis({ stem: '/aspnet_client/s.aspx', q: `cmd=whoami&${corr}`, ip: ext, ua: UA_CHROME }),
      iis({ stem: '/owa/auth/errorEE.aspx', q: 'c=cmd+/c+net+user+backup+P@ss1+/add', ip: ext, ua: UA_CHROME }),
      iis({ stem: '/owa/auth/errorEE.aspx', q: 'x=powershell%20-enc%20SQBFAFgA', ip: ext, ua: UA_CHROME }),
    ],
    tn: [
      ...stockPages,
      iis({ stem: '/aspnet_client/s.aspx', q: `cmd=whoami&${corr}`, ip: ext, ua: UA_CHROME, status: 404 }),
      iis({ stem: '/owa/', q: `ae=Item&t=IPM.Note&a=Open&id=RgAAAAD2kq%2fXV3K&${corr}`, user: 'CONTOSO\\jdoe', ip: ext, ua: UA_CHROME, status: 200 }),
      iis({ stem: '/ecp/PersonalSettings/HomePage.aspx', q: `showhelp=false&cmd=show&${corr}`, user: 'CONTOSO\\jdoe', ip: ext, ua: UA_CHROME }),
    ],
  },
];

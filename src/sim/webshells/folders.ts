// Realistic drive-relative folders (posix, relative to C:\) where the samples are placed.
export const EXV15 = 'Program Files/Microsoft/Exchange Server/V15';
export const OWA_AUTH = `${EXV15}/FrontEnd/HttpProxy/owa/auth`;
export const ECP_AUTH = `${EXV15}/FrontEnd/HttpProxy/ecp/auth`;
export const OAB_FE = `${EXV15}/FrontEnd/HttpProxy/OAB`;
export const ASPNET_CLIENT = 'inetpub/wwwroot/aspnet_client';
export const SYSTEM_WEB = 'inetpub/wwwroot/aspnet_client/system_web';
export const ASPNET_TEMP = 'Windows/Microsoft.NET/Framework64/v4.0.30319/Temporary ASP.NET Files/root';

/** Folders attackers wrote pages to in 2021-2022 (Microsoft, Volexity, Huntress, GTSC write-ups). */
export const SHELL_FOLDERS: readonly string[] = [
  ASPNET_CLIENT,
  SYSTEM_WEB,
  `${SYSTEM_WEB}/4_0_30319`,
  OWA_AUTH,
  `${OWA_AUTH}/Current`,
  `${OWA_AUTH}/Current/themes/resources`,
  `${OWA_AUTH}/15.1.2176`,
  ECP_AUTH,
  OAB_FE,
];

/** Ordinary IIS sites on the same server: intranet apps with their usual sub-folders. */
export const SITES: readonly string[] = ['intranet', 'helpdesk', 'portal', 'hr', 'timesheets', 'wiki', 'crm', 'reports'];
export const SITE_SUBFOLDERS: readonly string[] = ['', 'Admin', 'Account', 'Upload', 'Handlers', 'Reports', 'Pages', 'Services', 'Tools', 'Controls'];

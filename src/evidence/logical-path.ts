// Collectors lay the same Windows files out under different prefixes: a full copy of the drive
// ("Program Files/..."), KAPE ("C/Program Files/..."), Velociraptor ("uploads/auto/C%3A/Program Files/...").
// The logical path strips whatever came before the Windows root so classification works on all of them.

/** Folders that start a Windows path (lower case); whatever precedes the first of them is collector prefix. */
const WINDOWS_ROOTS = ['program files/', 'program files (x86)/', 'inetpub/', 'windows/', 'programdata/', 'users/', 'exchange/', 'root/'];

/** Decode the percent escapes Velociraptor uses for characters that are illegal in its file store (C%3A, %5C). */
function decodeCollectorEscapes(p: string): string {
  if (!p.includes('%')) return p;
  return p.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    return c === '/' || c === '\\' ? '/' : c;
  });
}

/**
 * The collection-relative path rewritten as a lower-case Windows-style path without drive or collector
 * prefix, with forward slashes: 'uploads/auto/C%3A/Program Files/Microsoft/...' -> 'program files/microsoft/...'.
 * Loose files (no Windows root found) keep their relative path.
 */
export function logicalPath(relPath: string): string {
  const p = decodeCollectorEscapes(relPath.replace(/\\/g, '/')).toLowerCase();
  const withSlash = '/' + p;
  let best = -1;
  for (const root of WINDOWS_ROOTS) {
    const i = withSlash.indexOf('/' + root);
    if (i !== -1 && (best === -1 || i < best)) best = i;
  }
  return best === -1 ? p : withSlash.slice(best + 1);
}

/** The Exchange install root inside a logical path, if any: 'program files/microsoft/exchange server/v15/'. */
export function exchangeRelative(logical: string): string | undefined {
  const m = /(?:^|\/)exchange server\/v1[45]\/(.*)$/.exec(logical) ?? /^exchange\/(.*)$/.exec(logical);
  return m?.[1];
}

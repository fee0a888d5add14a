// Windows paths as data: drive letters, UNC shares and \\?\ long-path forms, compared case-insensitively
// the way NTFS and the Win32 API do, and mapped to the collection layout exhunt writes ("C/Program Files/...",
// "UNC/server/share/..."). Pure functions: no file-system access, so they behave the same on every OS.

export interface WinPath {
  /** 'C' for a drive path, 'UNC/server/share' for a share */
  root: string;
  /** path segments below the root, as written (case kept) */
  parts: string[];
}

/** Parses an absolute Windows path; undefined for a relative or malformed one. Accepts / as well as \. */
export function parseWinPath(input: string): WinPath | undefined {
  let p = input.trim().replace(/\//g, '\\');
  // \\?\C:\x and \\.\C:\x (long-path and device forms), \\?\UNC\server\share\x
  const long = /^\\\\[?.]\\(.*)$/.exec(p);
  if (long) p = /^UNC\\/i.test(long[1]!) ? '\\\\' + long[1]!.slice(4) : long[1]!;
  const drive = /^([A-Za-z]):(?:\\|$)(.*)$/.exec(p);
  if (drive) return { root: drive[1]!.toUpperCase(), parts: segments(drive[2]!) };
  const unc = /^\\\\([^\\]+)\\([^\\]+)(?:\\(.*))?$/.exec(p);
  if (unc) return { root: `UNC/${unc[1]}/${unc[2]}`, parts: segments(unc[3] ?? '') };
  return undefined;
}

function segments(rest: string): string[] {
  const out: string[] = [];
  for (const s of rest.split('\\')) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return out;
}

export function formatWinPath(p: WinPath): string {
  const head = p.root.startsWith('UNC/') ? '\\\\' + p.root.slice(4).replace('/', '\\') : `${p.root}:`;
  return p.parts.length ? `${head}\\${p.parts.join('\\')}` : `${head}\\`;
}

export function joinWin(base: WinPath, ...more: string[]): WinPath {
  const parts = [...base.parts];
  for (const m of more) parts.push(...m.split(/[\\/]/).filter((s) => s !== '' && s !== '.'));
  return { root: base.root, parts };
}

/** Case-insensitive identity of a path (NTFS default), for de-duplication and containment tests. */
export function winKey(p: WinPath): string {
  return [p.root, ...p.parts].join('\\').toUpperCase();
}

/** True when `inner` is `outer` or lies below it (case-insensitive). */
export function winInside(outer: WinPath, inner: WinPath): boolean {
  const a = winKey(outer);
  const b = winKey(inner);
  return a === b || b.startsWith(a + '\\');
}

/**
 * Expands %NAME% references the way cmd.exe does, with case-insensitive names (Windows environment
 * semantics); unknown names stay as written so the caller can report them.
 */
export function expandWinEnv(s: string, env: (name: string) => string | undefined): string {
  return s.replace(/%([^%\\/:]+)%/g, (whole, name: string) => env(name) ?? whole);
}

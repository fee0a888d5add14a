// External variables for signature-base / THOR style rules, derived from the file's place in the collection.
import type { YaraExternals } from './types.js';

/**
 * `filepath` is the Windows folder the file lived in (rules test e.g. `filepath contains "\\aspnet_client"`),
 * `filename` its name, `extension` the lower-case extension with its dot (".aspx"), as THOR sets them.
 * Collection prefixes like `C/`, `uploads/auto/C%3A/` become a drive letter when one can be seen.
 */
export function externalsFor(collectionPath: string): YaraExternals {
  const parts = collectionPath.split(/[\\/]+/).filter((p) => p !== '');
  const name = parts.pop() ?? '';
  const dot = name.lastIndexOf('.');
  let drive = '';
  let rest = parts;
  const di = parts.findIndex((p) => /^[A-Za-z](:|%3A|\$)?$/i.test(p) && p.length <= 4 && (p.length === 1 ? true : /[:$]|%3A/i.test(p)));
  if (di >= 0 && di < parts.length) {
    drive = `${(parts[di] ?? 'C').charAt(0).toUpperCase()}:`;
    rest = parts.slice(di + 1);
  }
  const folder = drive ? [drive, ...rest].join('\\') : rest.join('\\');
  return {
    filename: name,
    filepath: folder,
    extension: dot > 0 ? name.slice(dot).toLowerCase() : '',
    filetype: '',
    owner: '',
  };
}

// Reading one registry value through `reg query KEY /v NAME`, the only registry read discovery needs.
// reg.exe prints: the key on one line, then "    NAME    REG_SZ    DATA" (four-space separated).
import type { Host } from './host.js';

/** The data of value `name` in `reg query` output, or undefined when it is not there. */
export function parseRegQuery(stdout: string, name: string): string | undefined {
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^\s+(.+?)\s{4}(REG_[A-Z_]+)(?:\s{4}(.*))?$/.exec(line);
    if (m && m[1]!.toLowerCase() === name.toLowerCase()) return (m[3] ?? '').trim();
  }
  return undefined;
}

export async function regValue(host: Host, key: string, name: string): Promise<string | undefined> {
  const r = await host.run('reg', ['query', key, '/v', name]);
  return r.code === 0 ? parseRegQuery(r.stdout, name) : undefined;
}

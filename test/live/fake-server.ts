// A fake Windows Exchange server for the live tests: a drive C: laid out as a folder, and the sources
// exhunt asks the host for stubbed at the edge (environment, `reg query`, `reg export`, `wevtutil epl`),
// the one place a stand-in is acceptable since no Windows host runs here. wevtutil "exports" the .evtx files
// lying in the fake winevt\Logs folder; reg export writes UTF-16 .reg text from a small fake registry.
import { copyFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mountedHost } from '../../src/live/mounted.js';
import type { Host, RunResult } from '../../src/live/host.js';

export type FakeRegistry = Record<string, Record<string, string | number>>;

export const EXCHANGE_2016_REGISTRY: FakeRegistry = {
  'HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup': { MsiInstallPath: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\', MsiProductMajor: 15, MsiProductMinor: 1, MsiBuildMajor: 2176, MsiBuildMinor: 2 },
  'HKLM\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeUM': { Start: 2 },
};

export interface FakeOptions {
  env?: Record<string, string>;
  registry?: FakeRegistry;
  /** commands seen, for assertions */
  calls?: string[][];
  /** channels for which wevtutil says access is denied */
  denyChannels?: string[];
  tmpdir?: string;
  now?: number;
}

function regText(reg: FakeRegistry, prefix: string): string | undefined {
  const keys = Object.keys(reg).filter((k) => k.toLowerCase() === prefix.toLowerCase() || k.toLowerCase().startsWith(prefix.toLowerCase() + '\\'));
  if (!keys.length) return undefined;
  const lines = ['Windows Registry Editor Version 5.00', ''];
  for (const k of keys) {
    lines.push(`[${k.replace(/^HKLM\\/, 'HKEY_LOCAL_MACHINE\\')}]`);
    for (const [n, v] of Object.entries(reg[k]!)) lines.push(typeof v === 'number' ? `"${n}"=dword:${v.toString(16).padStart(8, '0')}` : `"${n}"="${v.replace(/\\/g, '\\\\')}"`);
    lines.push('');
  }
  return lines.join('\r\n');
}

export function fakeServer(driveC: string, o: FakeOptions = {}): Host {
  const reg = o.registry ?? EXCHANGE_2016_REGISTRY;
  const run = async (file: string, args: string[]): Promise<RunResult> => {
    o.calls?.push([file, ...args]);
    const ok = (stdout = ''): RunResult => ({ code: 0, stdout, stderr: '' });
    if (file === 'reg' && args[0] === 'query') {
      const key = Object.keys(reg).find((k) => k.toLowerCase() === args[1]!.toLowerCase());
      const name = args[3]!;
      const hit = key ? Object.entries(reg[key]!).find(([n]) => n.toLowerCase() === name.toLowerCase()) : undefined;
      if (!hit) return { code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n' };
      return ok(`\r\n${key!.replace(/^HKLM/, 'HKEY_LOCAL_MACHINE')}\r\n    ${hit[0]}    ${typeof hit[1] === 'number' ? 'REG_DWORD' : 'REG_SZ'}    ${hit[1]}\r\n\r\n`);
    }
    if (file === 'reg' && args[0] === 'export') {
      const text = regText(reg, args[1]!);
      if (text === undefined) return { code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n' };
      await writeFile(args[2]!, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      return ok('The operation completed successfully.\r\n');
    }
    if (file === 'wevtutil' && args[0] === 'epl') {
      const channel = args[1]!;
      if (o.denyChannels?.includes(channel)) return { code: 5, stdout: '', stderr: 'Failed to export log ' + channel + '. Access is denied.\r\n' };
      const src = join(driveC, 'Windows', 'System32', 'winevt', 'Logs', channel.replace(/\//g, '%4') + '.evtx');
      if (!existsSync(src)) return { code: 15007, stdout: '', stderr: `Failed to read configuration for log ${channel}. The specified channel could not be found.\r\n` };
      await copyFile(src, args[2]!);
      return ok();
    }
    return { code: -1, stdout: '', stderr: `${file}: not stubbed` };
  };
  return mountedHost({
    name: 'EXCH01',
    drives: { C: driveC },
    env: { SystemDrive: 'C:', windir: 'C:\\Windows', ProgramData: 'C:\\ProgramData', PUBLIC: 'C:\\Users\\Public', ...o.env },
    run,
    ...(o.tmpdir ? { tmpdir: o.tmpdir } : {}),
    now: () => o.now ?? Date.UTC(2021, 2, 10),
  });
}

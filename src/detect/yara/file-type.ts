// A THOR-like `filetype` value from the first bytes, for rules that test it (signature-base style).
export function fileTypeOf(head: Uint8Array): string {
  const b = (i: number) => head[i] ?? -1;
  const ascii = (s: string, at = 0) => [...s].every((c, i) => b(at + i) === c.charCodeAt(0));
  if (ascii('MZ')) return 'EXE';
  if (ascii('PK\x03\x04')) return 'ZIP';
  if (ascii('Rar!')) return 'RAR';
  if (ascii("7z\xbc\xaf'\x1c")) return '7ZIP';
  if (ascii('\x1f\x8b')) return 'GZIP';
  if (ascii('MSCF')) return 'CAB';
  if (ascii('MDMP')) return 'MDMP';
  if (ascii('!BDN')) return 'PST';
  if (ascii('\xd0\xcf\x11\xe0')) return 'OLE';
  if (ascii('%PDF')) return 'PDF';
  if (ascii('\x7fELF')) return 'ELF';
  if (ascii('\x89PNG')) return 'PNG';
  if (ascii('GIF8')) return 'GIF';
  if (ascii('\xff\xd8\xff')) return 'JPEG';
  return '';
}

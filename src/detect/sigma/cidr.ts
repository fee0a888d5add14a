// The 'cidr' modifier: IPv4 and IPv6 networks; field values are parsed as addresses (IPv4-mapped IPv6
// addresses also match IPv4 networks).
import type { Cidr } from './types.js';

export function parseIPv4(s: string): Uint8Array | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const n = Number(m[i + 1]);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

export function parseIPv6(input: string): Uint8Array | null {
  let s = input;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const pct = s.indexOf('%'); // zone id
  if (pct >= 0) s = s.slice(0, pct);
  if (!s.includes(':') || s.length > 64) return null;
  let tail4: Uint8Array | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail4 = parseIPv4(s.slice(lastColon + 1));
    if (!tail4) return null;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const a = parse(halves[0]!);
  const b = halves.length === 2 ? parse(halves[1]!) : [];
  if (!a || !b) return null;
  const fill = 8 - a.length - b.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  const groups = [...a, ...Array<number>(halves.length === 2 ? fill : 0).fill(0), ...b];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  if (tail4) out.set(tail4, 12);
  return out;
}

export function parseCidr(text: string): Cidr | null {
  const [addr = '', bitsText] = text.trim().split('/');
  const v4 = parseIPv4(addr);
  const bytes = v4 ?? parseIPv6(addr);
  if (!bytes) return null;
  const max = bytes.length * 8;
  const bits = bitsText === undefined ? max : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (!(bits >= 0 && bits <= max)) return null;
  return { v6: !v4, bytes, bits, text };
}

function inNet(addr: Uint8Array, net: Cidr): boolean {
  let bits = net.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((addr[i] ?? 0) & mask) !== ((net.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

export function ipInCidrs(value: string, nets: Cidr[]): boolean {
  if (value.length > 64) return false;
  const v4 = parseIPv4(value);
  let v6: Uint8Array | null = null;
  let mapped: Uint8Array | null = null;
  if (!v4) {
    v6 = parseIPv6(value);
    if (!v6) return false;
    if (v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) mapped = v6.slice(12);
  }
  for (const n of nets) {
    if (!n.v6 && (v4 ?? mapped) && inNet((v4 ?? mapped)!, n)) return true;
    if (n.v6 && v6 && inNet(v6, n)) return true;
  }
  return false;
}

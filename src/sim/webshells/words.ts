// Small vocabulary helpers so every generated page differs in names, keys and spacing.
import type { Rng } from '../rng.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randStr(rng: Rng, n: number, alphabet = ALNUM): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}
export const ident = (rng: Rng, min = 3, max = 10): string => randStr(rng, 1, LOWER) + randStr(rng, rng.range(min, max) - 1);
export const hex = (rng: Rng, n: number): string => randStr(rng, n, '0123456789abcdef');
export const sp = (rng: Rng): string => rng.pick(['', '', ' ', '  ']);
export const q = (rng: Rng): string => rng.pick(['"', '"', "'"]);

const NOUNS = ['Customer', 'Order', 'Invoice', 'Employee', 'Ticket', 'Asset', 'Project', 'Report', 'Document', 'Vendor', 'Contract', 'Shift', 'Leave', 'Room', 'Booking'];
const VERBS = ['List', 'Edit', 'View', 'Search', 'Export', 'Import', 'Approve', 'Archive', 'Manage', 'Upload', 'Print', 'Summary'];
export const noun = (rng: Rng): string => rng.pick(NOUNS);
export const pageName = (rng: Rng): string => `${rng.pick(NOUNS)}${rng.pick(VERBS)}`;

/** A plausible attacker file name: published ones, random 8-10 chars, or digits (PST exports). */
export function shellName(rng: Rng, ext = '.aspx'): string {
  switch (rng.int(5)) {
    case 0:
      return rng.pick(['supp0rt', 'discover', 'shell', 'HttpProxy', 'OutlookEN', 'errorcheck', 'aspnettest', 'help', 'web', 'document', 'healthcheck', 'one', 'xx', 'load', 'error']) + ext;
    case 1:
      return randStr(rng, rng.range(8, 10)) + ext;
    case 2:
      return String(rng.range(100_000_000, 999_999_999)) + ext;
    case 3:
      return randStr(rng, 16, LOWER) + ext;
    default:
      return hex(rng, 10) + ext;
  }
}

// CSV for spreadsheets. A cell starting with = + - @ tab or CR is read as a formula by Excel and friends
// (CSV injection), so such cells get a leading apostrophe; every cell is quoted.
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export const csvRow = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`;

// CSV rows for the fleet's exports; cells are escaped by the shared csvCell (formula injection).
import { csvCell } from '../escape.js';

export { csvCell };

export const csvRow = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`;

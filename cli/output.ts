export type Printer = (line: string) => void;

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(cell).join(' ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** A plain text table: headers, then one row per item, columns padded. */
export function printTable(out: Printer, rows: Record<string, unknown>[], columns: string[]) {
  if (rows.length === 0) {
    out('(none)');
    return;
  }
  const cells = rows.map((row) => columns.map((c) => cell(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]))).join('  ').trimEnd();
  out(line(columns));
  for (const row of cells) out(line(row));
}

export function printObject(out: Printer, object: Record<string, unknown>, keys: string[]) {
  for (const key of keys) if (key in object) out(`${key}: ${cell(object[key])}`);
}

// CSV built in the browser from the report: RFC 4180 quoting, and no cell a spreadsheet would run as a
// formula (a stored string such as `=HYPERLINK(…)` is prefixed with a single quote, OWASP's advice).
export type Cell = string | number | null | undefined;

const cell = (value: Cell) => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const toCsv = (rows: Cell[][]) => rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';

/** Downloads through a blob: URL and `<a download>`, which the dashboard's CSP does not need to allow. */
export function downloadCsv(name: string, rows: Cell[][]) {
  // The byte order mark tells spreadsheets the file is UTF-8.
  const url = URL.createObjectURL(new Blob(['\ufeff', toCsv(rows)], { type: 'text/csv;charset=utf-8' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name part from a site or a path: letters, digits, dots and dashes only. */
export const slug = (text: string) => text.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'site';

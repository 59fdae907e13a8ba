// CSV (RFC 4180) for the list exports: quoted where needed, CRLF line ends, and cells that a
// spreadsheet would run as a formula (=, +, -, @, tab, CR) prefixed with an apostrophe.
export type CsvCell = string | number | boolean | Date | null | undefined;

export function csvCell(v: CsvCell): string {
  if (v === null || v === undefined) return "";
  let s = v instanceof Date ? v.toISOString() : String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvRow = (cells: CsvCell[]) => `${cells.map(csvCell).join(",")}\r\n`;

/**
 * A streamed CSV download: the header row, then the rows the generator yields (it reads the
 * database page by page, so a large export never sits in memory).
 */
export function csvResponse(filename: string, header: string[], rows: () => AsyncGenerator<CsvCell[]>): Response {
  const enc = new TextEncoder();
  const it = rows();
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(enc.encode(`\uFEFF${csvRow(header)}`));
    },
    async pull(c) {
      try {
        const { value, done } = await it.next();
        if (done) c.close();
        else c.enqueue(enc.encode(csvRow(value)));
      } catch (err) {
        c.error(err);
      }
    },
    async cancel() {
      await it.return(undefined);
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "no-store",
    },
  });
}

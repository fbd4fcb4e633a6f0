// kubectl's table output read back as cells: columns are two or more spaces apart.

const cellsOf = (line: string) => line.trim().split(/\s{2,}/);

/** Table output as rows of cells, header dropped. */
export const rows = (stdout: string) => stdout.trim().split("\n").slice(1).map(cellsOf);

/** `kubectl get a,b,c` prints one table per kind, a blank line apart. */
export const tables = (stdout: string) =>
  stdout
    .trim()
    .split(/\n\s*\n/)
    .map((table) => {
      const [header = "", ...lines] = table.split("\n");
      return { header: cellsOf(header), rows: lines.map(cellsOf) };
    });

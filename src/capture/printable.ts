// Untrusted input (filters, names, IDs from the API, tool output) is echoed in one-line error
// messages. JSON escaping makes newlines, NULs and terminal escapes visible instead of acted
// upon, and the cut keeps a hostile megabyte-long value from flooding the terminal.

function cut(value: string, maxLength: number): string {
  return value.length > maxLength ? `${value.slice(0, maxLength)}…` : value;
}

/** `value` as a short, quoted, single-line string that is safe to print. */
export function printable(value: string, maxLength = 60): string {
  return JSON.stringify(cut(value, maxLength));
}

/** The same without the quotes, for a tool's message quoted as prose. */
export function printableText(value: string, maxLength = 160): string {
  return printable(value, maxLength).slice(1, -1);
}

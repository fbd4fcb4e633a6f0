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

// C0 and C1 controls, DEL, and the Unicode line separators: what can break or rewrite a line.
// Built from a string: a regex literal with control characters in it is what lint rightly doubts.
// biome-ignore lint/complexity/useRegexLiterals: the literal form trips noControlCharactersInRegex
const CONTROL = new RegExp("[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]", "g");

const SHORT_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Prose as is, but every control character escaped as \n or \uXXXX (quotes stay quotes). */
export function visibleText(value: string, maxLength = 160): string {
  return cut(value, maxLength).replace(
    CONTROL,
    (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

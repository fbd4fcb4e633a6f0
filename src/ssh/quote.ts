// The one place where an argv becomes a POSIX shell line. Every remote command goes through
// here: SSH exec takes a string, and the remote login shell splits it again.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word so that a POSIX shell reads it back unchanged. */
export function quoteWord(word: string): string {
  if (word.includes("\0")) throw new Error("an argument holds a NUL byte, which no shell can pass on");
  if (word !== "" && SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** Quotes an argv into a shell command line: `quote(["echo", "a b"])` is `echo 'a b'`. */
export function quote(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error("an empty command cannot be quoted");
  return argv.map(quoteWord).join(" ");
}

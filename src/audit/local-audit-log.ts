// Appends one record to the local audit log: the directory made 0700 when podcap creates it, the
// file 0600, opened O_APPEND and written with one write(2), so records from podcaps running at
// the same time never interleave. A symbolic link in the file's place is refused (O_NOFOLLOW):
// nobody else gets to choose where the record goes.

import { constants } from "node:fs";
import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import { auditLine, type LoggedRecord } from "./audit-record.js";

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** Resolves to the failure, for a warning, or undefined: a log problem never undoes a capture. */
export async function appendLocalAudit(record: LoggedRecord, path: string): Promise<Error | undefined> {
  try {
    await mkdir(dirname(path), { recursive: true, mode: DIR_MODE });
    const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;
    const file = await open(path, flags, FILE_MODE);
    try {
      // The mode at creation is filtered by the umask; an old file may have been made wider.
      if (((await file.stat()).mode & 0o777) !== FILE_MODE) await file.chmod(FILE_MODE);
      await file.write(auditLine(record));
    } finally {
      await file.close();
    }
    return undefined;
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ELOOP" ? "it is a symbolic link" : (error as Error).message;
    return new Error(`cannot append to the audit log ${path}: ${reason}`, { cause: error });
  }
}

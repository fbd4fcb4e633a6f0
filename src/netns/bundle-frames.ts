// Reads the bundle script's stdout back into one result per command. Each frame is a header line
// `podcap-frame INDEX STATUS CODE OUTBYTES ERRBYTES` followed by exactly that many bytes of stdout
// then stderr; `podcap-done COUNT` ends a complete run. Pure: a truncated or garbled stream is
// reported, never guessed at.

export type FrameStatus = "ran" | "missing" | "timeout";

export interface BundleFrame {
  index: number;
  status: FrameStatus;
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
}

export interface ParsedFrames {
  frames: BundleFrame[];
  /** The script said it ran this many commands; undefined when the stream stopped early. */
  done?: number;
  /** What made the rest unreadable, when something did. */
  problem?: string;
}

const HEADER = /^podcap-frame (\d+) (ran|missing|timeout) (\d+) (\d+) (\d+)$/;
const DONE = /^podcap-done (\d+)$/;
const MAX_HEADER = 200;

export function parseBundleFrames(output: Buffer): ParsedFrames {
  const frames: BundleFrame[] = [];
  let offset = 0;
  while (offset < output.length) {
    const newline = output.indexOf(0x0a, offset);
    if (newline < 0 || newline - offset > MAX_HEADER)
      return { frames, problem: `output cut short after ${frames.length} commands` };
    const line = output.subarray(offset, newline).toString("latin1");
    const done = DONE.exec(line);
    if (done) return { frames, done: Number(done[1]) };
    const header = HEADER.exec(line);
    if (!header) return { frames, problem: `unexpected line after ${frames.length} commands` };
    const [, index, status, code, outBytes, errBytes] = header;
    const start = newline + 1;
    const middle = start + Number(outBytes);
    const end = middle + Number(errBytes);
    if (end > output.length) return { frames, problem: `output cut short in command ${index}` };
    if (Number(index) !== frames.length)
      return { frames, problem: `command ${index} came where ${frames.length} was due` };
    frames.push({
      index: Number(index),
      status: status as FrameStatus,
      exitCode: Number(code),
      stdout: output.subarray(start, middle),
      stderr: output.subarray(middle, end),
    });
    offset = end;
  }
  return { frames, problem: `output cut short after ${frames.length} commands` };
}

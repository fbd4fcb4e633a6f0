import { describe, expect, it } from "vitest";
import { parseInspectAnswer } from "../../src/capture/wrapper-channel.js";

describe("parseInspectAnswer", () => {
  it("waits for the done line", () => {
    expect(parseInspectAnswer("podcap-inspect:out [\n")).toBeUndefined();
  });

  it("gives back stdout and stderr apart, with the status, whatever else was said around them", () => {
    const stderr = [
      "podcap-inspect:out [",
      'podcap-inspect:out   {"State": {"Pid": 42}}',
      "podcap-inspect:err WARNING: something",
      "podcap-inspect:out ]",
      "podcap-inspect:done 0",
      "tcpdump: listening on eth0",
      "",
    ].join("\n");
    const answer = parseInspectAnswer(stderr);
    expect(answer?.code).toBe(0);
    expect(answer?.stdout.toString()).toBe('[\n  {"State": {"Pid": 42}}\n]\n');
    expect(answer?.stderr.toString()).toBe("WARNING: something\n");
  });

  it("keeps a failing runtime's status and message for the next runtime's turn", () => {
    const answer = parseInspectAnswer(
      "podcap-inspect:err Error: No such container: abc\npodcap-inspect:done 1\n",
    );
    expect(answer).toMatchObject({ code: 1 });
    expect(answer?.stdout.length).toBe(0);
    expect(answer?.stderr.toString()).toContain("No such container");
  });
});

import { describe, expect, it } from "vitest";
import { parseInspectAnswer, WrapperStderr } from "../../src/capture/wrapper-channel.js";

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

describe("WrapperStderr, fed as the SSH packets come", () => {
  it("finds the answer and keeps the rest, whatever the cuts", () => {
    const text = [
      "podcap-inspect:out [",
      "podcap-inspect:out ]",
      "podcap-inspect:done 0",
      "tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes",
      "",
    ].join("\n");
    for (let cut = 1; cut < text.length; cut += 7) {
      const reader = new WrapperStderr();
      for (let at = 0; at < text.length; at += cut) reader.push(text.slice(at, at + cut));
      expect(reader.answer?.stdout.toString()).toBe("[\n]\n");
      expect(reader.said).toBe(
        "tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n",
      );
    }
  });

  it("shows a line still arriving, but not the start of an inspect line", () => {
    const reader = new WrapperStderr();
    reader.push("podcap-wrapper: stopped reason=stdin-closed status=0\ntcpdump: 3 pack");
    expect(reader.said).toBe("podcap-wrapper: stopped reason=stdin-closed status=0\ntcpdump: 3 pack");
    reader.push("ets captured\npodcap-inspect:out {");
    expect(reader.said).toBe(
      "podcap-wrapper: stopped reason=stdin-closed status=0\ntcpdump: 3 packets captured\n",
    );
  });
});

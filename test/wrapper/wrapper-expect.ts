// What every wrapper test checks: a capture that listens, the pcap it streamed, how it stopped,
// and that it left nothing behind.

import { expect } from "vitest";
import { expectReadToEnd, tsharkRead } from "../unit/pcap-tools.js";
import {
  leftovers,
  readRecord,
  startTarget,
  startWrapper,
  type Target,
  type WrapperRun,
} from "./wrapper-harness.js";

/** Starts a capture of ICMP on the target's lo and waits until tcpdump listens. */
export async function listening(spec: Partial<Parameters<typeof startWrapper>[0]> = {}) {
  const target = await startTarget();
  const wrapper = startWrapper({ targetPid: target.pid, ...spec });
  await wrapper.ready;
  const record = await readRecord(wrapper.id);
  return { target, wrapper, record, group: Number(record.group) };
}

/** The pcap on the wrapper's stdout holds exactly `pings` echo requests and replies, read to the end. */
export function expectPings(wrapper: WrapperRun, pings: number): void {
  const read = tsharkRead(wrapper.stdout());
  expectReadToEnd(read);
  expect(read.rows.map(([, type]) => type)).toEqual(Array.from({ length: pings }, () => ["8", "0"]).flat());
}

export function expectStopped(wrapper: WrapperRun, reason: string, status: number): void {
  expect(wrapper.stderr()).toContain(`podcap-wrapper: stopped reason=${reason} status=${status}\n`);
}

export const expectNothingLeft = (wrapper: WrapperRun, target: Target, group?: number) =>
  expect(leftovers(wrapper, target, group)).toEqual([]);

// The one live line of a running capture: packets, bytes, rate over the last seconds, and the
// time since tcpdump started listening. Pure: the caller samples and draws.

import { humanBytes } from "../capture-summary.js";

export interface CountSample {
  at: number;
  packets: number;
  bytes: number;
}

/** Samples older than this no longer count towards the rate. */
export const RATE_WINDOW_MS = 3000;

export function elapsedText(milliseconds: number): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** `samples` oldest first and the newest last; the rate is over the window they span. */
export function liveLine(samples: readonly CountSample[], listeningSince: number): string {
  const newest = samples[samples.length - 1] ?? { at: listeningSince, packets: 0, bytes: 0 };
  const oldest = samples.find((s) => newest.at - s.at <= RATE_WINDOW_MS) ?? newest;
  const seconds = (newest.at - oldest.at) / 1000;
  const rate =
    seconds > 0
      ? `${Math.round((newest.packets - oldest.packets) / seconds)} pkt/s, ${humanBytes(Math.round((newest.bytes - oldest.bytes) / seconds))}/s`
      : "— pkt/s";
  return (
    `${newest.packets} packets, ${humanBytes(newest.bytes)}, ${rate}, ` +
    `${elapsedText(newest.at - listeningSince)} (Ctrl-C to stop)`
  );
}

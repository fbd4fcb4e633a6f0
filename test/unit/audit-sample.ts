// One plausible capture's audit input, for the tests of the record and of both logs.

import type { AuditInput } from "../../src/audit/audit-record.js";

export const sampleAuditInput = (overrides: Partial<AuditInput> = {}): AuditInput => ({
  captureId: "20250301T100000Z-a1b2c3",
  who: {
    kubeUser: "operator",
    kubeContext: "lab-operator",
    cluster: "https://10.77.0.1:6443",
    localUser: "alice",
    localHost: "laptop",
  },
  targets: [{ namespace: "demo", pod: "web-1", container: "web", node: "node-a" }],
  iface: "eth0",
  filter: "tcp port 80",
  startedAt: new Date("2025-03-01T10:00:00.000Z"),
  endedAt: new Date("2025-03-01T10:00:10.250Z"),
  packets: 42,
  bytes: 6300,
  status: "captured",
  stopReason: "duration",
  ...overrides,
});

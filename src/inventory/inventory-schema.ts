// The shape of inventory.yaml (inventory.example.yaml documents each field). Objects are strict
// so a typo is an error rather than a silently ignored setting; features add their own block
// under `settings` by extending `settingsSchema`.

import * as z from "zod";
import { parseHopSpec } from "./jump-spec.js";

const port = z.number().int().min(1).max(65535);
// No value of an inventory needs a control character; one (a NUL, a line break) only ever
// arrives by accident or on purpose, and must not reach a resolver, a known_hosts line or a message.
const text = z
  .string()
  .min(1)
  .regex(/^\P{Cc}*$/u, "must not contain control characters");
/** Paths on the node: podcap runs them there, so relative ones would depend on the login dir. */
const remotePath = text.regex(/^\//, "must be an absolute path on the node");

const hopString = text.superRefine((spec, context) => {
  try {
    parseHopSpec(spec);
  } catch (error) {
    context.addIssue({ code: "custom", message: (error as Error).message });
  }
});

/** Local credentials and trust, shared by nodes and jump hosts. */
const credentialFields = {
  user: text.optional(),
  port: port.optional(),
  identityFiles: z.array(text).optional(),
  /** true: $SSH_AUTH_SOCK; false: no agent; a string: that socket. */
  agent: z.union([z.boolean(), text]).optional(),
  knownHosts: z.array(text).optional(),
  hostKeyAlias: text.optional(),
};

export const hopSchema = z.union([hopString, z.strictObject({ host: text, ...credentialFields })]);

export const runtimeNameSchema = z.enum(["docker", "crictl", "ctr", "cgroup"]);

export const nodeEntrySchema = z.strictObject({
  host: text.optional(),
  ...credentialFields,
  /** Outermost first; `[]` says "no jump host" over a default or ~/.ssh/config ProxyJump. */
  jump: z.array(hopSchema).optional(),
  sudo: z.boolean().optional(),
  runtimes: z.array(runtimeNameSchema).min(1).optional(),
  sockets: z
    .strictObject({
      docker: remotePath.optional(),
      containerd: remotePath.optional(),
      crio: remotePath.optional(),
    })
    .optional(),
  tcpdumpPath: text.optional(),
});

export const sshSettingsSchema = z.strictObject({
  /** Per hop: TCP connect, handshake and authentication. */
  connectTimeoutSeconds: z.number().positive().optional(),
  /** Write `podcap trust` entries hashed, like HashKnownHosts yes. */
  hashKnownHosts: z.boolean().optional(),
});

// RBAC's vocabulary: verbs are words (`create`, `get`, custom ones), resources lowercase names,
// groups DNS subdomains or "" for the core group. Anything else could never match a rule.
const rbacVerb = z.string().regex(/^[a-z][a-zA-Z]*$/, "must be an RBAC verb such as create or get");
const rbacResource = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a lowercase resource name");
const rbacGroup = z
  .string()
  .regex(
    /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be an API group or ""',
  );

/** The permission checked in each target namespace before any SSH (a SelfSubjectAccessReview). */
export const accessRequirementSchema = z.strictObject({
  verb: rbacVerb,
  group: rbacGroup.optional(),
  resource: rbacResource,
  subresource: rbacResource.optional(),
});

export const accessSettingsSchema = z.strictObject({
  require: accessRequirementSchema.optional(),
  /** Whether `--skip-access-check` may be used; an admin's choice, so off unless said. */
  allowSkip: z.boolean().optional(),
});

/** The node's audit log: an absolute file path with no control characters, not a directory. */
const nodeLogPath = z.string().regex(/^\/\P{Cc}*[^/\p{Cc}]$/u, "must be an absolute file path on the node");

export const auditSettingsSchema = z.strictObject({
  /** On this machine; default $XDG_STATE_HOME/podcap/audit.jsonl (~/.local/state/...). */
  localPath: text.optional(),
  /** On each node; default /var/log/podcap/audit.jsonl. */
  nodePath: nodeLogPath.optional(),
});

export const settingsSchema = z.strictObject({
  ssh: sshSettingsSchema.optional(),
  access: accessSettingsSchema.optional(),
  /** Kubernetes Events on each captured pod (PacketCaptureStarted / Stopped); default true. */
  events: z.boolean().optional(),
  audit: auditSettingsSchema.optional(),
});

export const inventorySchema = z.strictObject({
  version: z.literal(1).optional(),
  defaults: nodeEntrySchema.optional(),
  /** Keyed by node name or OpenSSH pattern (`node-*`, `*.prod`, `a,b`); an empty entry is allowed. */
  nodes: z.record(text, nodeEntrySchema.nullable()).optional(),
  settings: settingsSchema.optional(),
});

export type HopEntry = z.infer<typeof hopSchema>;
export type NodeEntry = z.infer<typeof nodeEntrySchema>;
export type InventorySettings = z.infer<typeof settingsSchema>;
export type AccessRequirementEntry = z.infer<typeof accessRequirementSchema>;
export type InventoryDocument = z.infer<typeof inventorySchema>;

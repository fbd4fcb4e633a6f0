// The JSON config of the standalone apiserver (main.ts). Relative paths are relative to the
// config file, so a config under .lab/ can say "certs" and "cluster.json".

import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import type { LabUser } from "./access.js";
import { labUsers } from "./lab-users.js";

const ruleSchema = z.object({
  verbs: z.array(z.string()).min(1),
  resources: z.array(z.string()).min(1),
  apiGroups: z.array(z.string()).optional(),
  namespaces: z.array(z.string()).optional(),
});

const userSchema = z.object({
  token: z.string().min(16, "tokens are at least 16 characters"),
  username: z.string().min(1),
  groups: z.array(z.string()).optional(),
  rules: z.array(ruleSchema),
});

const configSchema = z.object({
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().default("127.0.0.1"),
  certDir: z.string(),
  /** Without users, admin/viewer/operator get fresh tokens, which only a written kubeconfig tells. */
  users: z.array(userSchema).optional(),
  sourceFile: z.string(),
  pollMs: z.number().int().positive().optional(),
  /** Where to write a kubeconfig for the users, if anywhere. */
  kubeconfig: z.string().optional(),
});

export interface ApiServerConfig {
  port: number;
  host: string;
  certDir: string;
  users: LabUser[];
  sourceFile: string;
  pollMs?: number;
  kubeconfig?: string;
}

export async function loadApiServerConfig(file: string): Promise<ApiServerConfig> {
  const parsed = configSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  const config = parsed.data;
  const base = dirname(resolve(file));
  if (config.users === undefined && config.kubeconfig === undefined) {
    throw new Error(
      `${file}: without "users", set "kubeconfig" so the generated tokens are written somewhere`,
    );
  }
  return {
    ...config,
    users: config.users ?? labUsers(),
    certDir: resolve(base, config.certDir),
    sourceFile: resolve(base, config.sourceFile),
    kubeconfig: config.kubeconfig === undefined ? undefined : resolve(base, config.kubeconfig),
  };
}

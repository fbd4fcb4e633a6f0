// Every failure a user can meet is one of these: a one-line message, a hint, and an exit code
// that README.md documents. Nothing else reaches the user without --debug.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  accessDenied: 4,
  unreachable: 5,
  hostKey: 6,
  runtime: 7,
  filter: 8,
  captureFailed: 9,
  partial: 10,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class PodcapError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

const kind = (exitCode: ExitCode) =>
  class extends PodcapError {
    constructor(message: string, hint: string, options?: { cause?: unknown }) {
      super(message, hint, exitCode, options);
    }
  };

export class UsageError extends kind(ExitCode.usage) {}
export class ConfigInvalid extends kind(ExitCode.usage) {}
export class PodNotFound extends kind(ExitCode.notFound) {}
export class PodNotRunning extends kind(ExitCode.notFound) {}
export class ContainerNotFound extends kind(ExitCode.notFound) {}
export class AccessDenied extends kind(ExitCode.accessDenied) {}
export class KubeUnreachable extends kind(ExitCode.unreachable) {}
export class NodeUnreachable extends kind(ExitCode.unreachable) {}
export class AuthFailed extends kind(ExitCode.unreachable) {}
export class HostKeyUnknown extends kind(ExitCode.hostKey) {}
export class HostKeyMismatch extends kind(ExitCode.hostKey) {}
export class RuntimeNotFound extends kind(ExitCode.runtime) {}
export class ToolMissing extends kind(ExitCode.runtime) {}
export class FilterInvalid extends kind(ExitCode.filter) {}
export class InterfaceNotFound extends kind(ExitCode.filter) {}
export class CaptureFailed extends kind(ExitCode.captureFailed) {}
/** A detached capture ID that no node holds (podcap fetch/stop). */
export class CaptureNotFound extends kind(ExitCode.notFound) {}
/** podcap fetch: a local file of the same name is not the node's file; nothing is overwritten. */
export class FetchConflict extends kind(ExitCode.usage) {}
export class Interrupted extends kind(ExitCode.interrupted) {}

export function isPodcapError(error: unknown): error is PodcapError {
  return error instanceof PodcapError;
}

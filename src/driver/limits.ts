/**
 * Bounds that keep one client run finite. They are constants, not options:
 * every run of every client is held to the same limits.
 */

/** Per stream (stdout, stderr): the start is kept, the rest is counted and dropped. */
export const OUTPUT_CAP_BYTES = 1024 * 1024;

/** Between SIGTERM to a client's process group and SIGKILL. */
export const TERMINATION_GRACE_MS = 2000;

/** After SIGKILL: how long to wait for the kernel to take the processes down. */
export const KILL_SETTLE_MS = 1000;

/** After the client process is gone: how long to wait for its output pipes to drain. */
export const PIPE_DRAIN_MS = 500;

/** An in-process client that was told to stop gets this long to settle before it is abandoned. */
export const MODULE_STOP_GRACE_MS = 1000;

/** `MCP_CONFORMANCE_PROTOCOL_VERSION` handed to command clients. */
export const CONFORMANCE_PROTOCOL_VERSION = '2025-11-25';

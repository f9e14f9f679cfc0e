/**
 * mcp-dpop-fuzz as a library: generate schedules, run a client against the
 * test servers, judge traces, fuzz. The CLI is built on these same calls.
 * Internal modules are not part of the API; everything public is here, in
 * `mcp-dpop-fuzz/vitest` and in `mcp-dpop-fuzz/clients`.
 */
export { scheduleArbitrary, SCHEDULE_DIMENSIONS, type ScheduleConstraints, type ScheduleDimension } from './schedule/arbitraries.ts';
export { BASE_SCHEDULE } from './schedule/defaults.ts';
export { PRESETS, type PresetName } from './schedule/presets.ts';
export { parseSchedule, ScheduleError } from './schedule/validate.ts';
export { runSchedule, DEFAULT_TIMEOUT_MS, type RunScheduleOptions, type RunResult } from './api/run-schedule.ts';
export { judge, type JudgeTraceOptions } from './api/judge.ts';
export type { JudgeSettings } from './api/judge-settings.ts';
export { fuzz, type FuzzClientOptions, type FuzzPlan } from './api/fuzz.ts';
export { assertSurvivesDpopFuzzing, DpopFuzzFailure, DEFAULT_TEST_RUNS, type SurviveOptions } from './api/survive.ts';
export type { DpopClient } from './api/client.ts';
export { CHECKS, CHECK_IDS, type CheckDefinition, type CheckId, type RequirementLevel } from './checks/registry.ts';
export type { CheckResult, CheckStatus, Profile, SpecReference } from './checks/types.ts';
export { DriverError, type ModuleClient, type ModuleClientOptions } from './driver/types.ts';
export { CorpusError, type CorpusEntry } from './corpus/entry.ts';
export type { FailureReport, FuzzReport, StopReason } from './report/types.ts';
export type { BaselineVerdict, KnownFailure, StaleEntry, UnexpectedFailure } from './baseline/verdict.ts';
export type { FuzzProgress, FoundCounterexample } from './runner/fuzz-options.ts';
export type { Shard } from './runner/split-runs.ts';
export type {
  AccessTokenFormat,
  AuthServerSchedule,
  ChallengeFormat,
  ChallengeSchemes,
  CrossOriginRedirect,
  McpAction,
  McpServerSchedule,
  McpThen,
  NonceValue,
  PlanMethod,
  Redirect,
  Schedule,
  TokenAction,
  TokenThen,
  Topology,
} from './schedule/types.ts';
export type {
  AuthorizationObservation,
  ClientOutcome,
  Decision,
  Endpoint,
  IssuedToken,
  NonceIssue,
  ProofClaims,
  ProofHeader,
  ProofObservation,
  RpcMessage,
  ServerRole,
  Trace,
  TraceEntry,
} from './trace/types.ts';

/** Time per run in each harness phase and in the client (wall ms; CPU ms when runs did not overlap). */
export interface PhaseBreakdown {
  readonly worldStartMs: number;
  readonly clientMs: number;
  readonly worldCloseMs: number;
  readonly judgeMs: number;
  /** Everything else per run (generation, scheduling, bookkeeping); null when several runs overlapped. */
  readonly otherMs: number | null;
  /** CPU ms per run of this process in the harness phases (world start and stop, judging); null when several runs overlapped. */
  readonly harnessCpuMs: number | null;
  /**
   * CPU ms per run of this process while the client ran: the client itself and the servers' work
   * for it in-process, only the servers' work for a subprocess; null when several runs overlapped.
   */
  readonly clientPhaseCpuMs: number | null;
}

/** How fast a bundled broken client is caught, over several seeds. */
export interface CatchStats {
  readonly fault: string;
  readonly seeds: readonly number[];
  /** Seeds whose search found the fault within the budget. */
  readonly caught: number;
  /** Median over the seeds (an uncaught seed counts as the whole budget). */
  readonly medianSeconds: number;
  readonly medianRuns: number;
}

/** Memory over a long session, in MB. */
export interface MemoryStats {
  readonly samples: number;
  readonly rssStartMb: number;
  readonly rssEndMb: number;
  readonly rssMaxMb: number;
  readonly heapStartMb: number;
  readonly heapEndMb: number;
  readonly heapMaxMb: number;
}

/** One scenario of `npm run bench`: an element of `reports/bench.json`. */
export interface BenchResult {
  /** e.g. "reference, generated schedules", "reference, preset dpop-nonce", "catch ath-hex". */
  readonly name: string;
  readonly mode: 'in-process' | 'subprocess';
  readonly workers: number;
  /** Worker threads the searches ran on (in-process module clients; 1: the main thread). */
  readonly threads: number;
  /** Client runs made (generated, shrinking and replays). */
  readonly runs: number;
  readonly seconds: number;
  readonly runsPerSecond: number;
  /** CPU ms per run of this process (all threads), the client's included when it runs in-process. */
  readonly cpuMsPerRun: number;
  /** Subprocess clients: their own CPU ms per run (null where /proc is not available). */
  readonly clientCpuMsPerRun: number | null;
  readonly phases?: PhaseBreakdown;
  readonly catch?: CatchStats;
  readonly memory?: MemoryStats;
}

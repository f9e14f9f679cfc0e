import type { FuzzProgress } from '../runner/fuzz.ts';

/** Shows fuzzing progress: a redrawn bar on a terminal, a plain line every 10 s otherwise. */
export interface ProgressDisplay {
  update(progress: FuzzProgress): void;
  /** Ends the display (clears the bar). */
  done(): void;
}

const BAR_WIDTH = 24;
const TTY_INTERVAL_MS = 100;
const PLAIN_INTERVAL_MS = 10_000;

function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** One status line: runs, rate, distinct failures (and whether one is being shrunk), ETA. */
export function progressLine(p: FuzzProgress): string {
  const rate = p.elapsedMs > 0 ? (p.runs * 1000) / p.elapsedMs : 0;
  const eta = rate > 0 ? `ETA ${seconds(((p.requestedRuns - p.runs) / rate) * 1000)}` : 'ETA —';
  const shrink = p.shrinkRuns > 0 ? ` (+${p.shrinkRuns} shrink runs)` : '';
  const failures = `${p.failures} failure${p.failures === 1 ? '' : 's'}${p.shrinking ? ' (shrinking)' : ''}`;
  return `${p.runs}/${p.requestedRuns} runs${shrink} · ${rate.toFixed(1)} runs/s · ${failures} · ${eta}`;
}

/** A progress display on `stream`; `tty` picks the redrawn bar. */
export function createProgressDisplay(stream: NodeJS.WritableStream, tty: boolean, now: () => number = performance.now.bind(performance)): ProgressDisplay {
  let last = -Infinity;
  let drawn = false;
  return {
    update(p) {
      const t = now();
      if (t - last < (tty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS)) return;
      last = t;
      if (tty) {
        const filled = Math.min(BAR_WIDTH, Math.round((BAR_WIDTH * p.runs) / Math.max(1, p.requestedRuns)));
        stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${progressLine(p)}`);
        drawn = true;
      } else {
        stream.write(`dpop-fuzz: ${progressLine(p)}\n`);
      }
    },
    done() {
      if (tty && drawn) stream.write('\r\x1b[2K');
    },
  };
}

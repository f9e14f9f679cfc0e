import { describe, expect, it } from 'vitest';
import { renderReportMarkdown } from '../../src/report/markdown.ts';
import { failure, report, RS_NONCE_FAILURE } from './fixtures.ts';
import { syntaxViolations } from './mermaid-syntax.ts';

const FLAKY = failure({
  verdict: 'flaky',
  confirmation: { replays: 5, reproduced: 0 },
  corpusFile: null,
  checkIds: ['sep-1932-client-dpop-auth-scheme'],
  results: [{ id: 'sep-1932-client-dpop-auth-scheme', status: 'FAILURE', message: '1 request(s) presented a DPoP-bound token with the Bearer scheme instead of DPoP.', evidence: [2] }],
  fastCheck: { seed: -7, path: '3:0', shrinks: 0 },
  foundAtRun: 3,
  replayCommand: 'dpop-fuzz replay flaky.json',
});

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);
}

describe('renderReportMarkdown', () => {
  const md = renderReportMarkdown(report({ failures: [failure()], flaky: [FLAKY] }));

  it('starts with a title and a one-line summary', () => {
    const [title, , summary] = md.split('\n');
    expect(title).toBe('# mcp-dpop-fuzz 0.1.0 report');
    expect(summary).toBe('Client `node client.js` (command) · seed 42 · 8 of 100 runs + 5 shrink runs · 12.3 s · stopped: bug limit reached · **1 distinct bug, 1 flaky**');
    expect(md).not.toContain('No failure found');
  });

  it('puts bugs first, then flaky failures, then the statistics', () => {
    const order = ['## Bugs (1)', '### Bug 1: `sep-1932-client-rs-nonce`', '## Flaky (did not reproduce on replay)', '### Flaky 1: `sep-1932-client-dpop-auth-scheme`', '## Statistics'].map((h) => md.indexOf(`\n${h}\n`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('lists every bug in one index with the runs that hit it, before the sections', () => {
    const two = renderReportMarkdown(report({ failures: [failure({ hits: 7 }), failure({ checkIds: ['sep-1932-client-ath'], foundAtRun: 30, hits: 2 })] }));
    expect(two).toContain('1. FAILURE `sep-1932-client-rs-nonce`: found at run 8, 7 runs hit it\n2. FAILURE `sep-1932-client-ath`: found at run 30, 2 runs hit it');
    expect(two.indexOf('2. FAILURE')).toBeLessThan(two.indexOf('### Bug 1'));
    expect(two).toContain('### Bug 2: `sep-1932-client-ath`');
  });

  it('shows the comparison with the expected-failures baseline first', () => {
    const withBaseline = renderReportMarkdown(
      report({
        failures: [failure()],
        baseline: {
          file: 'baseline.yml',
          scenario: 'auth/dpop-fuzz',
          known: [{ checkIds: ['sep-1932-client-rs-nonce'], flaky: false, entries: ['auth/dpop-fuzz:sep-1932-client-rs-nonce'] }],
          unexpected: [{ checkIds: ['sep-1932-client-ath'], unexpectedChecks: ['sep-1932-client-ath'], kind: 'check', runs: 2 }],
          stale: [{ entry: 'auth/dpop-fuzz:sep-1932-client-htm-htu-match', scheduleRan: true }],
          staleJudged: true,
          exitCode: 1,
        },
      }),
    );
    expect(withBaseline).toContain('## Expected failures\n\nBaseline `baseline.yml`, scenario `auth/dpop-fuzz`: 1 known, 1 new, 1 stale. The run fails');
    expect(withBaseline).toContain('- **New** check failed without a counterexample of its own: `sep-1932-client-ath` (2 runs); not in the baseline');
    expect(withBaseline).toContain('- **Stale** `auth/dpop-fuzz:sep-1932-client-htm-htu-match`: failed in no run (its schedule ran first and passed)');
    expect(withBaseline).toContain('- Known: `sep-1932-client-rs-nonce`');
    expect(withBaseline.indexOf('## Expected failures')).toBeLessThan(withBaseline.indexOf('## Bugs'));
  });

  it('lays out each failure in the same order', () => {
    const sections = ['#### What broke', '#### How to fix', '#### Minimal schedule', '#### Sequence diagram', '#### Client outcome', '#### Reproduce'];
    for (const part of md.split(/\n(?=### )/).slice(1)) {
      const at = sections.map((s) => part.indexOf(`\n${s}\n`));
      expect(at.every((i) => i > 0), part.slice(0, 40)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    }
  });

  it('says what broke with the catalogue name and the result message, and how to fix it', () => {
    expect(md).toContain('- **DpopRsNonce** (`sep-1932-client-rs-nonce`, MUST): retry POST \\#2 carried no nonce instead of "rs-n1" supplied by \\#1. (trace #1, #2)');
    expect(md).toContain('- **DpopRsNonce:** Parse the DPoP challenge, store the DPoP-Nonce for that server and retry the same request with a new proof carrying it. ([RFC 9449 §9](https://www.rfc-editor.org/rfc/rfc9449.html#section-9)');
    expect(md).toContain('- **DpopAuthScheme** (`sep-1932-client-dpop-auth-scheme`, MUST): 1 request(s) presented a DPoP-bound token with the Bearer scheme instead of DPoP. (trace #2)');
    expect(md).toContain('- **DpopAuthScheme:** Pick the Authorization scheme from the token_type');
  });

  it('says what broke for a WARNING that counted (--fail-on warning), and highlights its evidence', () => {
    const warned = renderReportMarkdown(
      report({
        failures: [
          failure({
            checkIds: ['sep-1932-client-newest-nonce'],
            results: [{ id: 'sep-1932-client-newest-nonce', status: 'WARNING', message: "#2 POST mcp carried the other server's nonce.", evidence: [1, 2] }],
          }),
        ],
      }),
    );
    expect(warned).toContain('- **DpopNewestNonce** (`sep-1932-client-newest-nonce`, MUST) — WARNING: \\#2 POST mcp carried the other server\'s nonce. (trace #1, #2)');
    expect(warned).not.toContain('no result message was recorded');
    expect(mermaidBlocks(warned)[0]).toContain('rect rgb(255, 230, 230)');
  });

  it('shows the minimal schedule as the difference from the default, the full schedules collapsed', () => {
    expect(md).toContain('Only the fields that differ from the default schedule:\n\n```json\n' + JSON.stringify({ mcp: { post: [{ kind: 'use-dpop-nonce', nonce: 'rs-n1' }] } }, null, 2) + '\n```');
    expect(md).toContain('<details>\n<summary>Full shrunk schedule</summary>\n\n```json\n{\n  "version": 1,');
    expect(md).toContain('<summary>Schedule as first generated</summary>');
    expect(md).toContain('"challenge": "DPoP+Bearer"');
  });

  it('draws one valid diagram per failure, with the evidence highlighted', () => {
    const diagrams = mermaidBlocks(md);
    expect(diagrams).toHaveLength(2);
    for (const d of diagrams) expect(syntaxViolations(d)).toEqual([]);
    expect(diagrams[0]!.match(/rect rgb/g)).toHaveLength(2);
    expect(diagrams[0]).toContain('DpopRsNonce: sent no nonce, challenged with DPoP-Nonce rs-n1');
    expect(diagrams[1]!.match(/rect rgb/g)).toHaveLength(1);
    expect(diagrams[1]).toContain('DpopAuthScheme: Authorization: DPoP');
  });

  it('gives the replay command, corpus file, fast-check coordinates and confirmation', () => {
    expect(md).toContain("```sh\ndpop-fuzz replay corpus/rs-nonce-1.json --command 'node client.js'\n```");
    expect(md).toContain('- Corpus file: `corpus/rs-nonce-1.json`');
    expect(md).toContain('- fast-check: `{ seed: 42, path: "7:1:0" }`');
    expect(md).toContain('- Found at run 8, shrunk in 5 steps');
    expect(md).toContain('- Confirmation: reproduced in 3/3 replays');
    expect(md).toContain('- Corpus file: not saved');
    expect(md).toContain('- fast-check: `{ seed: -7, path: "3:0" }`');
    expect(md).toContain('- Found at run 3, shrunk in 0 steps');
  });

  it('gives the replays as evidence for a flaky failure', () => {
    const flaky = md.slice(md.indexOf('### Flaky 1'));
    expect(flaky).toContain('> **Did not reproduce:** 0 of 5 replays of the shrunk schedule failed `sep-1932-client-dpop-auth-scheme`.');
    expect(md.slice(0, md.indexOf('### Flaky 1'))).not.toContain('Did not reproduce');
  });

  it('shows how the client ended, with its stderr collapsed', () => {
    expect(md).toContain('The client ended with exit code 1, 1.2 s.');
    expect(md).toContain('<summary>stderr (last 40 lines)</summary>\n\n```text\nError: 401 use_dpop_nonce\n```');
  });

  it('ends with the statistics table', () => {
    expect(md.endsWith(['| Dimension | Label | Runs | % |', '| --- | --- | ---: | ---: |', '| mcp.post | ok | 5 | 62.5 % |', '| mcp.post | use-dpop-nonce | 3 | 37.5 % |', '| topology | separate-origins | 8 | 100.0 % |', ''].join('\n'))).toBe(true);
  });

  it('keeps hostile client text from becoming markup', () => {
    const hostile = failure({
      results: [{ ...RS_NONCE_FAILURE, message: 'nonce "<img src=x>*a*_b_`c`|d|" [x](y) $e$' }],
      outcome: { exitCode: null, signal: 'SIGKILL', timedOut: true, stdout: '', stderr: '```\n</details>\n# heading', durationMs: 61_000 },
      replayCommand: "dpop-fuzz replay x.json --command 'echo ```'",
    });
    const out = renderReportMarkdown(report({ failures: [hostile], client: { kind: 'command', name: 'node `x`.js' } }));
    expect(out).toContain('nonce "&lt;img src=x&gt;\\*a\\*\\_b\\_\\`c\\`\\|d\\|" \\[x\\](y) \\$e\\$');
    expect(out).toContain('Client ``node `x`.js`` (command)');
    expect(out).toContain('The client ended with no exit code, signal SIGKILL, timed out, 1 min 1 s.');
    expect(out).toContain('````text\n```\n</details>\n# heading\n````');
    expect(out).toContain("````sh\ndpop-fuzz replay x.json --command 'echo ```'\n````");
  });

  it('mentions requests the HTTP layer refused and a reached request cap', () => {
    const f = failure();
    const out = renderReportMarkdown(report({ failures: [failure({ trace: { ...f.trace, refused: [{ at: 0, server: 'mcp', reason: 'header too large' }], capped: true } })] }));
    expect(out).toContain('1 request never reached a server: the HTTP layer refused it (header too large).');
    expect(out).toContain('The request cap was reached, so the servers stopped serving.');
    expect(mermaidBlocks(out)[0]).toContain('1 request(s) refused by the HTTP layer');
  });
});

describe('renderReportMarkdown without failures', () => {
  it('says no failure was found and shows the statistics', () => {
    const md = renderReportMarkdown(report({ stoppedBy: 'completed', runs: 100, shrinkRuns: 0, statistics: { topology: { 'same-origin': 40, 'separate-origins': 60 } } }));
    expect(md).toContain('· 100 of 100 runs · 12.3 s · stopped: all runs done · **0 distinct bugs, 0 flaky**');
    expect(md).toContain('## No failure found\n\nThe client passed every MUST check in 100 runs. The statistics');
    expect(md).not.toMatch(/## Bugs|## Flaky|```mermaid/);
    expect(md).toContain('| topology | separate-origins | 60 | 60.0 % |\n| topology | same-origin | 40 | 40.0 % |');
  });

  it('says when the fuzzer stopped early, and when nothing was counted', () => {
    const md = renderReportMarkdown(report({ stoppedBy: 'time-limit', runs: 0, statistics: {} }));
    expect(md).toContain('The fuzzer stopped early (time limit)');
    expect(md).toContain('_No statistics were recorded._');
  });
});

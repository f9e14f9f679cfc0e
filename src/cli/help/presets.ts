/** `dpop-fuzz presets`'s usage text, apart from the command so that printing it loads nothing heavy. */
export const PRESETS_HELP = `Usage: dpop-fuzz presets [--json]

Lists the named schedules usable with 'check --preset <name>'; --json prints
each schedule in full (a starting point for your own schedule files).`;

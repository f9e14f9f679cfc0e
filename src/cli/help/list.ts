/** `dpop-fuzz list`'s usage text, apart from the command so that printing it loads nothing heavy. */
export const LIST_HELP = `Usage: dpop-fuzz list [--json | --markdown]

Prints the check catalogue: ID, level, what is checked, why, how to fix, and
the RFC sections. MUST checks report FAILURE, SHOULD checks WARNING.
--json and --markdown print it for machines and documents.`;

import { PRESETS } from '../../schedule/presets.ts';
import { parseFlags } from '../parse-flags.ts';


export function presetsCommand(args: readonly string[]): number {
  const flags = parseFlags('presets', args, { json: { type: 'boolean' } });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(PRESETS, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...Object.keys(PRESETS).map((n) => n.length));
  for (const [name, preset] of Object.entries(PRESETS)) process.stdout.write(`${name.padEnd(width)}  ${preset.description}\n`);
  return 0;
}

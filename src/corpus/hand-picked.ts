import { fileURLToPath } from 'node:url';

/**
 * The hand-picked corpus shipped with the package: schedules every
 * conformant client must survive, run before any generated one. The path is
 * found from this module, so it works from the sources, the compiled
 * package and wherever the tool is started.
 */
export const HAND_PICKED_DIR: string = fileURLToPath(new URL('../../corpus/hand-picked/', import.meta.url));

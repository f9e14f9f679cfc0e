// `node --import <this file>`: registers redirect-hooks.mjs with the
// directories in DPOP_FUZZ_REDIRECT (JSON `{ "from": <url>, "to": <url> }`).
// Used for clients that run as a subprocess (a --command client, the official
// suite's client) so they load the instrumented copy of the package.
import { register } from 'node:module';

const raw = process.env.DPOP_FUZZ_REDIRECT;
if (raw) {
  const data = JSON.parse(raw);
  if (typeof data?.from !== 'string' || typeof data?.to !== 'string') throw new Error('DPOP_FUZZ_REDIRECT must be {"from": <directory URL>, "to": <directory URL>}');
  register(new URL('./redirect-hooks.mjs', import.meta.url), { data });
}

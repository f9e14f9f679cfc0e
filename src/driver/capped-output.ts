/**
 * Collects a stream of output up to a byte cap, keeping the start. The rest is
 * still consumed (a child blocked on a full pipe would otherwise hang) but
 * only counted, and the count is noted at the end of the text.
 */
export class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;
  /** First byte that did not fit, to avoid cutting a UTF-8 sequence in half. */
  private firstDroppedByte: number | null = null;

  constructor(private readonly capBytes: number) {}

  /** Appends a chunk (strings are taken as UTF-8). */
  push(chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (bytes.length === 0) return;
    if (this.dropped > 0) {
      this.dropped += bytes.length;
      return;
    }
    const room = this.capBytes - this.kept;
    if (bytes.length <= room) {
      this.chunks.push(bytes);
      this.kept += bytes.length;
      return;
    }
    if (room > 0) this.chunks.push(bytes.subarray(0, room));
    this.kept += room;
    this.dropped = bytes.length - room;
    this.firstDroppedByte = bytes[room] ?? null;
  }

  /** True once something was dropped. */
  get truncated(): boolean {
    return this.dropped > 0;
  }

  /** The kept text, followed by a note when output was dropped. */
  text(): string {
    const all = Buffer.concat(this.chunks);
    if (!this.truncated) return all.toString('utf8');
    let end = all.length;
    let dropped = this.dropped;
    // UTF-8 continuation bytes are 10xxxxxx: if the cut fell inside a
    // character, give back its leading bytes as well.
    if (this.firstDroppedByte !== null && (this.firstDroppedByte & 0xc0) === 0x80) {
      while (end > 0) {
        const byte = all[end - 1] ?? 0;
        end -= 1;
        dropped += 1;
        if ((byte & 0xc0) !== 0x80) break;
      }
    }
    return `${all.subarray(0, end).toString('utf8')}\n[output truncated: ${dropped} more bytes not shown]`;
  }
}

// Sortable unique ids (ULID layout: 48-bit ms timestamp + 80 random bits, Crockford base32, 26 chars).
// Monotonic inside one millisecond so ids from one process sort in creation order.
import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_CHARS = 16;

// One crypto call per 4 KiB of randomness: a call per id costs more than the rest of a publish.
const pool = new Uint8Array(4096);
let poolOffset = pool.length;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

let lastTime = -1;
/** The 10 time characters of `lastTime`: encoded once per millisecond. */
let lastTimeChars = '';
const lastRandom = new Uint8Array(RANDOM_CHARS); // one base32 digit (0..31) per slot

function incrementRandom(): void {
  for (let i = RANDOM_CHARS - 1; i >= 0; i--) {
    const digit = lastRandom[i] ?? 0;
    if (digit < 31) {
      lastRandom[i] = digit + 1;
      return;
    }
    lastRandom[i] = 0;
  }
}

/** A new event id, e.g. `01JD3X4S1Z7YB6Q8VJ2M0K5N9E`. */
export function newEventId(now: number = Date.now()): string {
  if (now <= lastTime) {
    incrementRandom();
  } else {
    lastTime = now;
    const bytes = randomBytes(RANDOM_CHARS);
    for (let i = 0; i < RANDOM_CHARS; i++) lastRandom[i] = (pool[bytes + i] ?? 0) & 31;
    let time = '';
    let t = now;
    for (let i = 0; i < 10; i++) {
      time = ALPHABET[t % 32] + time;
      t = Math.floor(t / 32);
    }
    lastTimeChars = time;
  }
  let random = '';
  for (let i = 0; i < RANDOM_CHARS; i++) random += ALPHABET[lastRandom[i] ?? 0];
  return lastTimeChars + random;
}

/** Reserve `count` random bytes of the pool; returns their offset. */
function randomBytes(count: number): number {
  if (poolOffset + count > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const offset = poolOffset;
  poolOffset += count;
  return offset;
}

/** `bytes` random bytes as lowercase hex (W3C trace context ids). */
export function randomHex(bytes: number): string {
  const offset = randomBytes(bytes);
  let out = '';
  for (let i = 0; i < bytes; i++) out += HEX[pool[offset + i] ?? 0];
  return out;
}

/** The largest value whose UTF-8 is kept in the encoder's reused buffer; larger ones get a buffer of their own. */
const SCRATCH_MAX_BYTES = 8 * 1024 * 1024;
/** Arrays at least this long are stringified this many elements at a time, not element by element. */
const CHUNK_ELEMENTS = 64;
/** Levels of arrays and plain objects walked here; deeper values go to JSON.stringify whole. */
const MAX_DEPTH = 4;
/** Small pieces are joined into a string of about this many characters before they are encoded. */
const FLUSH_CHARS = 16 * 1024;
/**
 * TextEncoder.encodeInto rather than Buffer.write: on Node 20 it is the SIMD encoder, 0.06 ms for 1 MB of JSON
 * against 0.57 ms, measured here side by side.
 */
const utf8 = new TextEncoder();

/**
 * The UTF-8 bytes of `JSON.stringify(value)`, written into one reused buffer without ever building the whole JSON as
 * one string. Why: for a 1 MB context, JSON.stringify's result is a 1 MB string in V8's large-object space, which V8
 * then flattens into a second one on first use; those fresh allocations were the store's slowest writes (0.6 ms at the
 * median, 6-10 ms at the tail, measured with `bench/session/store-bench.js`). Here arrays and plain objects of the
 * first levels are walked in JavaScript and their pieces stringified in small chunks, which stay in the young
 * generation.
 *
 * The bytes are those of JSON.stringify (same key order, `toJSON(key)`, undefined/functions/symbols omitted or null,
 * the same errors for cycles and BigInt). A returned buffer is valid until the next call.
 */
export class JsonBytes {
  private scratch = Buffer.alloc(0);
  private target = this.scratch;
  private written = 0;
  private pending = '';

  /** The bytes of JSON.stringify(value); undefined where JSON.stringify returns undefined. */
  encode(value: unknown): Buffer | undefined {
    this.start();
    if (!this.property('', value, '', 0)) return undefined;
    return this.finish();
  }

  /** The UTF-8 of a JSON text the caller already has. */
  encodeText(json: string): Buffer {
    this.start();
    this.text(json);
    return this.finish();
  }

  /** Writes `prefix` and the value's JSON; false (and nothing written) when the value has no JSON form. */
  private property(prefix: string, input: unknown, key: string, depth: number): boolean {
    const value = withToJson(input, key);
    if (depth < MAX_DEPTH && typeof value === 'object' && value !== null) {
      if (Array.isArray(value)) {
        this.text(prefix);
        this.array(value, depth + 1);
        return true;
      }
      if (isPlainObject(value)) {
        this.text(prefix);
        this.object(value, depth + 1);
        return true;
      }
    }
    const json = JSON.stringify(value);
    if (json === undefined) return false;
    this.text(prefix);
    this.text(json);
    return true;
  }

  private array(values: unknown[], depth: number): void {
    this.text('[');
    // Few elements (each may be large) go one by one; many go in chunks, unless a toJSON must see its real index.
    const oneByOne = values.length < CHUNK_ELEMENTS;
    for (let start = 0; start < values.length; start += CHUNK_ELEMENTS) {
      const end = Math.min(values.length, start + CHUNK_ELEMENTS);
      if (oneByOne || anyToJson(values, start, end)) this.elements(values, start, end, depth);
      else this.chunk(values, start, end);
    }
    this.text(']');
  }

  private elements(values: unknown[], start: number, end: number, depth: number): void {
    for (let index = start; index < end; index++) {
      const comma = index > 0 ? ',' : '';
      // As in JSON.stringify, an element without a JSON form is null.
      if (!this.property(comma, values[index], String(index), depth)) this.text(`${comma}null`);
    }
  }

  private chunk(values: unknown[], start: number, end: number): void {
    const json = JSON.stringify(values.slice(start, end));
    this.text(start > 0 ? ',' : '');
    this.text(json.slice(1, -1));
  }

  private object(value: Record<string, unknown>, depth: number): void {
    this.text('{');
    let first = true;
    for (const key of Object.keys(value)) {
      if (this.property(`${first ? '' : ','}${JSON.stringify(key)}:`, value[key], key, depth)) first = false;
    }
    this.text('}');
  }

  private start(): void {
    this.target = this.scratch;
    this.written = 0;
    this.pending = '';
  }

  private finish(): Buffer {
    this.flush();
    const bytes = this.target.subarray(0, this.written);
    // A value too large for the scratch got a buffer of its own: drop it now rather than keep it for the next call.
    this.target = this.scratch;
    return bytes;
  }

  private text(piece: string): void {
    if (piece.length >= FLUSH_CHARS) {
      this.flush();
      this.write(piece);
      return;
    }
    this.pending += piece;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const piece = this.pending;
    this.pending = '';
    this.write(piece);
  }

  private write(piece: string): void {
    let rest = piece;
    for (;;) {
      const { read, written } = utf8.encodeInto(rest, this.target.subarray(this.written));
      this.written += written;
      if (read === rest.length) return;
      rest = rest.slice(read);
      this.grow(rest.length * 3);
    }
  }

  /** Room for at least `more` bytes past what is written, keeping what is written. */
  private grow(more: number): void {
    const needed = this.written + more;
    const size = Math.max(needed, this.target.length * 2, 64 * 1024);
    const bigger = Buffer.allocUnsafeSlow(size);
    this.target.copy(bigger, 0, 0, this.written);
    this.target = bigger;
    if (size <= SCRATCH_MAX_BYTES) this.scratch = bigger;
  }
}

/** What JSON.stringify serialises in place of `value` as the property `key`: the result of its toJSON, if any. */
function withToJson(value: unknown, key: string): unknown {
  if (typeof value === 'object' && value !== null) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return (toJSON as (this: unknown, key: string) => unknown).call(value, key);
  }
  return value;
}

function anyToJson(values: unknown[], start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const value = values[index];
    if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      return true;
    }
  }
  return false;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * The binary protocol between the MLflow `python_function` model and its Deno predictor
 * process, over the process's stdin and stdout. Every number is little-endian.
 *
 * - Request (Python to Deno): `u32 rows`, `u32 cols`, then `rows * cols` Float64 values,
 *   row by row, in the bundle's feature order; NaN is a missing value.
 * - Reply (Deno to Python): `u32 kind`, `u32 byteLength`, then `byteLength` bytes:
 *   {@linkcode FRAME.hello} (UTF-8 JSON, sent once at start-up), {@linkcode FRAME.predictions}
 *   (one Float64 per request row) or {@linkcode FRAME.error} (a UTF-8 message).
 *
 * Raw doubles cross unchanged, so the predictions are bit for bit those the server makes
 * from the same rows. `pipeline/pyfunc/crime_pyfunc.py` is the other side.
 *
 * @module
 */

/** The protocol's version, sent in the hello frame. */
export const PROTOCOL_VERSION = 1;

/** The kinds of reply frame. */
export const FRAME = { hello: 0, predictions: 1, error: 2 } as const;
/** A reply frame's kind. */
export type FrameKind = typeof FRAME[keyof typeof FRAME];

/** Bytes in a request or reply header. */
export const HEADER_BYTES = 8;

// On a little-endian host (every platform Deno ships for) the values are copied as bytes;
// elsewhere they are converted one by one.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A frame's header and payload as one buffer. */
function frame(kind: FrameKind, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + payload.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, kind, true);
  view.setUint32(4, payload.byteLength, true);
  out.set(payload, HEADER_BYTES);
  return out;
}

/**
 * Encodes a reply frame holding `predictions` as little-endian Float64 values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const bytes = predictionsFrame(new Float64Array([0.25]));
 * assert.deepEqual([...bytes.subarray(0, 8)], [1, 0, 0, 0, 8, 0, 0, 0]);
 * assert.equal(new DataView(bytes.buffer).getFloat64(8, true), 0.25);
 * ```
 */
export function predictionsFrame(predictions: Float64Array): Uint8Array {
  const payload = new Uint8Array(predictions.length * 8);
  if (LITTLE_ENDIAN) {
    payload.set(new Uint8Array(predictions.buffer, predictions.byteOffset, payload.length));
  } else {
    const view = new DataView(payload.buffer);
    for (let i = 0; i < predictions.length; i++) view.setFloat64(i * 8, predictions[i], true);
  }
  return frame(FRAME.predictions, payload);
}

/**
 * Encodes a reply frame carrying a UTF-8 text: an error message or the hello JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const bytes = textFrame(FRAME.error, "bad");
 * assert.equal(new DataView(bytes.buffer).getUint32(4, true), 3);
 * assert.equal(new TextDecoder().decode(bytes.subarray(8)), "bad");
 * ```
 */
export function textFrame(kind: FrameKind, text: string): Uint8Array {
  return frame(kind, new TextEncoder().encode(text));
}

/** A request header: how many rows of how many values follow. */
export interface RequestHeader {
  readonly rows: number;
  readonly cols: number;
}

/**
 * Reads a request header from its 8 bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(readRequestHeader(new Uint8Array([2, 0, 0, 0, 122, 0, 0, 0])), {
 *   rows: 2,
 *   cols: 122,
 * });
 * ```
 */
export function readRequestHeader(bytes: Uint8Array): RequestHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  return { rows: view.getUint32(0, true), cols: view.getUint32(4, true) };
}

/**
 * Decodes a request's payload (little-endian Float64 values) into a fresh array.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const payload = new Uint8Array(16);
 * new DataView(payload.buffer).setFloat64(0, 0.5, true);
 * new DataView(payload.buffer).setFloat64(8, NaN, true);
 * const [a, b] = readValues(payload);
 * assert.ok(a === 0.5 && Number.isNaN(b));
 * ```
 */
export function readValues(payload: Uint8Array): Float64Array {
  const n = payload.byteLength / 8;
  const out = new Float64Array(n);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(payload.subarray(0, n * 8));
    return out;
  }
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

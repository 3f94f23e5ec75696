/**
 * The Deno side of the `python_function` model: answers request frames read from a byte
 * stream with the bundle predictor's predictions, clipped to the served range as the HTTP
 * server clips them (see `frames.ts` for the protocol).
 *
 * @module
 */
import type { BundlePredictor } from "../bundle/bundle_predictor.ts";
import { clipPredictions } from "../bundle/prediction_range.ts";
import { matrix } from "../core/matrix.ts";
import {
  FRAME,
  HEADER_BYTES,
  predictionsFrame,
  PROTOCOL_VERSION,
  readRequestHeader,
  readValues,
  textFrame,
} from "./frames.ts";

/** Where request bytes come from (`Deno.stdin` is one). */
export interface ByteReader {
  read(p: Uint8Array): Promise<number | null>;
}

/** Where reply bytes go (`Deno.stdout` is one). */
export interface ByteWriter {
  write(p: Uint8Array): Promise<number>;
}

/** What the hello frame tells the Python side about the model. */
export interface Hello {
  readonly protocol: number;
  readonly name: string;
  readonly family: string;
  readonly target: string;
  readonly checksum: string;
  readonly features: readonly { readonly name: string; readonly nullable: boolean }[];
}

/** Fills `p` from `reader`; false when the stream ended before the first byte. */
async function readFull(reader: ByteReader, p: Uint8Array): Promise<boolean> {
  let at = 0;
  while (at < p.length) {
    const n = await reader.read(p.subarray(at));
    if (n === null) {
      if (at === 0) return false;
      throw new Error(`the request stream ended ${p.length - at} bytes short of a frame`);
    }
    at += n;
  }
  return true;
}

async function writeAll(writer: ByteWriter, p: Uint8Array): Promise<void> {
  for (let at = 0; at < p.length;) at += await writer.write(p.subarray(at));
}

/**
 * The first missing value in a feature the bundle does not accept missing (its training
 * rows had none there): the server refuses such a row, and so does this predictor.
 */
export function notNullableIssue(
  predictor: BundlePredictor,
  data: Float64Array,
): string | undefined {
  const features = predictor.bundle.features;
  const cols = features.length;
  for (let j = 0; j < cols; j++) {
    if (features[j].nullable) continue;
    for (let i = 0; i < data.length / cols; i++) {
      const v = data[i * cols + j];
      if (v !== v) {
        return `row ${i}: feature "${features[j].name}" is missing, but it is not nullable ` +
          "(its training rows had no missing values)";
      }
    }
  }
  return undefined;
}

/**
 * Sends the hello frame, then answers each request until `input` ends. A bad request is
 * answered with an error frame and the stream stays usable; a stream cut mid-frame throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createPredictor } from "../bundle/bundle_predictor.ts";
 * import { openBundle } from "../bundle/bundle_io.ts";
 * import { loadModel } from "../models/load_model.ts";
 * import { FRAME } from "./frames.ts";
 *
 * const path = "examples/model_bundle.json";
 * const predictor = createPredictor(await openBundle(await Deno.readTextFile(path), path), loadModel);
 * const cols = predictor.featureNames.length;
 * const request = new Uint8Array(8 + cols * 8);
 * const view = new DataView(request.buffer);
 * view.setUint32(0, 1, true); // one row
 * view.setUint32(4, cols, true);
 * for (let j = 0; j < cols; j++) view.setFloat64(8 + j * 8, 0.5, true);
 * let at = 0; // reads the one request, then the end of the stream
 * const input = {
 *   read: (p: Uint8Array) => {
 *     const n = Math.min(p.length, request.length - at);
 *     p.set(request.subarray(at, at + n));
 *     at += n;
 *     return Promise.resolve(n > 0 ? n : null);
 *   },
 * };
 * const written: number[] = [];
 * const output = { write: (p: Uint8Array) => Promise.resolve(written.push(...p) && p.length) };
 * await servePredictions(predictor, input, output);
 * const reply = Uint8Array.from(written);
 * const replyView = new DataView(reply.buffer);
 * const helloLength = replyView.getUint32(4, true);
 * assert.equal(replyView.getUint32(0, true), FRAME.hello);
 * assert.equal(replyView.getUint32(8 + helloLength, true), FRAME.predictions);
 * const expected = predictor.predict({ rows: 1, cols, data: new Float64Array(cols).fill(0.5) });
 * // (0.72 for this bundle: inside [0, 1], so clipping leaves it as it is)
 * assert.equal(replyView.getFloat64(16 + helloLength, true), expected[0]);
 * ```
 */
export async function servePredictions(
  predictor: BundlePredictor,
  input: ByteReader,
  output: ByteWriter,
): Promise<void> {
  const { bundle } = predictor;
  const hello: Hello = {
    protocol: PROTOCOL_VERSION,
    name: bundle.name,
    family: bundle.family,
    target: bundle.target,
    checksum: bundle.checksum,
    features: bundle.features.map((f) => ({ name: f.name, nullable: f.nullable })),
  };
  await writeAll(output, textFrame(FRAME.hello, JSON.stringify(hello)));
  const header = new Uint8Array(HEADER_BYTES);
  const cols = predictor.featureNames.length;
  while (await readFull(input, header)) {
    const request = readRequestHeader(header);
    const payload = new Uint8Array(request.rows * request.cols * 8);
    if (!await readFull(input, payload) && payload.length > 0) {
      throw new Error("the request stream ended inside a frame");
    }
    if (request.cols !== cols) {
      await writeAll(
        output,
        textFrame(FRAME.error, `expected ${cols} features per row, got ${request.cols}`),
      );
      continue;
    }
    const data = readValues(payload);
    const issue = notNullableIssue(predictor, data);
    if (issue) {
      await writeAll(output, textFrame(FRAME.error, issue));
      continue;
    }
    let reply: Uint8Array;
    try {
      const y = predictor.predict(matrix(request.rows, cols, data));
      reply = predictionsFrame(clipPredictions(y, `model ${bundle.name}`));
    } catch (error) {
      reply = textFrame(FRAME.error, `prediction failed: ${(error as Error).message}`);
    }
    await writeAll(output, reply);
  }
}

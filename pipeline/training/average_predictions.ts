/**
 * Element-wise mean of several prediction vectors: the out-of-fold predictions of an
 * averaging ensemble, honest because each member's are.
 *
 * @module
 */

/** Averages equally long prediction vectors. */
export function averagePredictions(predictions: readonly Float64Array[]): Float64Array {
  if (predictions.length === 0) throw new RangeError("averagePredictions: nothing to average");
  const out = new Float64Array(predictions[0].length);
  for (const p of predictions) {
    if (p.length !== out.length) throw new RangeError("averagePredictions: lengths differ");
    for (let i = 0; i < out.length; i++) out[i] += p[i] / predictions.length;
  }
  return out;
}

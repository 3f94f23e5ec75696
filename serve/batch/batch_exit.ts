/**
 * The exit statuses of `predict`, one per way a run ends, so a script can tell a bad
 * file from a model it could not load.
 *
 * @module
 */

/** Exit statuses of a batch run. */
export const BATCH_EXIT = {
  /** Every row was scored, or every bad row skipped and reported (`--on-error skip`). */
  ok: 0,
  /** An unexpected failure, or the output could not be written. */
  failed: 1,
  /** Bad flags or environment: the message says which. */
  usage: 2,
  /** The model could not be loaded (no such bundle, registry unreachable, bad bundle). */
  model: 3,
  /** The input cannot be scored at all: not found, no header, a missing feature column. */
  input: 4,
  /** A bad row stopped the run (`--on-error fail`, the default); no output is left. */
  badRow: 5,
} as const;

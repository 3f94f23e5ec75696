/**
 * The JSON form of a fitted gradient-boosted ensemble: each tree as parallel node
 * arrays with real-valued thresholds, so loading needs no bin mapper.
 *
 * @module
 */
import { z } from "zod";
import type { Forest } from "./forest.ts";
import type { Tree } from "./tree.ts";

/** The model family name under which boosted trees are serialised. */
export const GBM_FAMILY = "gbm";

/**
 * Version of the serialised state layout; bump on incompatible changes. Version 2 adds
 * each node's training cover (`cover`), which explanations need.
 */
export const GBM_FORMAT_VERSION = 2;

/** The layout before covers were recorded: still loaded and predicted, not explained. */
export const GBM_FORMAT_VERSION_WITHOUT_COVER = 1;

const TreeStateSchema = z.object({
  feature: z.array(z.number().int().min(-1)),
  threshold: z.array(z.number()),
  left: z.array(z.number().int()),
  right: z.array(z.number().int()),
  missingLeft: z.array(z.union([z.literal(0), z.literal(1)])),
  value: z.array(z.number()),
  cover: z.array(z.number().min(0)).optional(),
});

/** Validates a serialised ensemble, including that every tree is well formed. */
export const GbmStateSchema = z.object({
  nFeatures: z.number().int().min(1),
  baseScore: z.number(),
  trees: z.array(TreeStateSchema),
}).superRefine((state, ctx) => {
  state.trees.forEach((tree, t) => {
    const problem = treeProblem(tree, state.nFeatures);
    if (problem) ctx.addIssue({ code: "custom", path: ["trees", t], message: problem });
  });
});

/** A serialised ensemble, as stored in `SerializedModel.state`. */
export type GbmState = z.infer<typeof GbmStateSchema>;

/**
 * The format version `forest` is stored in: {@linkcode GBM_FORMAT_VERSION} when every
 * tree has its covers, else the version without them.
 */
export function formatVersionOf(forest: Forest): number {
  return forest.trees.every((tree) => tree.cover !== undefined)
    ? GBM_FORMAT_VERSION
    : GBM_FORMAT_VERSION_WITHOUT_COVER;
}

/** Converts a fitted ensemble to plain JSON-ready arrays (covers included when known). */
export function forestToState(forest: Forest): GbmState {
  return {
    nFeatures: forest.nFeatures,
    baseScore: forest.baseScore,
    trees: forest.trees.map((tree) => ({
      feature: Array.from(tree.feature),
      threshold: Array.from(tree.threshold),
      left: Array.from(tree.left),
      right: Array.from(tree.right),
      missingLeft: Array.from(tree.missingLeft, (m) => (m === 1 ? 1 : 0)),
      value: Array.from(tree.value),
      ...(tree.cover ? { cover: Array.from(tree.cover) } : {}),
    })),
  };
}

/** Validates serialised state and rebuilds the ensemble it describes. */
export function forestFromState(state: unknown): Forest {
  const parsed = GbmStateSchema.parse(state);
  const trees: Tree[] = parsed.trees.map((tree) => ({
    feature: Int32Array.from(tree.feature),
    threshold: Float64Array.from(tree.threshold),
    left: Int32Array.from(tree.left),
    right: Int32Array.from(tree.right),
    missingLeft: Uint8Array.from(tree.missingLeft),
    value: Float64Array.from(tree.value),
    ...(tree.cover ? { cover: Float64Array.from(tree.cover) } : {}),
  }));
  return { nFeatures: parsed.nFeatures, baseScore: parsed.baseScore, trees };
}

/** Describes why a tree's arrays cannot be traversed safely, or returns `undefined`. */
function treeProblem(tree: z.infer<typeof TreeStateSchema>, nFeatures: number) {
  const n = tree.feature.length;
  if (n === 0) return "tree has no nodes";
  const arrays = [tree.threshold, tree.left, tree.right, tree.missingLeft, tree.value];
  if (tree.cover) arrays.push(tree.cover);
  if (arrays.some((a) => a.length !== n)) return "node arrays differ in length";
  for (let i = 0; i < n; i++) {
    if (tree.feature[i] >= nFeatures) return `node ${i} splits on unknown feature`;
    // Children after their parent rule out cycles, so prediction always terminates.
    const childrenOk = [tree.left[i], tree.right[i]].every((c) => c > i && c < n);
    if (tree.feature[i] >= 0 && !childrenOk) return `node ${i} has invalid children`;
    // TreeSHAP divides by an inner node's cover: training rows reached every split.
    if (tree.cover && tree.feature[i] >= 0 && !(tree.cover[i] > 0)) {
      return `split node ${i} has cover ${tree.cover[i]}`;
    }
  }
  return undefined;
}

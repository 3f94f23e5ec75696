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

/** Version of the serialised state layout; bump on incompatible changes. */
export const GBM_FORMAT_VERSION = 1;

const TreeStateSchema = z.object({
  feature: z.array(z.number().int().min(-1)),
  threshold: z.array(z.number()),
  left: z.array(z.number().int()),
  right: z.array(z.number().int()),
  missingLeft: z.array(z.union([z.literal(0), z.literal(1)])),
  value: z.array(z.number()),
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

/** Converts a fitted ensemble to plain JSON-ready arrays. */
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
  }));
  return { nFeatures: parsed.nFeatures, baseScore: parsed.baseScore, trees };
}

/** Describes why a tree's arrays cannot be traversed safely, or returns `undefined`. */
function treeProblem(tree: z.infer<typeof TreeStateSchema>, nFeatures: number) {
  const n = tree.feature.length;
  if (n === 0) return "tree has no nodes";
  const arrays = [tree.threshold, tree.left, tree.right, tree.missingLeft, tree.value];
  if (arrays.some((a) => a.length !== n)) return "node arrays differ in length";
  for (let i = 0; i < n; i++) {
    if (tree.feature[i] >= nFeatures) return `node ${i} splits on unknown feature`;
    // Children after their parent rule out cycles, so prediction always terminates.
    const childrenOk = [tree.left[i], tree.right[i]].every((c) => c > i && c < n);
    if (tree.feature[i] >= 0 && !childrenOk) return `node ${i} has invalid children`;
  }
  return undefined;
}

/**
 * A compact JSON export of an `ml-random-forest` regression forest. The library's own
 * export copies the tree options into every node, about five times more than the
 * loader and prediction read.
 *
 * @module
 */
import type { RandomForestRegression } from "ml-random-forest";

/** The fields of a tree node that prediction reads; the library's loader accepts them. */
interface TreeNodeJson {
  readonly splitColumn?: number;
  readonly splitValue?: number;
  readonly distribution?: number;
  readonly left?: TreeNodeJson;
  readonly right?: TreeNodeJson;
}

function compactNode(node: TreeNodeJson): TreeNodeJson {
  return node.left && node.right
    ? {
      splitColumn: node.splitColumn,
      splitValue: node.splitValue,
      left: compactNode(node.left),
      right: compactNode(node.right),
    }
    : { distribution: node.distribution };
}

/** The forest as detached plain JSON that `RandomForestRegression.load` accepts. */
export function forestJson(forest: RandomForestRegression): unknown {
  const json = forest.toJSON();
  const estimators = json.baseModel.estimators.map((tree) => {
    const { root, ...rest } = tree as unknown as { root: TreeNodeJson };
    return { ...rest, root: compactNode(root) };
  });
  return JSON.parse(JSON.stringify({ ...json, baseModel: { ...json.baseModel, estimators } }));
}

/**
 * The real data set for benches: the 122 predictive features, the target and the
 * built-in folds, plus each fold's train/test matrices imputed with training-part
 * medians (so no model sees a missing value or a test-fold statistic).
 *
 * @module
 */
import { type Matrix, selectRows, selectValues } from "../pipeline/core/matrix.ts";
import { featureNames, FOLD, parseCatalogue, TARGET } from "../pipeline/data/catalogue.ts";
import { fromRaw, getColumn, toMatrix } from "../pipeline/data/numeric_table.ts";
import { splitRecords, toTable } from "../pipeline/data/raw_data.ts";
import { foldSplits } from "../pipeline/folds/fold_split.ts";
import { fitPreprocessor, transform } from "../pipeline/features/preprocessor.ts";

/** One built-in fold as a test set, the other nine as training set. */
export interface ImputedFold {
  /** The built-in fold held out. */
  readonly fold: number;
  /** Row numbers of the other folds in the full data set, in the order of `xTrain`'s rows. */
  readonly train: Int32Array;
  /** Row numbers of the held-out fold in the full data set. */
  readonly test: Int32Array;
  /** Imputed features of the other folds. */
  readonly xTrain: Matrix;
  /** Target of the other folds. */
  readonly yTrain: Float64Array;
  /** Imputed features of the held-out fold. */
  readonly xTest: Matrix;
}

/**
 * Reads `data/raw` and returns the target, each row's built-in fold id and one imputed
 * split per built-in fold.
 */
export async function loadImputedFolds(): Promise<
  { y: Float64Array; foldIds: Float64Array; folds: ImputedFold[] }
> {
  const columns = parseCatalogue(await Deno.readTextFile("data/raw/communities.names"));
  const raw = toTable(splitRecords(await Deno.readTextFile("data/raw/communities.data")), columns);
  const features = featureNames(columns);
  const table = fromRaw(raw, [...features, TARGET, FOLD]);
  const x = toMatrix(table, features);
  const y = getColumn(table, TARGET);
  const spec = { inputFeatures: features, indicators: [], interactions: [] };
  const foldIds = getColumn(table, FOLD);
  const splits = foldSplits(foldIds, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const folds = splits.map(({ fold, train, test }) => {
    const pre = fitPreprocessor(spec, selectRows(x, train));
    return {
      fold,
      train,
      test,
      xTrain: transform(pre, selectRows(x, train)),
      yTrain: selectValues(y, train),
      xTest: transform(pre, selectRows(x, test)),
    };
  });
  return { y, foldIds, folds };
}

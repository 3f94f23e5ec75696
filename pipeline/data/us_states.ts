/**
 * US state names by FIPS code: the data set's `state` column holds the numeric code
 * (`communities.names` gives no names), and reports show names.
 *
 * @module
 */

/** State (and District of Columbia) names by numeric FIPS code. */
export const STATE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, "Alabama"],
  [2, "Alaska"],
  [4, "Arizona"],
  [5, "Arkansas"],
  [6, "California"],
  [8, "Colorado"],
  [9, "Connecticut"],
  [10, "Delaware"],
  [11, "District of Columbia"],
  [12, "Florida"],
  [13, "Georgia"],
  [15, "Hawaii"],
  [16, "Idaho"],
  [17, "Illinois"],
  [18, "Indiana"],
  [19, "Iowa"],
  [20, "Kansas"],
  [21, "Kentucky"],
  [22, "Louisiana"],
  [23, "Maine"],
  [24, "Maryland"],
  [25, "Massachusetts"],
  [26, "Michigan"],
  [27, "Minnesota"],
  [28, "Mississippi"],
  [29, "Missouri"],
  [30, "Montana"],
  [31, "Nebraska"],
  [32, "Nevada"],
  [33, "New Hampshire"],
  [34, "New Jersey"],
  [35, "New Mexico"],
  [36, "New York"],
  [37, "North Carolina"],
  [38, "North Dakota"],
  [39, "Ohio"],
  [40, "Oklahoma"],
  [41, "Oregon"],
  [42, "Pennsylvania"],
  [44, "Rhode Island"],
  [45, "South Carolina"],
  [46, "South Dakota"],
  [47, "Tennessee"],
  [48, "Texas"],
  [49, "Utah"],
  [50, "Vermont"],
  [51, "Virginia"],
  [53, "Washington"],
  [54, "West Virginia"],
  [55, "Wisconsin"],
  [56, "Wyoming"],
]);

/**
 * The range of the states' FIPS codes: what the serving contract accepts as a state.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FIPS_RANGE } from "./us_states.ts";
 * assert.deepEqual(FIPS_RANGE, { min: 1, max: 56 });
 * ```
 */
export const FIPS_RANGE: { readonly min: number; readonly max: number } = {
  min: Math.min(...STATE_NAMES.keys()),
  max: Math.max(...STATE_NAMES.keys()),
};

/**
 * The name of the state of a FIPS code (given as a number or as its text), or
 * `FIPS <code>` for a code that is not a state's, so that no row is dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(stateName("28"), "Mississippi");
 * assert.equal(stateName(6), "California");
 * assert.equal(stateName("3"), "FIPS 3");
 * ```
 */
export function stateName(fips: number | string): string {
  return STATE_NAMES.get(Number(fips)) ?? `FIPS ${fips}`;
}

/**
 * The text of plotly.js from the npm package, for stages that log figure pages with
 * plotly.js inlined (MLflow's artifact viewer cannot load a file beside a page).
 *
 * @module
 */
import { UserError } from "../core/user_error.ts";
import { PATHS } from "../paths.ts";

/** Reads `plotly.min.js`; a missing package is a user error saying how to install it. */
export async function readPlotlyLibrary(): Promise<string> {
  try {
    return await Deno.readTextFile(PATHS.plotlyLibrary);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new UserError(
      `${PATHS.plotlyLibrary} is missing: install the npm packages of deno.json (deno install)`,
    );
  }
}

/**
 * The outcome of one promotion gate and how it is shown: printed, and stored as a
 * `gate.<name>` tag on the model version.
 *
 * @module
 */

/** The outcome of one gate. */
export interface GateResult {
  /** Short identifier, e.g. `max_cv_rmse`; the version tag is `gate.<name>`. */
  readonly name: string;
  readonly passed: boolean;
  /** What was measured, when the gate measures a number. */
  readonly value?: number;
  /** The limit it was held to. */
  readonly threshold?: number;
  /** One human-readable sentence with the numbers. */
  readonly detail: string;
}

/** `PASS`/`FAIL`, the gate name and its detail, as one printed line. */
export function formatGate(gate: GateResult): string {
  return `${gate.passed ? "PASS" : "FAIL"} ${gate.name}: ${gate.detail}`;
}

/** The value of the `gate.<name>` tag: `pass` or `fail`, then the measured value. */
export function gateTagValue(gate: GateResult): string {
  const value = gate.value === undefined ? "" : ` ${gate.value.toFixed(6)}`;
  return `${gate.passed ? "pass" : "fail"}${value}`;
}

/** Names of the gates that failed, in order. */
export function failedGates(gates: readonly GateResult[]): string[] {
  return gates.filter((g) => !g.passed).map((g) => g.name);
}

/**
 * Whether a sound challenger is only refused for not beating the champion by the margin:
 * every gate passed but `beats_champion`. Retraining that does not improve the model
 * ends this way, which the pipeline treats as an outcome, not as a failure.
 */
export function onlyFailsToBeatChampion(gates: readonly GateResult[]): boolean {
  const failed = failedGates(gates);
  return failed.length === 1 && failed[0] === "beats_champion";
}

/**
 * What one server instance shares with the other instances of the same process (see
 * `--workers`): their metrics, merged into `/metrics`, and admin reloads, passed on so
 * that every instance serves the same model.
 *
 * @module
 */
import type { MetricSnapshot } from "./prometheus.ts";

/** The other server instances, as seen from one of them. */
export interface Peers {
  /** The latest metric snapshot of each other instance. */
  metrics(): readonly (readonly MetricSnapshot[])[];
  /** Asks every other instance to reload its model from the source. */
  requestReload(trigger: string): void;
}

/** A server running as a single instance. */
export const NO_PEERS: Peers = { metrics: () => [], requestReload: () => {} };

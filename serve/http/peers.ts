/**
 * What one server instance shares with the other instances of the same process (see
 * `--workers`): their metrics, merged into `/metrics`, and admin reloads, passed on so
 * that every instance serves the same model.
 *
 * @module
 */
import type { MonitorCounts } from "../monitoring/drift_monitor.ts";
import type { MetricSnapshot } from "../telemetry/prometheus.ts";

/** What an instance shares every second: its metrics and its drift windows' counts. */
export interface InstanceState {
  readonly metrics: readonly MetricSnapshot[];
  /** Absent until the instance serves a model. */
  readonly monitoring?: MonitorCounts;
}

/** The other server instances, as seen from one of them. */
export interface Peers {
  /** The latest metric snapshot of each other instance. */
  metrics(): readonly (readonly MetricSnapshot[])[];
  /** The latest drift window counts of each other instance serving a model. */
  monitoring(): readonly MonitorCounts[];
  /** Asks every other instance to reload its model from the source. */
  requestReload(trigger: string): void;
}

/** A server running as a single instance. */
export const NO_PEERS: Peers = { metrics: () => [], monitoring: () => [], requestReload: () => {} };

/** The drift counts among `states`. */
export function monitoringOf(states: Iterable<InstanceState>): MonitorCounts[] {
  return [...states].flatMap((state) => state.monitoring ? [state.monitoring] : []);
}

/**
 * Puts tfjs on its wasm backend. The pure-JS cpu backend is about three times slower,
 * and tfjs falls back to it silently when the `.wasm` file cannot be read, so the
 * switch is checked rather than assumed.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

/** Switches tfjs to the wasm backend and returns tfjs; throws if the switch fails. */
export async function useWasmBackend(): Promise<typeof tf> {
  if (tf.getBackend() !== "wasm" && !(await tf.setBackend("wasm"))) {
    throw new Error(
      "tfjs could not start its wasm backend (it reads its .wasm file from node_modules: " +
        "run with --allow-read); refusing to train on the slow cpu backend",
    );
  }
  await tf.ready();
  return tf;
}

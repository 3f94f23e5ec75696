import assert from "node:assert/strict";
import { useWasmBackend } from "../../pipeline/models/neural_network/tfjs_backend.ts";

Deno.test({
  name: "wasm backend setup fails loudly when its .wasm file cannot be read",
  permissions: { read: false },
  fn: async () => {
    await assert.rejects(useWasmBackend(), /wasm backend.*--allow-read/);
  },
});

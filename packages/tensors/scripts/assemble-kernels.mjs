// Assembles src/kernels/*.wat into src/kernels/*.wasm.ts with core's assembler (the same bytes and
// generated source for both packages); test/kernels.test.ts checks they match the source.
//   node scripts/assemble-kernels.mjs          write them
//   node scripts/assemble-kernels.mjs --check  exit 1 if one is stale
import path from "node:path";
import { assembleFolder } from "../../core/scripts/assemble-kernels.mjs";

export { assemble, generatedSource } from "../../core/scripts/assemble-kernels.mjs";

if (import.meta.url === `file://${process.argv[1]}`) {
  const folder = path.join(import.meta.dirname, "../src/kernels");
  process.exitCode = (await assembleFolder(folder, process.argv.includes("--check"))) ? 0 : 1;
}

import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
const { buildRegistry, resolveConfig, scan } = await import("@modelaudit/core/engine");
const { default: preset } = await import("@modelaudit/preset-recommended");
const registry = buildRegistry([preset]);
const dir = process.argv[2];
const opts = { registry, config: resolveConfig({ level: "standard" }), omitCleanChecks: true };
await scan([dir], opts); // warm
const session = new Session(); session.connect();
await session.post("HeapProfiler.enable");
await session.post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
await scan([dir], opts);
const { profile } = await session.post("HeapProfiler.stopSampling");
writeFileSync("/tmp/alloc.heapprofile", JSON.stringify(profile));

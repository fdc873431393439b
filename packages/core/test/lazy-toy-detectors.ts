import type { Detector } from "../src/plugin.js";
import { toyPlugin } from "./test-plugin.js";

// The modules a lazy detector's importer loads in the lazy-detector tests: real dynamic imports.

/** The toy plugin's detector (import facts), unchanged. */
export const toyDetector = toyPlugin.detectors[0] as Detector;

/** Byte chunks the byte counter was given. */
export const seen = { chunks: 0, tensorBytes: 0 };

/** Counts the byte chunks of every source it is given; reports nothing. */
export const byteCounter: Detector = {
  id: "byte-counter",
  description: "counts bytes",
  facts: [],
  bytes: true,
  rules: [],
  create: () => ({
    onBytes: () => {
      seen.chunks++;
    },
  }),
};

/** Counts the bytes of every tensor's data it is given; reports nothing. */
export const tensorCounter: Detector = {
  id: "tensor-counter",
  description: "counts tensor bytes",
  facts: [],
  tensors: {},
  rules: [],
  create: () => ({
    onTensor: () => ({
      data: (chunk) => {
        seen.tensorBytes += chunk.length;
      },
      end: () => undefined,
    }),
  }),
};

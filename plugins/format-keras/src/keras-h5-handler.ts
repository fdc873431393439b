import { FORMATS, type FormatHandler, type SniffInput } from "@modelaudit/core";
import { findSignature } from "./hdf5-signature.js";
import { countHdf5Structures } from "./hdf5-structures.js";

/** Names under which Keras and h5py users save HDF5 files (Keras 2 loads any HDF5 named .keras too). */
export const HDF5_EXTENSIONS = new Set([".h5", ".hdf5", ".keras"]);

/**
 * A superblock past the 64 KiB head is invisible to the sniff. A file with an HDF5 name (a .keras
 * that is not a zip included: Keras 2 loads any HDF5 file) is claimed: its user means it for h5py,
 * and one nothing can read is inconclusive. What could merely hide a superblock there is probed: a
 * head of all zeros (the user block h5py and h5jam leave unused) or, under any name, a tail holding
 * HDF5 metadata structures (tf.keras loads any file h5py.is_hdf5 accepts). A probe is HDF5 only if
 * the parse finds a superblock where libhdf5 looks: zeros alone (a torch storage of a zero tensor)
 * are not. Zip and tar archives are left to the archive handler, which scans their members as files.
 */
function mayHoldLateSuperblock(input: SniffInput): boolean | "probe" {
  if (input.size <= input.head.length) return false;
  if (HDF5_EXTENSIONS.has(input.extension)) {
    return input.extension !== ".keras" || !(input.head[0] === 0x50 && input.head[1] === 0x4b);
  }
  const mayHide = input.head.every((byte) => byte === 0) || (countHdf5Structures(input.tail) >= 2 && !isArchive(input));
  return mayHide && "probe";
}

function isArchive(input: SniffInput): boolean {
  const { tail, head } = input;
  for (let index = tail.length - 22; index >= 0 && index >= tail.length - 65_557; index--) {
    if (tail[index] === 0x50 && tail[index + 1] === 0x4b && tail[index + 2] === 0x05 && tail[index + 3] === 0x06) {
      return true;
    }
  }
  return new TextDecoder("latin1").decode(head.subarray(257, 262)) === "ustar";
}

/**
 * Keras 2 `.h5`/`.hdf5` models and Keras 3 `model.weights.h5`: any HDF5 file, by its signature at
 * any offset libhdf5 probes. libhdf5 reads the first superblock it finds; a later one that is valid
 * too is read as well (a user-block-stripping tool or another reader may take it), and the two
 * readings are reported as a parser differential.
 */
export const kerasH5Handler: FormatHandler = {
  id: FORMATS.kerasH5,
  description:
    "HDF5 files (Keras .h5/.hdf5 models and weights) read with h5wasm: configs, layers, weights, Lambda bytecode",
  sniff: (input) => findSignature(input.head) !== null || mayHoldLateSuperblock(input),
  async parse(context) {
    const { parseKerasH5 } = await import("./keras-h5-parse.js");
    return parseKerasH5(context);
  },
};

import { FORMATS } from "@modelaudit/core";

/**
 * Reviewed data: which content each file extension may hold. Content labels are the format ids
 * handlers put on a source (Origin.formats), plus this plugin's own executable labels. Only labels
 * listed in CONTENT_CLASS are judged; a label this table does not know (a config handler's id, say)
 * never makes a finding. To add a format: give its label a class and add it to the extensions that
 * legitimately hold it.
 */

/** What a piece of content can do when loaded. */
export type ContentClass =
  /** Native code: ELF, PE, Mach-O. */
  | "executable"
  /** Code a loader runs on load: pickles. */
  | "code"
  /** Code a user may be led to run: shebang scripts. */
  | "script"
  /** Containers and data formats. */
  | "data";

export const CONTENT_CLASS: Readonly<Record<string, ContentClass>> = {
  [FORMATS.elf]: "executable",
  [FORMATS.pe]: "executable",
  [FORMATS.machO]: "executable",
  // This plugin's own label for a universal binary (binary-detector's FORMAT_LABELS).
  "mach-o-universal": "executable",
  [FORMATS.shebangScript]: "script",
  [FORMATS.pickle]: "code",
  [FORMATS.joblib]: "code",
  [FORMATS.dill]: "code",
  [FORMATS.cloudpickle]: "code",
  [FORMATS.pytorchLegacy]: "code",
  [FORMATS.zip]: "data",
  // torch.save's zip: its pickle is labelled (and judged) on its own member.
  [FORMATS.pytorchZip]: "data",
  [FORMATS.tar]: "data",
  [FORMATS.sevenZip]: "data",
  [FORMATS.gzip]: "data",
  [FORMATS.zlib]: "data",
  [FORMATS.bzip2]: "data",
  [FORMATS.xz]: "data",
  [FORMATS.lzma]: "data",
  [FORMATS.zstd]: "data",
  [FORMATS.lz4]: "data",
  [FORMATS.numpy]: "data",
  [FORMATS.safetensors]: "data",
  [FORMATS.gguf]: "data",
  [FORMATS.ggml]: "data",
  [FORMATS.onnx]: "data",
  [FORMATS.tflite]: "data",
  // format-keras labels every HDF5 file `keras-h5`, a Keras model or not.
  [FORMATS.kerasH5]: "data",
};

export interface ExtensionExpectation {
  /** What the name promises, for messages. */
  promises: string;
  /** Content labels that are normal under this name. */
  expected: readonly string[];
  /**
   * Loaders and users treat files with this name as inert data, so code under it (a pickle, a
   * script) is a disguise: critical. Executables are critical under every name listed here.
   */
  dataOnly: boolean;
}

const PICKLES = [FORMATS.pickle, FORMATS.joblib, FORMATS.dill, FORMATS.cloudpickle, FORMATS.pytorchLegacy];
const COMPRESSED = [FORMATS.gzip, FORMATS.zlib, FORMATS.bzip2, FORMATS.xz, FORMATS.lzma, FORMATS.zstd, FORMATS.lz4];
const ARCHIVES = [FORMATS.zip, FORMATS.tar, FORMATS.sevenZip, ...COMPRESSED];
const TENSOR_DATA = [
  FORMATS.numpy,
  FORMATS.safetensors,
  FORMATS.gguf,
  FORMATS.ggml,
  FORMATS.onnx,
  FORMATS.tflite,
  FORMATS.kerasH5,
];

/** Generic names (`.bin`, `.dat`): anything but native code is normal. */
const GENERIC = [...PICKLES, ...ARCHIVES, ...TENSOR_DATA, FORMATS.shebangScript];

export const EXTENSION_TABLE: Readonly<Record<string, ExtensionExpectation>> = {
  // Data-only model formats: the reason they exist is that loading them runs no code.
  ".safetensors": { promises: "safetensors", expected: [FORMATS.safetensors], dataOnly: true },
  ".gguf": { promises: "GGUF", expected: [FORMATS.gguf, FORMATS.ggml], dataOnly: true },
  ".ggml": { promises: "GGML", expected: [FORMATS.gguf, FORMATS.ggml], dataOnly: true },
  ".npy": { promises: "NumPy array", expected: [FORMATS.numpy], dataOnly: true },
  ".npz": { promises: "NumPy archive", expected: [FORMATS.zip, FORMATS.numpy], dataOnly: true },
  ".onnx": { promises: "ONNX", expected: [FORMATS.onnx], dataOnly: true },
  ".tflite": { promises: "TensorFlow Lite", expected: [FORMATS.tflite], dataOnly: true },
  ".h5": { promises: "HDF5", expected: [FORMATS.kerasH5], dataOnly: true },
  ".hdf5": { promises: "HDF5", expected: [FORMATS.kerasH5], dataOnly: true },
  ".json": { promises: "JSON", expected: [], dataOnly: true },
  ".ubj": { promises: "UBJSON", expected: [], dataOnly: true },
  ".txt": { promises: "text", expected: [], dataOnly: true },
  ".md": { promises: "text", expected: [], dataOnly: true },
  ".yaml": { promises: "YAML", expected: [], dataOnly: true },
  ".yml": { promises: "YAML", expected: [], dataOnly: true },
  ".csv": { promises: "CSV", expected: [], dataOnly: true },
  // Pickle-based and zip-based model formats: a pickle or a zip here is what the loader expects.
  ".pt": { promises: "PyTorch", expected: [...PICKLES, FORMATS.zip], dataOnly: false },
  ".pth": { promises: "PyTorch", expected: [...PICKLES, FORMATS.zip], dataOnly: false },
  ".ckpt": { promises: "checkpoint", expected: [...PICKLES, FORMATS.zip], dataOnly: false },
  // torch.save writes its zip under any name: Accelerate's `random_states_0.pkl`, `model.pkl`.
  ".pkl": { promises: "pickle", expected: [...PICKLES, ...COMPRESSED, FORMATS.pytorchZip], dataOnly: false },
  ".pickle": { promises: "pickle", expected: [...PICKLES, ...COMPRESSED, FORMATS.pytorchZip], dataOnly: false },
  ".joblib": { promises: "joblib", expected: [...PICKLES, ...COMPRESSED], dataOnly: false },
  ".keras": { promises: "Keras", expected: [FORMATS.zip, FORMATS.kerasH5], dataOnly: false },
  ".bin": { promises: "binary model data", expected: GENERIC, dataOnly: false },
  ".dat": { promises: "binary data", expected: GENERIC, dataOnly: false },
  ".data": { promises: "binary data", expected: GENERIC, dataOnly: false },
  // Archives.
  ".zip": { promises: "zip", expected: [FORMATS.zip], dataOnly: false },
  ".tar": { promises: "tar", expected: [FORMATS.tar], dataOnly: false },
  ".tgz": { promises: "gzipped tar", expected: [FORMATS.gzip, FORMATS.tar], dataOnly: false },
  ".gz": { promises: "gzip", expected: [FORMATS.gzip], dataOnly: false },
  ".bz2": { promises: "bzip2", expected: [FORMATS.bzip2], dataOnly: false },
  ".xz": { promises: "xz", expected: [FORMATS.xz], dataOnly: false },
  ".lzma": { promises: "lzma", expected: [FORMATS.lzma, FORMATS.xz], dataOnly: false },
  ".zst": { promises: "zstd", expected: [FORMATS.zstd], dataOnly: false },
  ".7z": { promises: "7z", expected: [FORMATS.sevenZip], dataOnly: false },
};

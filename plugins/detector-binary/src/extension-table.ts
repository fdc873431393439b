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
  elf: "executable",
  pe: "executable",
  "mach-o": "executable",
  "mach-o-universal": "executable",
  "shebang-script": "script",
  pickle: "code",
  joblib: "code",
  dill: "code",
  cloudpickle: "code",
  "pytorch-legacy": "code",
  "torch-legacy": "code",
  zip: "data",
  tar: "data",
  "7z": "data",
  gzip: "data",
  zlib: "data",
  bzip2: "data",
  xz: "data",
  lzma: "data",
  zstd: "data",
  lz4: "data",
  numpy: "data",
  safetensors: "data",
  gguf: "data",
  ggml: "data",
  onnx: "data",
  tflite: "data",
  hdf5: "data",
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

const PICKLES = ["pickle", "joblib", "dill", "cloudpickle", "pytorch-legacy", "torch-legacy"];
const COMPRESSED = ["gzip", "zlib", "bzip2", "xz", "lzma", "zstd", "lz4"];
const ARCHIVES = ["zip", "tar", "7z", ...COMPRESSED];
const TENSOR_DATA = ["numpy", "safetensors", "gguf", "ggml", "onnx", "tflite", "hdf5"];

/** Generic names (`.bin`, `.dat`): anything but native code is normal. */
const GENERIC = [...PICKLES, ...ARCHIVES, ...TENSOR_DATA, "shebang-script"];

export const EXTENSION_TABLE: Readonly<Record<string, ExtensionExpectation>> = {
  // Data-only model formats: the reason they exist is that loading them runs no code.
  ".safetensors": { promises: "safetensors", expected: ["safetensors"], dataOnly: true },
  ".gguf": { promises: "GGUF", expected: ["gguf", "ggml"], dataOnly: true },
  ".ggml": { promises: "GGML", expected: ["gguf", "ggml"], dataOnly: true },
  ".npy": { promises: "NumPy array", expected: ["numpy"], dataOnly: true },
  ".npz": { promises: "NumPy archive", expected: ["zip", "numpy"], dataOnly: true },
  ".onnx": { promises: "ONNX", expected: ["onnx"], dataOnly: true },
  ".tflite": { promises: "TensorFlow Lite", expected: ["tflite"], dataOnly: true },
  ".h5": { promises: "HDF5", expected: ["hdf5"], dataOnly: true },
  ".hdf5": { promises: "HDF5", expected: ["hdf5"], dataOnly: true },
  ".json": { promises: "JSON", expected: [], dataOnly: true },
  ".ubj": { promises: "UBJSON", expected: [], dataOnly: true },
  ".txt": { promises: "text", expected: [], dataOnly: true },
  ".md": { promises: "text", expected: [], dataOnly: true },
  ".yaml": { promises: "YAML", expected: [], dataOnly: true },
  ".yml": { promises: "YAML", expected: [], dataOnly: true },
  ".csv": { promises: "CSV", expected: [], dataOnly: true },
  // Pickle-based and zip-based model formats: a pickle or a zip here is what the loader expects.
  ".pt": { promises: "PyTorch", expected: [...PICKLES, "zip"], dataOnly: false },
  ".pth": { promises: "PyTorch", expected: [...PICKLES, "zip"], dataOnly: false },
  ".ckpt": { promises: "checkpoint", expected: [...PICKLES, "zip"], dataOnly: false },
  ".pkl": { promises: "pickle", expected: [...PICKLES, ...COMPRESSED], dataOnly: false },
  ".pickle": { promises: "pickle", expected: [...PICKLES, ...COMPRESSED], dataOnly: false },
  ".joblib": { promises: "joblib", expected: [...PICKLES, ...COMPRESSED], dataOnly: false },
  ".keras": { promises: "Keras", expected: ["zip"], dataOnly: false },
  ".bin": { promises: "binary model data", expected: GENERIC, dataOnly: false },
  ".dat": { promises: "binary data", expected: GENERIC, dataOnly: false },
  ".data": { promises: "binary data", expected: GENERIC, dataOnly: false },
  // Archives.
  ".zip": { promises: "zip", expected: ["zip"], dataOnly: false },
  ".tar": { promises: "tar", expected: ["tar"], dataOnly: false },
  ".tgz": { promises: "gzipped tar", expected: ["gzip", "tar"], dataOnly: false },
  ".gz": { promises: "gzip", expected: ["gzip"], dataOnly: false },
  ".bz2": { promises: "bzip2", expected: ["bzip2"], dataOnly: false },
  ".xz": { promises: "xz", expected: ["xz"], dataOnly: false },
  ".lzma": { promises: "lzma", expected: ["lzma", "xz"], dataOnly: false },
  ".zst": { promises: "zstd", expected: ["zstd"], dataOnly: false },
  ".7z": { promises: "7z", expected: ["7z"], dataOnly: false },
};

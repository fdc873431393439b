/**
 * File names that say "model": a source with such a name that no handler claims is not clean, it is
 * unread. A cut-short pickle, an empty `pytorch_model.bin` or random bytes named `model.pkl` would
 * otherwise pass as "not a model".
 */
const MODEL_EXTENSIONS = new Set([
  ".pkl",
  ".pickle",
  ".p",
  ".dill",
  ".joblib",
  ".sav",
  ".pt",
  ".pth",
  ".ckpt",
  ".bin",
  ".mar",
  ".safetensors",
  ".onnx",
  ".ort",
  ".pb",
  ".pbtxt",
  ".h5",
  ".hdf5",
  ".keras",
  ".tflite",
  ".gguf",
  ".ggml",
  ".ggjt",
  ".npy",
  ".npz",
  ".ptl",
  ".torchscript",
]);

/** Whole-file compression suffixes: `model.joblib.xz` still says model. */
const COMPRESSION_EXTENSIONS = new Set([".gz", ".bz2", ".xz", ".lzma", ".zst", ".lz4", ".z", ".zlib"]);
/**
 * Names torch's legacy tar checkpoint (`torch.save(..., _use_new_zipfile_serialization=False)` before
 * torch 0.4, still read by `torch.load`) gives its members: each is `pickle.load`ed.
 */
const MODEL_FILE_NAMES = new Set(["storages", "tensors", "pickle"]);
/** Model-folder files that are plain data by design (a SavedModel's fingerprint: hashes only). */
const DATA_FILE_NAMES = new Set(["fingerprint.pb"]);

function modelExtension(name: string, extension: string): string | undefined {
  if (MODEL_EXTENSIONS.has(extension)) return extension;
  if (extension === "" && MODEL_FILE_NAMES.has(name.slice(name.lastIndexOf("/") + 1))) return "a torch tar member";
  if (!COMPRESSION_EXTENSIONS.has(extension)) return undefined;
  const stem = name.slice(0, name.length - extension.length).toLowerCase();
  const inner = stem.slice(stem.lastIndexOf("."));
  return stem.lastIndexOf(".") > 0 && MODEL_EXTENSIONS.has(inner) ? `${inner}${extension}` : undefined;
}

/** Why an unclaimed source with this name cannot be reported clean; undefined when its name does not say model. */
export function unclaimedModelReason(name: string, extension: string, size: number): string | undefined {
  const model = modelExtension(name, extension);
  if (model === undefined || DATA_FILE_NAMES.has(name.toLowerCase())) return undefined;
  if (size === 0) return `${name} is empty, but its name says it is a model file`;
  return `no format handler recognises the content of ${name}, but its name says it is a model file (${model}); it was not read`;
}

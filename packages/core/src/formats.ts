/**
 * The well-known format labels: the ids of the first-party format handlers and the labels they add
 * while parsing (`context.addFormat`). A source's labels (`Origin.formats`) are what detectors judge,
 * so one spelling lives here: handlers write `id: FORMATS.zip` and detectors compare with
 * `FORMATS.zip`, and a misspelt label is a type error instead of a check that never matches.
 */
export const FORMATS = {
  // format-archive: containers and compressed streams, and what a container's layout shows.
  zip: "zip",
  tar: "tar",
  sevenZip: "7z",
  gzip: "gzip",
  zlib: "zlib",
  bzip2: "bzip2",
  xz: "xz",
  lzma: "lzma",
  zstd: "zstd",
  lz4: "lz4",
  joblibZfile: "joblib-zfile",
  pytorchZip: "pytorch-zip",
  npz: "npz",
  nemo: "nemo",
  // format-executable: native code and scripts.
  elf: "elf",
  pe: "pe",
  machO: "mach-o",
  shebangScript: "shebang-script",
  // format-gguf: GGUF and the legacy GGML containers (by magic).
  gguf: "gguf",
  ggufBigEndian: "gguf-big-endian",
  ggml: "ggml",
  ggmf: "ggmf",
  ggjt: "ggjt",
  ggla: "ggla",
  // format-huggingface: repository files.
  gitLfsPointer: "git-lfs-pointer",
  hfConfig: "hf-config",
  hfGenerationConfig: "hf-generation-config",
  hfPythonSource: "hf-python-source",
  hfModelCard: "hf-model-card",
  hfTokenizer: "hf-tokenizer",
  hfTokenizerConfig: "hf-tokenizer-config",
  jinjaTemplate: "jinja-template",
  // format-keras: HDF5 files (`keras-h5`), Keras 3 zips (`keras-v3`), and `keras` on either when it holds a model.
  kerasH5: "keras-h5",
  kerasV3: "keras-v3",
  keras: "keras",
  // format-onnx
  onnx: "onnx",
  // format-pickle: pickles, NumPy arrays, and what a pickle's imports show.
  pickle: "pickle",
  numpy: "numpy",
  joblib: "joblib",
  dill: "dill",
  cloudpickle: "cloudpickle",
  pytorchLegacy: "pytorch-legacy",
  // format-pytorch
  torchscript: "torchscript",
  // format-safetensors
  safetensors: "safetensors",
  safetensorsIndex: "safetensors-index",
  /** A sharded checkpoint's `weight_map` naming non-safetensors shards (`pytorch_model.bin.index.json`, ...). */
  weightsIndex: "weights-index",
  // format-tensorflow
  tensorflowSavedModel: "tensorflow-savedmodel",
  tensorflowGraphDef: "tensorflow-graphdef",
  tensorflowMetaGraph: "tensorflow-metagraph",
  tensorflowKerasMetadata: "tensorflow-keras-metadata",
  tensorflowCheckpoint: "tensorflow-checkpoint",
  // format-tflite
  tflite: "tflite",
  // format-xgboost: XGBoost and LightGBM model files.
  xgboostJson: "xgboost-json",
  xgboostUbj: "xgboost-ubj",
  xgboostBinary: "xgboost-binary",
  lightgbmText: "lightgbm-text",
} as const;

/** A well-known format label. */
export type FormatLabel = (typeof FORMATS)[keyof typeof FORMATS];

/**
 * Any format label: a well-known one, or the id a third-party handler gives its own format. The
 * `string & {}` arm accepts every string while keeping editors' completion of the well-known labels
 * (a bare `| string` would swallow them). First-party code spells labels through `FORMATS`.
 */
export type FormatId = FormatLabel | (string & {});

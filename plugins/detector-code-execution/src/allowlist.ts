/**
 * Globals that real ML files reference and that are safe to load: containers, scalars, tensor and
 * array rebuilders, estimator classes. Exact (module, name) pairs under canonical module names (see
 * module-aliases.ts: `_codecs.encode` is listed as `codecs.encode`), plus a few reviewed patterns.
 *
 * The allowlist never wins over the dangerous list: the dangerous check runs first, and a test
 * asserts that no entry here is dangerous. Users add entries with `options.allow`.
 */

const TORCH_SCALAR_TYPES = [
  "Float",
  "Double",
  "Half",
  "BFloat16",
  "Byte",
  "Char",
  "Short",
  "Int",
  "Long",
  "Bool",
  "ComplexFloat",
  "ComplexDouble",
  "QUInt8",
  "QInt8",
  "QInt32",
  "QUInt4x2",
  "QUInt2x4",
];
const TORCH_TENSOR_TYPES = ["Float", "Double", "Half", "BFloat16", "Byte", "Char", "Short", "Int", "Long", "Bool"];

/** torch dtypes pickle as module attributes (`torch.float32`), so every dtype name is a global. */
const TORCH_DTYPES = [
  "float32",
  "float",
  "float64",
  "double",
  "float16",
  "half",
  "bfloat16",
  "complex32",
  "chalf",
  "complex64",
  "cfloat",
  "complex128",
  "cdouble",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "int8",
  "int16",
  "short",
  "int32",
  "int",
  "int64",
  "long",
  "bool",
  "qint8",
  "quint8",
  "qint32",
  "quint4x2",
  "quint2x4",
  "float8_e4m3fn",
  "float8_e5m2",
  "float8_e4m3fnuz",
  "float8_e5m2fnuz",
];
/**
 * Activation functions a whole-model pickle stores as module attributes: TransformerEncoderLayer keeps
 * `activation=F.relu` (pickled `torch.nn.functional.relu`) or `F.gelu` (pickled `torch._C._nn.gelu`).
 * Each is tensor math only.
 */
const TORCH_ACTIVATIONS = [
  "relu",
  "relu6",
  "gelu",
  "silu",
  "mish",
  "elu",
  "selu",
  "celu",
  "leaky_relu",
  "prelu",
  "rrelu",
  "glu",
  "softplus",
  "softsign",
  "softmax",
  "softmin",
  "log_softmax",
  "logsigmoid",
  "log_sigmoid",
  "sigmoid",
  "tanh",
  "hardtanh",
  "hardswish",
  "hardsigmoid",
  "hardshrink",
  "softshrink",
  "tanhshrink",
  "threshold",
];
const TORCH_LAYOUTS = [
  "strided",
  "sparse_coo",
  "sparse_csr",
  "sparse_csc",
  "sparse_bsr",
  "sparse_bsc",
  "_mkldnn",
  "jagged",
];
const TORCH_MEMORY_FORMATS = ["contiguous_format", "channels_last", "channels_last_3d", "preserve_format"];
const TORCH_QSCHEMES = [
  "per_tensor_affine",
  "per_channel_affine",
  "per_tensor_symmetric",
  "per_channel_symmetric",
  "per_channel_affine_float_qparams",
];

/** numpy scalar types: estimators keep them as parameters (`OneHotEncoder(dtype=numpy.float64)`). */
const NUMPY_SCALAR_TYPES = [
  "bool_",
  "bool",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "intc",
  "uintc",
  "intp",
  "uintp",
  "int_",
  "uint",
  "short",
  "ushort",
  "byte",
  "ubyte",
  "longlong",
  "ulonglong",
  "float16",
  "float32",
  "float64",
  "half",
  "single",
  "double",
  "longdouble",
  "float_",
  "complex64",
  "complex128",
  "csingle",
  "cdouble",
  "clongdouble",
  "complex_",
  "object_",
  "str_",
  "bytes_",
  "unicode_",
  "string_",
  "void",
  "datetime64",
  "timedelta64",
  // Abstract scalar types: `make_column_selector(dtype_include=np.number)` keeps one.
  "generic",
  "number",
  "integer",
  "signedinteger",
  "unsignedinteger",
  "inexact",
  "floating",
  "complexfloating",
  "flexible",
  "character",
];
const NUMPY_DTYPE_CLASSES = [
  "Bool",
  "Int8",
  "Int16",
  "Int32",
  "Int64",
  "UInt8",
  "UInt16",
  "UInt32",
  "UInt64",
  "Byte",
  "UByte",
  "Short",
  "UShort",
  "Int",
  "UInt",
  "Long",
  "ULong",
  "LongLong",
  "ULongLong",
  "Float16",
  "Float32",
  "Float64",
  "LongDouble",
  "Complex64",
  "Complex128",
  "CLongDouble",
  "Object",
  "Bytes",
  "Str",
  "Void",
  "DateTime64",
  "TimeDelta64",
  "String",
].map((name) => `${name}DType`);

/**
 * NumPy ufuncs pickle by reference (`numpy.core._multiarray_umath.log1p`); scikit-learn keeps them in
 * FunctionTransformer / TransformedTargetRegressor. Each is an element-wise math loop: no I/O, no
 * import, no attribute lookup by name. Public names of NumPy 1.x and 2.x only; `clip` and the private
 * ufuncs are left out, and so is everything else in `_multiarray_umath` (it also holds `fromfile`,
 * `add_docstring` and other non-ufunc functions).
 */
const NUMPY_UFUNCS = [
  "absolute",
  "abs",
  "add",
  "arccos",
  "arccosh",
  "arcsin",
  "arcsinh",
  "arctan",
  "arctan2",
  "arctanh",
  "acos",
  "acosh",
  "asin",
  "asinh",
  "atan",
  "atan2",
  "atanh",
  "bitwise_and",
  "bitwise_or",
  "bitwise_xor",
  "bitwise_not",
  "bitwise_invert",
  "bitwise_left_shift",
  "bitwise_right_shift",
  "bitwise_count",
  "cbrt",
  "ceil",
  "conj",
  "conjugate",
  "copysign",
  "cos",
  "cosh",
  "deg2rad",
  "degrees",
  "divide",
  "divmod",
  "equal",
  "exp",
  "exp2",
  "expm1",
  "fabs",
  "float_power",
  "floor",
  "floor_divide",
  "fmax",
  "fmin",
  "fmod",
  "frexp",
  "gcd",
  "greater",
  "greater_equal",
  "heaviside",
  "hypot",
  "invert",
  "isfinite",
  "isinf",
  "isnan",
  "isnat",
  "lcm",
  "ldexp",
  "left_shift",
  "less",
  "less_equal",
  "log",
  "log10",
  "log1p",
  "log2",
  "logaddexp",
  "logaddexp2",
  "logical_and",
  "logical_not",
  "logical_or",
  "logical_xor",
  "matmul",
  "maximum",
  "minimum",
  "mod",
  "modf",
  "multiply",
  "negative",
  "nextafter",
  "not_equal",
  "positive",
  "pow",
  "power",
  "rad2deg",
  "radians",
  "reciprocal",
  "remainder",
  "right_shift",
  "rint",
  "sign",
  "signbit",
  "sin",
  "sinh",
  "spacing",
  "sqrt",
  "square",
  "subtract",
  "tan",
  "tanh",
  "true_divide",
  "trunc",
];

/**
 * NumPy reductions that estimators keep as parameters: FeatureAgglomeration's default
 * `pooling_func=np.mean`. They compute over an array (calling the array's own method of that name).
 */
const NUMPY_REDUCTIONS = [
  "mean",
  "median",
  "average",
  "sum",
  "prod",
  "max",
  "min",
  "amax",
  "amin",
  "std",
  "var",
  "nanmean",
  "nanmedian",
  "nansum",
  "nanmax",
  "nanmin",
  "nanstd",
  "nanvar",
];

/** SciPy's special-function ufuncs that FunctionTransformer pipelines use (logistic, Box-Cox): math only. */
const SCIPY_SPECIAL_UFUNCS = [
  "expit",
  "logit",
  "log_expit",
  "erf",
  "erfc",
  "boxcox",
  "boxcox1p",
  "inv_boxcox",
  "inv_boxcox1p",
];

/**
 * The metric functions scikit-learn's scorers wrap (`make_scorer(f1_score)`, `scoring="roc_auc"`): a
 * fitted GridSearchCV keeps them in `scorer_`. Each computes a number from arrays. Listed by name, as
 * sklearn.metrics._scorer's table names them, because their modules also hold other functions.
 */
const SKLEARN_METRIC_FUNCTIONS: readonly [string, readonly string[]][] = [
  [
    "sklearn.metrics._classification",
    [
      "accuracy_score",
      "balanced_accuracy_score",
      "brier_score_loss",
      "class_likelihood_ratios",
      "cohen_kappa_score",
      "f1_score",
      "fbeta_score",
      "hamming_loss",
      "hinge_loss",
      "jaccard_score",
      "log_loss",
      "matthews_corrcoef",
      "precision_score",
      "recall_score",
      "zero_one_loss",
    ],
  ],
  [
    "sklearn.metrics._regression",
    [
      "d2_absolute_error_score",
      "d2_pinball_score",
      "d2_tweedie_score",
      "explained_variance_score",
      "max_error",
      "mean_absolute_error",
      "mean_absolute_percentage_error",
      "mean_gamma_deviance",
      "mean_pinball_loss",
      "mean_poisson_deviance",
      "mean_squared_error",
      "mean_squared_log_error",
      "mean_tweedie_deviance",
      "median_absolute_error",
      "r2_score",
      "root_mean_squared_error",
      "root_mean_squared_log_error",
    ],
  ],
  [
    "sklearn.metrics._ranking",
    [
      "average_precision_score",
      "coverage_error",
      "dcg_score",
      "label_ranking_average_precision_score",
      "label_ranking_loss",
      "ndcg_score",
      "roc_auc_score",
      "top_k_accuracy_score",
    ],
  ],
  [
    "sklearn.metrics.cluster._supervised",
    [
      "adjusted_mutual_info_score",
      "adjusted_rand_score",
      "completeness_score",
      "fowlkes_mallows_score",
      "homogeneity_score",
      "mutual_info_score",
      "normalized_mutual_info_score",
      "rand_score",
      "v_measure_score",
    ],
  ],
  // `positive_likelihood_ratio` and friends are defined in the scorer module itself; `_passthrough_scorer`
  // (scoring=None before 1.4) only calls `estimator.score(...)` of an estimator judged separately.
  ["sklearn.metrics._scorer", ["positive_likelihood_ratio", "negative_likelihood_ratio", "_passthrough_scorer"]],
];

/** Univariate score functions SelectKBest / SelectPercentile keep as `score_func`: statistics on arrays. */
const SKLEARN_SCORE_FUNCTIONS: readonly [string, readonly string[]][] = [
  [
    "sklearn.feature_selection._univariate_selection",
    ["chi2", "f_classif", "f_oneway", "f_regression", "r_regression"],
  ],
  ["sklearn.feature_selection._mutual_info", ["mutual_info_classif", "mutual_info_regression"]],
];

/**
 * Keras 2.11+ registers its own optimizers under the package "Custom", so tf.keras H5 files carry
 * `"class_name": "Custom>Adam"` in training_config. Keras resolves such a name in its in-process
 * registry of serializable objects, never by importing a module called `Custom`.
 */
const KERAS_REGISTERED_OPTIMIZERS = [
  "Adadelta",
  "Adafactor",
  "Adagrad",
  "Adam",
  "AdamW",
  "Adamax",
  "Ftrl",
  "Lion",
  "Nadam",
  "RMSprop",
  "SGD",
];

const SCIPY_SPARSE_KINDS = ["csr", "csc", "coo", "bsr", "dia", "lil", "dok"];
const SCIPY_SPARSE_CLASSES = SCIPY_SPARSE_KINDS.flatMap((kind) => [`${kind}_matrix`, `${kind}_array`]);

function entries(modules: readonly string[], names: readonly string[]): [string, readonly string[]][] {
  return modules.map((module) => [module, names]);
}

/** module → allowed names. */
export const ALLOWED_GLOBALS: ReadonlyMap<string, ReadonlySet<string>> = buildTable([
  // Annealing functions torch < 2.0 schedulers keep in their state_dict (a bound or static method that
  // pickle writes as getattr(<scheduler or its class>, name); format-pickle reports the attribute reached).
  [
    "torch.optim.lr_scheduler",
    [
      "OneCycleLR._annealing_cos",
      "OneCycleLR._annealing_linear",
      "CyclicLR._triangular_scale_fn",
      "CyclicLR._triangular2_scale_fn",
      "CyclicLR._exp_range_scale_fn",
    ],
  ],
  ["torch.optim.swa_utils", ["SWALR._cosine_anneal", "SWALR._linear_anneal"]],
  // Python containers and scalars. Not getattr/eval/open/type and the like: those are dangerous or unknown.
  [
    "builtins",
    [
      "set",
      "frozenset",
      "dict",
      "list",
      "tuple",
      "int",
      "float",
      "complex",
      "bytes",
      "bytearray",
      "str",
      "bool",
      "slice",
      "range",
      "object",
      "NoneType",
      "Ellipsis",
      "NotImplemented",
      // Python 2 names that __builtin__ pickles still carry.
      "unicode",
      "long",
    ],
  ],
  ["collections", ["OrderedDict", "defaultdict", "deque", "Counter", "namedtuple", "ChainMap"]],
  // How protocol 0/1 pickles rebuild plain objects, and the protocol 2+ constructor helpers:
  // each only calls `cls.__new__` of a class that the pickle imports (and that is judged) separately.
  ["copyreg", ["_reconstructor", "__newobj__", "__newobj_ex__"]],
  // numpy and torch pickle `bytes` as `_codecs.encode(str, "latin1")`.
  ["codecs", ["encode"]],
  ["datetime", ["datetime", "date", "time", "timedelta", "timezone"]],
  ["decimal", ["Decimal"]],
  ["fractions", ["Fraction"]],
  ["uuid", ["UUID", "SafeUUID"]],
  // Building a path object does no I/O; the methods that write are on the dangerous list.
  ["pathlib", ["PurePath", "PurePosixPath", "PureWindowsPath", "Path", "PosixPath", "WindowsPath"]],
  // Training scripts save their parsed arguments with the checkpoint.
  ["argparse", ["Namespace"]],
  // An attribute bag like argparse.Namespace: its constructor and BUILD only set attributes.
  ["types", ["SimpleNamespace"]],

  // torch
  [
    "torch",
    [
      "Tensor",
      "Size",
      "device",
      "dtype",
      "layout",
      "memory_format",
      "Generator",
      // The type of TorchBind objects (packed quantized weights) in a whole quantized model's pickle.
      "ScriptObject",
      "UntypedStorage",
      "TypedStorage",
      ...TORCH_SCALAR_TYPES.map((type) => `${type}Storage`),
      ...TORCH_TENSOR_TYPES.map((type) => `${type}Tensor`),
      ...TORCH_DTYPES,
      ...TORCH_LAYOUTS,
      ...TORCH_MEMORY_FORMATS,
      ...TORCH_QSCHEMES,
    ],
  ],
  [
    "torch.cuda",
    [...TORCH_SCALAR_TYPES.map((type) => `${type}Storage`), ...TORCH_TENSOR_TYPES.map((type) => `${type}Tensor`)],
  ],
  ["torch.storage", ["TypedStorage", "UntypedStorage"]],
  ...entries(["torch.nn.functional", "torch._C._nn"], TORCH_ACTIVATIONS),
  // libtorch's own TorchBind classes for packed quantized weights (aten/src/ATen/native/quantized): TorchScript
  // archives of quantized models pickle them; their __setstate__ repacks tensors. Custom TorchBind classes stay out.
  [
    "__torch__.torch.classes.quantized",
    [
      "LinearPackedParamsBase",
      "Conv1dPackedParamsBase",
      "Conv2dPackedParamsBase",
      "Conv3dPackedParamsBase",
      "EmbeddingPackedParamsBase",
    ],
  ],
  // libtorch's XNNPACK op contexts (aten/src/ATen/native/xnnpack/RegisterOpContextClass.cpp): optimize_for_mobile
  // prepacks conv and linear weights into them; their __setstate__ repacks (weight, bias, stride..., min, max).
  ["__torch__.torch.classes.xnnpack", ["LinearOpContext", "Conv2dOpContext", "TransposeConv2dOpContext"]],
  ["functools", ["partial"]],
  // A namedtuple of tensors (data, batch_sizes, sorted/unsorted indices) that RNN pipelines cache.
  ["torch.nn.utils.rnn", ["PackedSequence"]],
  // TorchScript constants.pkl / .debug_pkl rebuild typed lists and tuples with these.
  [
    "torch.jit._pickle",
    [
      "build_intlist",
      "build_tensorlist",
      "build_doublelist",
      "build_boollist",
      "build_tensor_from_id",
      "restore_type_tag",
    ],
  ],
  [
    "torch._utils",
    [
      "_rebuild_tensor",
      "_rebuild_tensor_v2",
      "_rebuild_tensor_v3",
      "_rebuild_parameter",
      "_rebuild_parameter_with_state",
      "_rebuild_device_tensor_from_numpy",
      "_rebuild_device_tensor_from_cpu_tensor",
      "_rebuild_qtensor",
      "_rebuild_sparse_tensor",
      "_rebuild_sparse_csr_tensor",
      "_rebuild_nested_tensor",
      "_rebuild_xla_tensor",
      "_rebuild_mtia_tensor",
      "_rebuild_meta_tensor_no_storage",
      "_rebuild_wrapper_subclass",
    ],
  ],
  // Tensor subclasses and tensors with Python attributes (torch's weights_only loader allows these).
  ["torch._tensor", ["_rebuild_from_type", "_rebuild_from_type_v2"]],
  ["torch.nn.parameter", ["Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer"]],
  ["torch.optim.optimizer", ["_RequiredParameter"]],
  // A whole GradScaler saved in a checkpoint (not just its state_dict): __setstate__ is a __dict__ update, and its
  // per-optimizer defaultdict's factory returns a fresh `{"stage": OptState.READY, ...}`.
  ...entries(
    ["torch.cuda.amp.grad_scaler", "torch.amp.grad_scaler"],
    ["GradScaler", "OptState", "_refresh_per_optimizer_state"],
  ),
  // `torch.__version__` is a TorchVersion, a str subclass that only adds comparisons; checkpoints store it.
  ["torch.torch_version", ["TorchVersion"]],
  // Old torch.save output rebuilt layouts by name through this lookup.
  ["torch.serialization", ["_get_layout"]],
  // TorchScript archives' data.pkl rebuilds lists and type tags with these; each only wraps values.
  [
    "torch.jit._pickle",
    [
      "build_intlist",
      "build_doublelist",
      "build_boollist",
      "build_tensorlist",
      "build_tensor_from_id",
      "build_complexlist",
      "restore_type_tag",
    ],
  ],

  // numpy
  ["numpy", ["ndarray", "dtype", "matrix", ...NUMPY_SCALAR_TYPES]],
  ["numpy.dtypes", NUMPY_DTYPE_CLASSES],
  ...entries(["numpy.core.multiarray", "numpy._core.multiarray"], ["_reconstruct", "scalar"]),
  ...entries(["numpy.core.numeric", "numpy._core.numeric"], ["_frombuffer"]),
  ["numpy.ma.core", ["_mareconstruct", "MaskedArray", "MaskedConstant"]],
  ...entries(
    ["numpy", "numpy.core._multiarray_umath", "numpy._core._multiarray_umath", "numpy.core.umath", "numpy._core.umath"],
    NUMPY_UFUNCS,
  ),
  ...entries(["scipy.special", "scipy.special._ufuncs"], SCIPY_SPECIAL_UFUNCS),
  ["numpy", NUMPY_REDUCTIONS],
  // SplineTransformer keeps fitted B-splines: knots, coefficients and a degree, rebuilt by a dict update.
  ...entries(["scipy.interpolate", "scipy.interpolate._bsplines"], ["BSpline"]),
  ["numpy.random", ["__RandomState_ctor"]],
  ["numpy.random._pickle", ["__randomstate_ctor", "__generator_ctor", "__bit_generator_ctor"]],
  ["numpy.random.mtrand", ["RandomState"]],
  ["numpy.random._generator", ["Generator"]],
  ["numpy.random._mt19937", ["MT19937"]],
  ["numpy.random._pcg64", ["PCG64", "PCG64DXSM"]],
  ["numpy.random._philox", ["Philox"]],
  ["numpy.random._sfc64", ["SFC64"]],
  // A pickled np.random.SeedSequence (the root of a run's spawned seeds) is Cython's
  // __pyx_unpickle_SeedSequence(type, checksum, state): it checks the checksum, calls type.__new__, sets fields.
  [
    "numpy.random.bit_generator",
    ["SeedSequence", "SeedlessSeedSequence", "__pyx_unpickle_SeedSequence", "__pyx_unpickle_SeedlessSeedSequence"],
  ],

  // scipy.sparse: the matrix/array classes under their current, legacy and re-exported modules.
  ...entries(
    [
      "scipy.sparse",
      "scipy.sparse._arrays",
      ...SCIPY_SPARSE_KINDS.flatMap((kind) => [`scipy.sparse._${kind}`, `scipy.sparse.${kind}`]),
    ],
    SCIPY_SPARSE_CLASSES,
  ),

  // joblib markers for arrays stored after the pickle; joblib reads them, it does not call them.
  ["joblib.numpy_pickle", ["NumpyArrayWrapper", "NDArrayWrapper", "ZNDArrayWrapper"]],
  ["joblib.numpy_pickle_compat", ["NDArrayWrapper", "ZNDArrayWrapper"]],
  ["sklearn.externals.joblib.numpy_pickle", ["NumpyArrayWrapper", "NDArrayWrapper", "ZNDArrayWrapper"]],

  // scikit-learn functions that fitted estimators keep as parameters (the class pattern below covers only classes).
  ...SKLEARN_METRIC_FUNCTIONS,
  ...SKLEARN_SCORE_FUNCTIONS,

  // A callable class with a lower-case name (the class pattern below wants a capital): it selects columns by dtype or regex.
  ["sklearn.compose._column_transformer", ["make_column_selector"]],

  // pandas reconstructors (see the pandas-data-classes pattern for the classes): each rebuilds a block, an
  // index or a scalar from values the pickle holds; classes they are given are imported and judged separately.
  ["pandas._libs.internals", ["_unpickle_block"]],
  ["pandas._libs.arrays", ["__pyx_unpickle_NDArrayBacked"]],
  ["pandas._libs.missing", ["NA"]],
  ["pandas._libs.tslibs.timestamps", ["_unpickle_timestamp"]],
  ["pandas._libs.tslibs.timedeltas", ["_timedelta_unpickle"]],
  ["pandas._libs.tslibs.nattype", ["__nat_unpickle"]],
  ["pandas.core.indexes.base", ["_new_Index"]],
  ["pandas.core.indexes.datetimes", ["_new_DatetimeIndex"]],
  ["pandas.core.indexes.period", ["_new_PeriodIndex"]],
  // pytz's UTC singleton (tz-aware timestamps). Not `pytz._p`: it opens zoneinfo files by name.
  ["pytz", ["_UTC", "utc"]],

  // Keras' own optimizers under their registered name (see KERAS_REGISTERED_OPTIMIZERS).
  ["Custom", KERAS_REGISTERED_OPTIMIZERS],

  // scikit-learn helpers outside the estimator modules the pattern below covers.
  ["sklearn.utils._bunch", ["Bunch"]],
  ["sklearn.utils", ["Bunch"]],

  // Gradient boosting libraries' scikit-learn wrappers and boosters (their state is the library's own model format).
  ["xgboost.sklearn", ["XGBModel", "XGBClassifier", "XGBRegressor", "XGBRanker", "XGBRFClassifier", "XGBRFRegressor"]],
  ["xgboost.core", ["Booster"]],
  ["lightgbm.sklearn", ["LGBMModel", "LGBMClassifier", "LGBMRegressor", "LGBMRanker"]],
  ["lightgbm.basic", ["Booster"]],

  // PyTorch Lightning checkpoints keep `save_hyperparameters()` as an AttributeDict (a dict with attribute access).
  ["pytorch_lightning.utilities.parsing", ["AttributeDict"]],
  ["lightning_fabric.utilities.data", ["AttributeDict"]],
  ["lightning.fabric.utilities.data", ["AttributeDict"]],
  // Hydra/OmegaConf configs saved as hyperparameters: containers, their metadata and value nodes, restored by a
  // __dict__ update. Interpolations resolve only on access, through resolvers the loading process registered.
  ["omegaconf.dictconfig", ["DictConfig"]],
  ["omegaconf.listconfig", ["ListConfig"]],
  ["omegaconf.base", ["Metadata", "ContainerMetadata"]],
  [
    "omegaconf.nodes",
    ["AnyNode", "StringNode", "IntegerNode", "FloatNode", "BooleanNode", "BytesNode", "PathNode", "EnumNode"],
  ],
  // The annotation OmegaConf records for untyped keys and values; a value, not a callable that does anything.
  ["typing", ["Any"]],

  // Hugging Face `training_args.bin`: dataclasses and enums of the Trainer's configuration.
  ["transformers.training_args", ["TrainingArguments", "OptimizerNames"]],
  ["transformers.training_args_seq2seq", ["Seq2SeqTrainingArguments"]],
  [
    "transformers.trainer_utils",
    ["IntervalStrategy", "SchedulerType", "HubStrategy", "SaveStrategy", "FSDPOption", "EvaluationStrategy"],
  ],
  ["transformers.debug_utils", ["DebugOption"]],
  ["transformers.trainer_pt_utils", ["AcceleratorConfig"]],
  ["accelerate.utils.dataclasses", ["DistributedType", "DeepSpeedPlugin"]],
  ["accelerate.state", ["PartialState"]],
]);

export interface AllowPattern {
  id: string;
  /** Why a pattern is safe here; reviewed, not guessed. */
  rationale: string;
  module: RegExp;
  name: RegExp;
}

const CLASS_NAME = /^_?[A-Z][A-Za-z0-9_]*$/;
const SUBMODULES = "(?:\\.(?!tests(?:\\.|$)|conftest(?:\\.|$))[A-Za-z_][A-Za-z0-9_]*)*";

const SKLEARN_ESTIMATOR_PACKAGES = [
  "base",
  "calibration",
  "cluster",
  "compose",
  "covariance",
  "cross_decomposition",
  "decomposition",
  "discriminant_analysis",
  "dummy",
  "ensemble",
  "feature_extraction",
  "feature_selection",
  "frozen",
  "gaussian_process",
  "impute",
  "isotonic",
  "kernel_approximation",
  "kernel_ridge",
  "linear_model",
  "manifold",
  "metrics",
  "mixture",
  "model_selection",
  "multiclass",
  "multioutput",
  "naive_bayes",
  "neighbors",
  "neural_network",
  "pipeline",
  "preprocessing",
  "random_projection",
  "semi_supervised",
  "svm",
  "tree",
  "_loss",
];

const TORCH_NN_MODULE_FILES = [
  "activation",
  "adaptive",
  "batchnorm",
  "channelshuffle",
  "container",
  "conv",
  "distance",
  "dropout",
  "flatten",
  "fold",
  "instancenorm",
  "lazy",
  "linear",
  "loss",
  "module",
  "normalization",
  "padding",
  "pixelshuffle",
  "pooling",
  "rnn",
  "sparse",
  "transformer",
  "upsampling",
];

const TORCH_OPTIM_FILES = [
  "adadelta",
  "adafactor",
  "adagrad",
  "adam",
  "adamax",
  "adamw",
  "asgd",
  "lbfgs",
  "lr_scheduler",
  "nadam",
  "optimizer",
  "radam",
  "rmsprop",
  "rprop",
  "sgd",
  "sparse_adam",
  "swa_utils",
];

export const ALLOWED_PATTERNS: readonly AllowPattern[] = [
  {
    id: "torch-nn-module-classes",
    rationale:
      "torch.nn.modules.<file> holds nn.Module subclasses; whole-model pickles rebuild them with NEWOBJ + BUILD " +
      "(a __dict__ update). Only class names (no dots, capitalised) match, so helper functions and methods do not.",
    module: new RegExp(`^torch\\.nn\\.modules\\.(?:${TORCH_NN_MODULE_FILES.join("|")})$`),
    name: CLASS_NAME,
  },
  {
    id: "torch-nn-utils-hook-classes",
    rationale:
      "weight_norm, spectral_norm and pruning register hook objects on a module (WeightNorm, SpectralNorm and its " +
      "state-dict hooks, L1Unstructured, PruningContainer, ...); a whole-model pickle carries them in the hook " +
      "dicts. None defines __setstate__: they are rebuilt by a __dict__ update, and only run as hooks in forward or " +
      "state_dict. Class names only.",
    module: /^torch\.nn\.utils\.(?:weight_norm|spectral_norm|prune)$/,
    name: CLASS_NAME,
  },
  {
    id: "torch-quantized-module-classes",
    rationale:
      "Quantized nn.Module classes (torch.ao.nn.quantized, its dynamic, reference and intrinsic variants, and the " +
      "older torch.nn.quantized paths): a whole quantized model's pickle rebuilds them with NEWOBJ + BUILD, and " +
      "their packed-parameter holders repack tensors with libtorch's own quantized ops. Class names only.",
    module: /^torch\.(?:ao\.)?nn\.(?:intrinsic\.)?quantized(?:\.dynamic|\.reference)?\.modules(?:\.[a-z_][a-z0-9_]*)?$/,
    name: CLASS_NAME,
  },
  {
    id: "torch-optim-classes",
    rationale:
      "torch.optim.<file> holds optimizer and LR-scheduler classes; their state is tensors and numbers. Class names only.",
    module: new RegExp(`^torch\\.optim\\.(?:${TORCH_OPTIM_FILES.join("|")})$`),
    name: CLASS_NAME,
  },
  {
    id: "sklearn-estimator-classes",
    rationale:
      "Estimator, transformer, loss and tree classes in scikit-learn's estimator packages and their private " +
      "submodules. Unpickling builds them with __new__ + __setstate__ (a dict update); constructing one runs no " +
      "user code. scikit-learn's code-running helpers live outside these packages (sklearn.utils._testing runs " +
      "subprocesses, sklearn.utils._joblib / sklearn.externals.joblib re-export joblib.load, sklearn.datasets " +
      "downloads): they are excluded here and the ones that run code are on the dangerous list, which is checked " +
      "first. Test modules are excluded. Only class names match, never functions.",
    module: new RegExp(`^sklearn\\.(?:${SKLEARN_ESTIMATOR_PACKAGES.join("|")})${SUBMODULES}$`),
    name: CLASS_NAME,
  },
  {
    id: "pandas-data-classes",
    rationale:
      "DataFrame, Series, Index, block managers, extension arrays, dtypes and date offsets: what a pickled DataFrame " +
      "(training statistics, feature tables in a model bundle) is made of. They are rebuilt with __new__ + " +
      "__setstate__, which sets attributes on the new object. Only these data modules: pandas.io (readers), " +
      "pandas.core.computation (eval) and the rest of pandas are not matched. Extension arrays backed by other " +
      "libraries (pyarrow) need that library's globals, which are judged on their own. Class names only.",
    module:
      /^pandas\.(?:core\.(?:frame|series|indexes\.[a-z_]+|internals\.(?:managers|blocks)|arrays\.(?:[a-z_]+|sparse\.array)|dtypes\.dtypes)|_libs\.tslibs\.(?:offsets|timestamps|timedeltas|nattype|period)|_libs\.interval)$/,
    name: CLASS_NAME,
  },
  {
    id: "sklearn-cython-unpickle",
    rationale:
      "Cython generates __pyx_unpickle_<Class>(type, checksum, state) for scikit-learn's extension types (losses, " +
      "trees, neighbors): it checks the checksum, calls type.__new__ and restores fields. The type is imported " +
      "and judged separately.",
    module: new RegExp(`^sklearn\\.(?:${SKLEARN_ESTIMATOR_PACKAGES.join("|")})${SUBMODULES}$`),
    name: /^__pyx_unpickle_[A-Za-z0-9_]+$/,
  },
  {
    id: "torchscript-compiled-classes",
    rationale:
      "TorchScript archives pickle their modules as `__torch__.<qualified class>`: torch.jit.load resolves these " +
      "names in the archive's own compilation unit (the code/ sources, judged by the jit and custom-ops " +
      "detectors), never by importing Python modules; a plain unpickler finds no `__torch__` module and fails. " +
      "TorchBind native classes (`__torch__.torch.classes.*`) are excluded: they load native code.",
    module: /^__torch__(?:\.(?!torch\.classes(?:\.|$))[A-Za-z_][A-Za-z0-9_]*)*$/,
    name: /^[A-Za-z_][A-Za-z0-9_]*$/,
  },
  {
    id: "sklearn-binary-tree-newobj",
    rationale:
      "KDTree/BallTree and DistanceMetric pickle as newObj(cls): `cls.__new__(cls)` of a class imported and judged " +
      "separately.",
    module: /^sklearn\.(?:neighbors\.(?:_kd_tree|_ball_tree|_binary_tree)|metrics\._dist_metrics)$/,
    name: /^newObj$/,
  },
];

function buildTable(rows: readonly [string, readonly string[]][]): Map<string, Set<string>> {
  const table = new Map<string, Set<string>>();
  for (const [module, names] of rows) {
    const set = table.get(module) ?? new Set<string>();
    for (const name of names) set.add(name);
    table.set(module, set);
  }
  return table;
}

/**
 * True when a canonical (module, name) pair is on the built-in allowlist. An empty name is the module
 * itself (dill's `_import_module("numpy")`): importing it is what importing any of its allowed
 * globals already does, so a module with allowed globals is allowed.
 */
/**
 * Allowed classes whose constructor, given arguments, reads a file: XGBoost's and LightGBM's
 * `Booster(params, cache or train_set, model_file)` load `model_file` at once. A pickled Booster is
 * rebuilt without arguments (NEWOBJ with an empty tuple, then __setstate__ with the model's bytes), so
 * a call with arguments is not one that pickling writes.
 */
export const ALLOWED_ONLY_WITHOUT_ARGUMENTS: ReadonlySet<string> = new Set([
  "xgboost.core.Booster",
  "lightgbm.basic.Booster",
]);

/** An Enum member's name (Python 3.11+ pickles a member as `getattr(EnumClass, "NAME")`). */
const ENUM_MEMBER = /^[A-Z][A-Z0-9_]*$/;

export function isBuiltinAllowed(module: string, name: string): AllowPattern | "listed" | undefined {
  // `Class.MEMBER` of an allowed class: the member of an Enum the allowlist admits (an attribute read,
  // never a method: methods are not UPPER_CASE).
  const dot = name.lastIndexOf(".");
  if (dot > 0 && ENUM_MEMBER.test(name.slice(dot + 1))) {
    const owner = isBuiltinAllowed(module, name.slice(0, dot));
    if (owner) return owner;
  }
  if (name === "") {
    if (ALLOWED_GLOBALS.has(module)) return "listed";
    return ALLOWED_PATTERNS.find((pattern) => pattern.module.test(module));
  }
  if (ALLOWED_GLOBALS.get(module)?.has(name)) return "listed";
  return ALLOWED_PATTERNS.find((pattern) => pattern.module.test(module) && pattern.name.test(name));
}

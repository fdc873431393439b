import { describe, expect, it } from "vitest";
import { ALLOWED_GLOBALS, ALLOWED_PATTERNS } from "../src/allowlist.js";
import { GlobalPolicy, indexDangerousGlobals } from "../src/classify-global.js";
import { DANGEROUS_GROUPS } from "../src/dangerous-globals.js";
import { readPolicyOptions } from "../src/options.js";

const policy = new GlobalPolicy();

function split(global: string): [string, string] {
  const colon = global.indexOf(":");
  if (colon < 0) throw new Error(`test table entries are module:name, got ${global}`);
  return [global.slice(0, colon), global.slice(colon + 1)];
}

/** Every global the picklescan corpus flags (peers.md §1.4), as its pickles spell them. */
const PICKLESCAN_CORPUS_GLOBALS = [
  "__builtin__:compile",
  "__builtin__:apply",
  "__builtin__:getattr",
  "__builtin__:eval",
  "__builtin__:globals",
  "builtins:eval",
  "posix:system",
  "httplib:HTTPSConnection",
  "requests.api:get",
  "aiohttp.client:ClientSession",
  "socket:create_connection",
  "subprocess:run",
  "sys:exit",
  "__builtin__:exec",
  "os:system",
  "operator:attrgetter",
  "builtins:__import__",
  "pickle:loads",
  "_pickle:loads",
  "runpy:_run_code",
  "bdb:Bdb",
  "bdb:Bdb.run",
  "pip:main",
  "torch._inductor.codecache:compile_file",
  "pydoc:pipepager",
  // (functools:partial is in the corpus as partial(torch.serialization.load, ...): the bound callable is what fails.)
  "torch.serialization:load",
  "venv:create",
  "builtins:exec",
  "idlelib.pyshell:ModifiedInterpreter.runcode",
  "idlelib.debugobj:ObjectTreeItem.SetText",
  "ctypes:CDLL",
  "_operator:attrgetter",
  "cProfile:run",
  "torch.utils.bottleneck.__main__:run_cprofile",
  "torch.utils.bottleneck.__main__:run_autograd_prof",
  "trace:Trace.run",
  "profile:Profile.runctx",
  "idlelib.autocomplete:AutoComplete.get_entity",
  "idlelib.autocomplete:AutoComplete.fetch_completions",
  "profile:run",
  "pydoc:locate",
  "operator:methodcaller",
  "torch._dynamo.guards:GuardBuilder.get",
  "idlelib.calltip:Calltip.fetch_tip",
  "_operator:methodcaller",
  "cProfile:runctx",
  "idlelib.calltip:get_entity",
  "code:InteractiveInterpreter.runcode",
  "torch.fx.experimental.symbolic_shapes:ShapeEnv.evaluate_guards_expression",
  "lib2to3.pgen2.grammar:Grammar.loads",
  "torch.utils.collect_env:run",
  "torch.utils.collect_env:run_and_read_all",
  "doctest:debug_script",
  "trace:Trace.runctx",
  "uuid:_get_command_stdout",
  "_osx_support:_read_output",
  "_aix_support:_read_cmd_output",
  "imaplib:IMAP4_stream",
  "_pyrepl.pager:pipe_pager",
  "test.support.script_helper:assert_python_ok",
  "torch.utils.data.datapipes.utils.decoder:basichandlers",
  "idlelib.pyshell:ModifiedInterpreter.runcommand",
  "asyncio.unix_events:_UnixSubprocessTransport._start",
  "distutils.file_util:write_file",
  "idlelib.run:Executive.runcode",
  "lib2to3.pgen2.pgen:ParserGenerator.make_label",
  "numpy.f2py.crackfortran:getlincoef",
  "pty:spawn",
  "torch.jit.unsupported_tensor_ops:execWrapper",
  "torch.utils._config_module:ConfigModule.load_config",
  "pkgutil:resolve_name",
  "profile:Profile.run",
  "ensurepip:_run_pip",
  "cloudpickle.cloudpickle:_builtin_type",
  "cloudpickle.cloudpickle:_make_function",
  "cloudpickle.cloudpickle:_function_setstate",
  "cloudpickle.cloudpickle:_make_cell",
  "cloudpickle.cloudpickle:_make_empty_cell",
  "cloudpickle.cloudpickle:subimport",
  "types:CodeType",
  "_io:FileIO",
  "urllib.request:urlopen",
  "logging:FileHandler",
  "timeit:timeit",
  "numpy.testing._private.utils:runstring",
  "ssl:get_server_certificate",
];

/** Bypasses and aliases from peers.md §6 and the brief: each must still be dangerous. */
const BYPASSES_AND_ALIASES: [string, string][] = [
  // joblib's Parallel as scikit-learn's estimator modules import it (a class name the estimator pattern admits).
  ["sklearn.calibration:Parallel", "joblib.Parallel"],
  ["sklearn.ensemble._forest:Parallel", "joblib.Parallel"],
  ["sklearn.utils.parallel:Parallel", "joblib.Parallel"],
  ["pathlib:os.system", "os.system"],
  ["collections:os.system", "os.system"],
  ["torch:os.system", "os.system"],
  ["collections:__builtin__.eval", "builtins.eval"],
  ["numpy:posix.system", "os.system"],
  ["nt:system", "os.system"],
  ["posix:popen", "os.popen"],
  ["__builtins__:exec", "builtins.exec"],
  ["cPickle:loads", "pickle.loads"],
  ["_io:open", "io.open"],
  ["copy_reg:add_extension", "copyreg.add_extension"],
  ["_functools:reduce", "functools.reduce"],
  ["asyncio.unix_events:_UnixSubprocessTransport", "asyncio.unix_events._UnixSubprocessTransport"],
  ["asyncio.base_subprocess:BaseSubprocessTransport", "asyncio.base_subprocess.BaseSubprocessTransport"],
  ["importlib:import_module", "importlib.import_module"],
  ["inspect:getattr_static", "inspect.getattr_static"],
  ["mailcap:findmatch", "mailcap.findmatch"],
  ["smtplib:SMTP", "smtplib.SMTP"],
  ["fickling.hook:deactivate_safe_ml_environment", "fickling.hook.deactivate_safe_ml_environment"],
  ["picklescan.scanner:scan_pickle_bytes", "picklescan.scanner.scan_pickle_bytes"],
  ["modelaudit.core:scan", "modelaudit.core.scan"],
  ["dill._dill:_create_code", "dill._dill._create_code"],
  ["dill._dill:_create_function", "dill._dill._create_function"],
  ["dill:loads", "dill.loads"],
  ["joblib:load", "joblib.load"],
  ["numpy:load", "numpy.load"],
  ["torch:load", "torch.load"],
  ["torch.storage:_load_from_bytes", "torch.storage._load_from_bytes"],
  ["torch.hub:load", "torch.hub.load"],
  ["marshal:loads", "marshal.loads"],
  ["shelve:open", "shelve.open"],
  ["numpy.core:_ufunc_reconstruct", "numpy.core._ufunc_reconstruct"],
  ["torch._utils:_import_dotted_name", "torch._utils._import_dotted_name"],
  ["torch.fx.graph_module:reduce_graph_module", "torch.fx.graph_module.reduce_graph_module"],
  ["sklearn.utils._testing:assert_run_python_script", "sklearn.utils._testing.assert_run_python_script"],
  ["pathlib:PosixPath.write_text", "pathlib.PosixPath.write_text"],
  ["os:remove", "os.remove"],
  ["shutil:rmtree", "shutil.rmtree"],
  ["tempfile:mktemp", "tempfile.mktemp"],
  ["cffi:FFI", "cffi.FFI"],
  ["types:FunctionType", "types.FunctionType"],
  ["types:MethodType", "types.MethodType"],
  ["http.client:HTTPConnection", "http.client.HTTPConnection"],
  ["telnetlib:Telnet", "telnetlib.Telnet"],
  ["webbrowser:open", "webbrowser.open"],
  ["signal:signal", "signal.signal"],
  ["threading:Thread", "threading.Thread"],
  ["_thread:start_new_thread", "_thread.start_new_thread"],
  ["multiprocessing.context:Process", "multiprocessing.context.Process"],
  ["functools:reduce", "functools.reduce"],
  ["builtins:breakpoint", "builtins.breakpoint"],
  ["builtins:open", "builtins.open"],
  ["builtins:input", "builtins.input"],
  ["builtins:setattr", "builtins.setattr"],
  ["builtins:delattr", "builtins.delattr"],
  ["operator:itemgetter", "operator.itemgetter"],
  ["sys:modules", "sys.modules"],
  ["copyreg:_inverted_registry", "copyreg._inverted_registry"],
  ["io:FileIO", "io.FileIO"],
  ["numpy.random:os.system", "os.system"],
];

const ALLOWLISTED = [
  "numpy.random.bit_generator:__pyx_unpickle_SeedSequence",
  "collections:OrderedDict",
  "_collections:OrderedDict",
  "torch._utils:_rebuild_tensor_v2",
  "torch._utils:_rebuild_parameter",
  "torch._tensor:_rebuild_from_type_v2",
  "torch:FloatStorage",
  "torch:BFloat16Storage",
  "torch:float32",
  "torch:Size",
  "torch:device",
  "torch.nn.modules.linear:Linear",
  "torch.nn.modules.container:Sequential",
  "torch.nn.modules.conv:Conv2d",
  "torch.nn.parameter:Parameter",
  "torch.optim.adam:Adam",
  "numpy.core.multiarray:_reconstruct",
  "numpy._core.multiarray:_reconstruct",
  "numpy.core.multiarray:scalar",
  "numpy:ndarray",
  "numpy:dtype",
  "numpy:float64",
  "numpy.core.numeric:_frombuffer",
  "numpy.random._pickle:__randomstate_ctor",
  "numpy.random._mt19937:MT19937",
  "_codecs:encode",
  "codecs:encode",
  "copyreg:_reconstructor",
  "copy_reg:_reconstructor",
  "__builtin__:object",
  "builtins:set",
  "builtins:frozenset",
  "__builtin__:dict",
  "builtins:bytearray",
  "builtins:slice",
  "sklearn.linear_model._logistic:LogisticRegression",
  "sklearn.tree._classes:DecisionTreeClassifier",
  "sklearn.tree._tree:Tree",
  "sklearn.ensemble._forest:RandomForestClassifier",
  "sklearn.ensemble._gb:GradientBoostingClassifier",
  "sklearn._loss.loss:HalfBinomialLoss",
  "sklearn._loss._loss:__pyx_unpickle_CyHalfBinomialLoss",
  "sklearn.svm._classes:SVC",
  "sklearn.preprocessing._data:StandardScaler",
  "sklearn.pipeline:Pipeline",
  "sklearn.compose._column_transformer:ColumnTransformer",
  "sklearn.preprocessing._encoders:OneHotEncoder",
  "sklearn.cluster._kmeans:KMeans",
  "sklearn.decomposition._pca:PCA",
  "sklearn.preprocessing._label:LabelEncoder",
  "sklearn.neural_network._multilayer_perceptron:MLPClassifier",
  "sklearn.calibration:_CalibratedClassifier",
  "sklearn.neighbors._kd_tree:newObj",
  "sklearn.utils._bunch:Bunch",
  "joblib.numpy_pickle:NumpyArrayWrapper",
  "scipy.sparse._csr:csr_matrix",
  "scipy.sparse._coo:coo_array",
  "xgboost.sklearn:XGBClassifier",
  "lightgbm.sklearn:LGBMRegressor",
  "datetime:datetime",
  "decimal:Decimal",
  "uuid:UUID",
  "pathlib:PosixPath",
  "argparse:Namespace",
  "types:SimpleNamespace",
  // Functions fitted scikit-learn objects keep as parameters (benign-realism fixtures).
  "numpy:log1p",
  "numpy.core._multiarray_umath:log1p",
  "numpy.core._multiarray_umath:expm1",
  "numpy._core._multiarray_umath:sqrt",
  "scipy.special._ufuncs:expit",
  "sklearn.metrics._classification:f1_score",
  "sklearn.metrics._ranking:roc_auc_score",
  "sklearn.metrics._scorer:_passthrough_scorer",
  "sklearn.feature_selection._univariate_selection:f_classif",
  "sklearn.feature_selection._mutual_info:mutual_info_classif",
  "sklearn.metrics._dist_metrics:newObj",
  "torch.torch_version:TorchVersion",
  "Custom:Adam",
  "torch.nn.functional:relu",
  "torch._C._nn:gelu",
  "numpy:mean",
  "scipy.interpolate._bsplines:BSpline",
  "numpy:number",
  "sklearn.compose._column_transformer:make_column_selector",
  "pandas.core.frame:DataFrame",
  "pandas.core.series:Series",
  "pandas.core.internals.managers:BlockManager",
  "pandas._libs.internals:_unpickle_block",
  "pandas.core.indexes.base:_new_Index",
  "pandas.core.indexes.range:RangeIndex",
  "pandas.core.arrays.datetimes:DatetimeArray",
  "pandas._libs.tslibs.timestamps:_unpickle_timestamp",
  "pandas._libs.tslibs.offsets:MonthEnd",
  "pytorch_lightning.utilities.parsing:AttributeDict",
  "omegaconf.dictconfig:DictConfig",
  "omegaconf.nodes:AnyNode",
  "typing:Any",
  "torch.cuda.amp.grad_scaler:GradScaler",
  "torch.amp.grad_scaler:_refresh_per_optimizer_state",
  "torch.nn.utils.weight_norm:WeightNorm",
  "torch.nn.utils.spectral_norm:SpectralNormStateDictHook",
  "torch.nn.utils.prune:L1Unstructured",
  "torch.nn.utils.rnn:PackedSequence",
];

const NOT_ALLOWLISTED = [
  // What a stream set on an attribute bag is judged as itself, not as the class.
  "types:SimpleNamespace.f",
  "__main__:MyModel",
  "mypackage.models:Net",
  "builtins:type",
  "builtins:print",
  "codecs:decode",
  "torch:_utils",
  "torch.nn.modules.module:register_module_forward_hook",
  "torch.nn.modules.linear:Linear.forward",
  "sklearn.datasets._base:load_iris",
  "sklearn.utils.validation:check_array",
  "sklearn.linear_model.tests.test_logistic:SomeHelper",
  "posixpath:join",
  "numpy:frompyfunc",
  "numpy:vectorize",
  "numpy.core._multiarray_umath:add_docstring",
  "numpy.core._multiarray_umath:_ones_like",
  "numpy.core._multiarray_umath:clip",
  "scipy.special:comb",
  "sklearn.metrics._scorer:get_scorer",
  "sklearn.metrics._classification:classification_report",
  "sklearn.metrics._dist_metrics:get_valid_metric_ids",
  "Custom:MyLayer",
  "torch.nn.functional:pad",
  "numpy:loadtxt",
  "scipy.interpolate._interpolate:interp1d",
  "pandas.io.formats.style:Styler",
  "pandas.util._decorators:deprecate",
  "pandas.core.frame:DataFrame.to_csv",
  "pandas.io.parsers.readers:TextFileReader",
  "pytz:_p",
  "torch._C._nn:_test_optional_floatlist",
  "re:_compile",
  "typing:get_type_hints",
  "torch.nn.utils.prune:remove",
  "torch.nn.utils.weight_norm:remove_weight_norm",
  "torch.ScriptObject:__setstate__",
  "omegaconf.omegaconf:OmegaConf",
];

describe("classify: functools and Enum members", () => {
  it("functools.partial only binds a callable: allowed, while reduce and the attribute writers stay dangerous", () => {
    expect(policy.classify("functools", "partial").verdict).toBe("allowed");
    for (const name of ["reduce", "partialmethod", "update_wrapper", "wraps", "total_ordering"]) {
      expect(policy.classify("functools", name).verdict).toBe("dangerous");
    }
    expect(policy.classify("_functools", "reduce").verdict).toBe("dangerous");
  });

  it("an UPPER_CASE attribute of an allowed class is an Enum member; other attributes are not covered", () => {
    expect(policy.classify("transformers.trainer_utils", "IntervalStrategy.EPOCH").verdict).toBe("allowed");
    expect(policy.classify("transformers.trainer_utils", "IntervalStrategy.from_config").verdict).toBe("unknown");
    expect(policy.classify("some.unknown", "Strategy.EPOCH").verdict).toBe("unknown");
    expect(policy.classify("os", "environ.SYSTEM").verdict).toBe("dangerous");
  });
});

describe("classify: dangerous", () => {
  it.each(PICKLESCAN_CORPUS_GLOBALS)("%s from the picklescan corpus is dangerous", (global) => {
    const [module, name] = split(global);
    expect(policy.classify(module, name).verdict).toBe("dangerous");
  });

  it.each(BYPASSES_AND_ALIASES)("%s resolves to dangerous %s", (global, target) => {
    const [module, name] = split(global);
    const verdict = policy.classify(module, name);
    expect(verdict.verdict).toBe("dangerous");
    if (verdict.verdict === "dangerous") expect(verdict.target).toBe(target);
  });

  it("takes Keras 3's pickled model loader for what it is under any Model subclass", () => {
    // Model.__reduce__ writes getattr(<Model class>, "_unpickle_model"); format-pickle reports the attribute.
    const verdict = policy.classify("keras.src.models.sequential", "Sequential._unpickle_model");
    expect(verdict.verdict).toBe("dangerous");
  });

  it("grades exact matches above module-level, attribute-chain and bare-name matches", () => {
    const exact = policy.classify("os", "system");
    const within = policy.classify("requests.api", "get");
    const chain = policy.classify("pathlib", "os.system");
    const bare = policy.classify("mymodule", "eval");
    if (
      exact.verdict !== "dangerous" ||
      within.verdict !== "dangerous" ||
      chain.verdict !== "dangerous" ||
      bare.verdict !== "dangerous"
    ) {
      throw new Error("all four must be dangerous");
    }
    expect(exact.match).toBe("exact");
    expect(exact.confidence).toBeGreaterThanOrEqual(0.9);
    expect(within.match).toBe("within");
    expect(chain.match).toBe("attribute-chain");
    expect(bare.match).toBe("bare-name");
    expect(exact.confidence).toBeGreaterThan(within.confidence);
    expect(within.confidence).toBeGreaterThan(bare.confidence);
    expect(chain.confidence).toBeGreaterThan(bare.confidence);
  });

  it("matches modules by dotted component, not by string prefix", () => {
    expect(policy.classify("osmosis", "thing").verdict).toBe("unknown");
    expect(policy.classify("system_tools", "run").verdict).toBe("unknown");
    expect(policy.classify("testing_utils", "X").verdict).toBe("unknown");
  });

  it("judges the module string as imported: scipy.signal is not the signal module", () => {
    expect(policy.classify("scipy.signal._ltisys", "TransferFunction").verdict).toBe("unknown");
    expect(policy.classify("transformers.utils.logging", "Thing").verdict).toBe("unknown");
  });
});

describe("classify: allowlisted", () => {
  it.each(ALLOWLISTED)("%s is allowed", (global) => {
    const [module, name] = split(global);
    expect(policy.classify(module, name).verdict).toBe("allowed");
  });
});

describe("classify: neither", () => {
  it.each(NOT_ALLOWLISTED)("%s is not allowlisted", (global) => {
    const [module, name] = split(global);
    expect(policy.classify(module, name)).toEqual({ verdict: "unknown", plausibleModule: true });
  });

  it("says when the module cannot be a Python module path", () => {
    expect(policy.classify("PEDRA_2020", "x")).toEqual({ verdict: "unknown", plausibleModule: true });
    expect(policy.classify("PEDRA 2020", "x")).toEqual({ verdict: "unknown", plausibleModule: false });
    expect(policy.classify("2020", "x")).toEqual({ verdict: "unknown", plausibleModule: false });
    expect(policy.classify("a..b", "x")).toEqual({ verdict: "unknown", plausibleModule: false });
    expect(policy.classify("", "x")).toEqual({ verdict: "unknown", plausibleModule: false });
  });
});

describe("data integrity", () => {
  it("lists no dangerous path twice", () => {
    expect(() => indexDangerousGlobals()).not.toThrow();
  });

  it("no allowlist entry is dangerous", () => {
    let checked = 0;
    for (const [module, names] of ALLOWED_GLOBALS) {
      for (const name of names) {
        const verdict = policy.classify(module, name);
        expect(verdict.verdict, `${module}.${name}`).toBe("allowed");
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it("patterns never admit a dangerous global, because the dangerous check runs first", () => {
    // Names shaped like what the patterns admit, inside modules the dangerous list covers.
    expect(policy.classify("sklearn.utils._testing", "TempMemmap").verdict).toBe("dangerous");
    expect(policy.classify("torch.nn.modules.linear", "os.system").verdict).toBe("dangerous");
    expect(policy.classify("sklearn.pipeline", "eval").verdict).toBe("dangerous");
    for (const pattern of ALLOWED_PATTERNS) {
      expect(pattern.rationale.length, pattern.id).toBeGreaterThan(40);
      expect(pattern.module.source.startsWith("^") && pattern.module.source.endsWith("$"), pattern.id).toBe(true);
      expect(pattern.name.source.startsWith("^") && pattern.name.source.endsWith("$"), pattern.id).toBe(true);
    }
  });

  it("every dangerous group has a reason and entries", () => {
    for (const group of DANGEROUS_GROUPS) {
      expect(group.reason.length, group.category).toBeGreaterThan(10);
      expect(group.modules.length + group.callables.length, group.category).toBeGreaterThan(0);
    }
  });
});

describe("options", () => {
  it("allow adds globals in module:name, module.name and package.* forms", () => {
    const custom = new GlobalPolicy(
      readPolicyOptions({ allow: ["mypackage.models:Net", "otherpkg.layers.Block", "thirdpkg.*"] }),
    );
    expect(custom.classify("mypackage.models", "Net")).toEqual({ verdict: "allowed", by: "user" });
    expect(custom.classify("otherpkg.layers", "Block")).toEqual({ verdict: "allowed", by: "user" });
    expect(custom.classify("thirdpkg.deep.module", "Anything")).toEqual({ verdict: "allowed", by: "user" });
    expect(custom.classify("mypackage.models", "Other").verdict).toBe("unknown");
  });

  it("allow never overrides a dangerous global", () => {
    const custom = new GlobalPolicy(readPolicyOptions({ allow: ["os.system", "builtins:eval", "subprocess.*"] }));
    expect(custom.classify("os", "system").verdict).toBe("dangerous");
    expect(custom.classify("__builtin__", "eval").verdict).toBe("dangerous");
    expect(custom.classify("subprocess", "Popen").verdict).toBe("dangerous");
  });

  it("deny adds dangerous globals", () => {
    const custom = new GlobalPolicy(readPolicyOptions({ deny: ["mypackage.evil:run", "badpkg.*"] }));
    const run = custom.classify("mypackage.evil", "run");
    expect(run).toMatchObject({ verdict: "dangerous", match: "deny-list", target: "mypackage.evil.run" });
    expect(custom.classify("badpkg.sub", "X")).toMatchObject({ verdict: "dangerous", match: "deny-list" });
    expect(custom.classify("collections", "OrderedDict").verdict).toBe("allowed");
  });

  it("rejects malformed options with the field named", () => {
    expect(() => readPolicyOptions({ allow: "os.system" })).toThrow(/options\.allow: must be an array/);
    expect(() => readPolicyOptions({ deny: [42] })).toThrow(/options\.deny\[0\]/);
    expect(() => readPolicyOptions({ allow: ["has space.x"] })).toThrow(/options\.allow\[0\]/);
    expect(() => readPolicyOptions({ allow: [""] })).toThrow(/options\.allow\[0\]/);
  });
});

describe("TorchScript archives", () => {
  it.each([
    ["__torch__", "SmallScripted"],
    ["__torch__.torch.nn.modules.linear", "Linear"],
    ["torch.jit._pickle", "build_intlist"],
  ])("allows %s.%s", (module, name) => {
    expect(policy.classify(module, name).verdict).toBe("allowed");
  });
  it("does not allow TorchBind native classes", () => {
    expect(policy.classify("__torch__.torch.classes.my_ns", "Evil").verdict).not.toBe("allowed");
  });
});

describe("a module itself (an empty name: dill's _import_module of a bare module)", () => {
  it("allows a module whose globals are on the allowlist", () => {
    expect(policy.classify("numpy", "")).toMatchObject({ verdict: "allowed" });
    expect(policy.classify("collections", "")).toMatchObject({ verdict: "allowed" });
  });

  it("keeps dangerous modules dangerous, exactly, under their aliases too", () => {
    for (const module of ["os", "posix", "subprocess", "builtins.eval"]) {
      expect(policy.classify(module, "")).toMatchObject({ verdict: "dangerous" });
    }
    expect(policy.classify("os", "")).toMatchObject({ match: "exact", target: "os" });
  });

  it("leaves a module with no allowed globals unknown, and honours the user's allow list", () => {
    expect(policy.classify("mypkg", "")).toMatchObject({ verdict: "unknown" });
    expect(new GlobalPolicy({ allow: ["mypkg.*"] }).classify("mypkg", "")).toMatchObject({ verdict: "allowed" });
    expect(new GlobalPolicy({ allow: ["mypkg"] }).classify("mypkg", "")).toMatchObject({ verdict: "allowed" });
  });

  it("judges the types dill's _load_type returns as their imports would be judged", () => {
    expect(policy.classify("types", "CodeType")).toMatchObject({ verdict: "dangerous", category: "code-object" });
    expect(policy.classify("types", "FunctionType")).toMatchObject({ verdict: "dangerous" });
    expect(policy.classify("builtins", "NoneType")).toMatchObject({ verdict: "allowed" });
  });
});

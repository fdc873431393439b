import { isKerasModule } from "./keras-modules.js";

/**
 * Which function references in a Keras config point at functions Keras saves for ordinary models.
 *
 * Keras resolves `{"module": M, "class_name": "function", "config": N}` (and Keras 2 Lambda
 * `function_type: "function"`) by importing M and taking N: in Keras 3 before 3.9 from any module;
 * after that, from any public Keras API except a short list it calls non-modeling. A Lambda built on
 * such a function runs it while the functional model is rebuilt, with arguments from the config
 * (CVE-2025-9906: `keras.models.load_model` with `safe_mode=False`; CVE-2025-8747:
 * `keras.utils.get_file`). So a function from Keras' own packages is a plain modeling function
 * only inside the namespaces Keras serializes for models; anything else is reported as an import
 * for the detectors to judge.
 */

/** Namespaces of modeling functions (activations, losses, metrics, ops, TF math) that Keras saves by reference. */
const MODELING_NAMESPACE =
  /^(?:(?:keras|tf_keras|tensorflow\.keras)(?:\.src)?\.(?:activations|constraints|initializers|losses|metrics|regularizers|ops|layers|random)(?:\.[\w.]+)?|tensorflow\.(?:math|nn|linalg|signal)|tensorflow\.python\.ops\.(?:math_ops|nn_ops|nn_impl|array_ops|clip_ops|special_math_ops|gen_math_ops|gen_nn_ops|gen_array_ops|linalg_ops))$/;

/**
 * `keras.applications` is no modeling namespace: its constructors (`ResNet50()`, weights="imagenet" by
 * default) download weights into ~/.keras and `decode_predictions` downloads a class index, at load when
 * a config names them. Only `preprocess_input`, tensor arithmetic without I/O, is a modeling function there.
 */
const APPLICATIONS = /^(?:keras|tf_keras|tensorflow\.keras)(?:\.src)?\.applications(?:\.\w+)*$/;
const PURE_APPLICATION_FUNCTIONS = new Set(["preprocess_input"]);

/** keras.src.saving.serialization_lib.NON_MODELING_APIS: public names Keras itself refuses to deserialize. */
const NON_MODELING_APIS = new Set([
  "keras.backend.clear_session",
  "keras.config.enable_unsafe_deserialization",
  "keras.models.load_model",
  "keras.models.model_from_json",
  "keras.models.save_model",
  "keras.preprocessing.image_dataset_from_directory",
  "keras.preprocessing.image.load_img",
  "keras.preprocessing.image.save_img",
  "keras.preprocessing.text_dataset_from_directory",
  "keras.saving.deserialize_keras_object",
  "keras.saving.load_model",
  "keras.saving.load_weights",
  "keras.saving.register_keras_serializable",
  "keras.saving.save_model",
  "keras.saving.save_weights",
  "keras.saving.serialize_keras_object",
  "keras.utils.audio_dataset_from_directory",
  "keras.utils.clear_session",
  "keras.utils.deserialize_keras_object",
  "keras.utils.get_file",
  "keras.utils.image_dataset_from_directory",
  "keras.utils.load_img",
  "keras.utils.register_keras_serializable",
  "keras.utils.save_img",
  "keras.utils.serialize_keras_object",
  "keras.utils.text_dataset_from_directory",
]);

/**
 * True when a function reference needs an import fact: any module outside Keras' own packages,
 * NumPy functions (the detectors know its ufuncs from numpy.save), and Keras/TensorFlow functions
 * outside the modeling namespaces or on Keras' non-modeling list.
 */
export function isReportedFunction(module: string, name: string): boolean {
  if (!isKerasModule(module)) return true;
  if (module === "numpy" || module.startsWith("numpy.")) return true;
  if (NON_MODELING_APIS.has(`${module}.${name}`)) return true;
  if (APPLICATIONS.test(module)) return !PURE_APPLICATION_FUNCTIONS.has(name);
  return !MODELING_NAMESPACE.test(module);
}

/**
 * Namespaces whose models are downloaded most on the Hugging Face Hub and the code hosts, and so the
 * ones typosquatters imitate. Spelled as the Hub spells them; compared case-insensitively. A name
 * here is never itself a look-alike of another (a test holds that), so real organisations stay clean.
 */
export const POPULAR_ORGS: readonly string[] = [
  "01-ai",
  "allenai",
  "amazon",
  "anthropic",
  "apple",
  "BAAI",
  "bartowski",
  "bigcode",
  "bigscience",
  "black-forest-labs",
  "CohereForAI",
  "CompVis",
  "databricks",
  "deepseek-ai",
  "distilbert",
  "EleutherAI",
  "facebook",
  "FacebookAI",
  "google",
  "google-bert",
  "google-t5",
  "HuggingFaceH4",
  "HuggingFaceM4",
  "HuggingFaceTB",
  "huggingface",
  "ibm-granite",
  "intfloat",
  "lmsys",
  "meta-llama",
  "microsoft",
  "mistralai",
  "mlx-community",
  "mosaicml",
  "NousResearch",
  "nvidia",
  "openai",
  "openai-community",
  "Qwen",
  "runwayml",
  "Salesforce",
  "sentence-transformers",
  "stabilityai",
  "stable-diffusion-v1-5",
  "TheBloke",
  "THUDM",
  "tiiuae",
  "timm",
  "unsloth",
  "xai-org",
];

/**
 * Real namespaces that sit next to a popular one (the same organisation spelled otherwise on another
 * host, mostly GitHub): known, so never look-alikes, and not protected themselves.
 */
export const KNOWN_NAMESPACES: readonly string[] = [
  "Stability-AI",
  "anthropics",
  "lm-sys",
  "QwenLM",
  "unslothai",
  "google-research",
  "googleapis",
  "openai-community",
  "facebookresearch",
  "bigscience-workshop",
];

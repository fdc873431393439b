const USAGE_ERROR_MARKER = Symbol.for("modelaudit.UsageError");

/** A problem with how the command was called (flags, config, plugins): exit code 2, message on stderr. */
export class UsageError extends Error {
  readonly [USAGE_ERROR_MARKER] = true;
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
  static isInstance(value: unknown): value is UsageError {
    return typeof value === "object" && value !== null && USAGE_ERROR_MARKER in value;
  }
}

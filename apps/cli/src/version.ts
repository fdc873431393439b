/** Version of @modelaudit/cli, injected by tsup. */
export const CLI_VERSION: string = __PACKAGE_VERSION__;
export const CLI_NAME = "@modelaudit/cli";

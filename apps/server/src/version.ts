/** Version of @modelaudit/server, injected by tsup. */
export const SERVER_VERSION: string = __PACKAGE_VERSION__;
export const SERVER_NAME = "@modelaudit/server";

/** Where this plugin's rules are documented (each rule's `docs.url` adds its anchor). */
export const DOCS = "https://github.com/modelaudit-ts/modelaudit-ts/tree/main/plugins/detector-custom-ops";

export * from "./common";
export * from "./users";
export * from "./pairing";
export * from "./activities";
export * from "./progress";
export * from "./settings";
export * from "./auth";
export * from "./org";

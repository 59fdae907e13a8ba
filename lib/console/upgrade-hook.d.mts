export declare const HANDLER: unique symbol;
export declare const CONSOLE_WS_PATH: "/api/console/ws";
export declare function installConsoleUpgradeHook(): void;

/**
 * The server's `initializationOptions` from the extension's settings (`tdd-fast.*` in package.json's
 * `contributes.configuration`), each under the server's own name (ts/lsp/settings.ts). No VS Code API here, so a test
 * can hold it equal to the manifest and to what the server reads.
 */

/** What the extension reads settings through (VS Code's `WorkspaceConfiguration` has this `get`). */
export interface SettingsReader {
  get<T>(key: string, fallback: T): T;
}

/** The settings the server takes; `nodePath` is the client's own (which Node runs the server). */
export function initializationOptions(settings: SettingsReader): Record<string, unknown> {
  return {
    debounceMs: settings.get<number>('debounceMs', 150),
    duplicates: settings.get<boolean>('duplicates', true),
    duplicateScanDelayMs: settings.get<number>('duplicateScanDelayMs', 1000),
    maxFileSize: settings.get<number>('maxFileSize', 2 * 1024 * 1024),
    configFile: settings.get<string>('configFile', '') || undefined,
  };
}

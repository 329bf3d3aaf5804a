// The only place that calls acquireVsCodeApi (VS Code allows one call per page). Everything else talks to the
// host through the functions exported here, so the rest of the client can be exercised with a fake.

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

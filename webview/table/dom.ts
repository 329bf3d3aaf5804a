// The DOM helpers live in webview/shared/dom.ts. This re-export stays only because the tool apps (connection,
// audit, plugins) still import it from here while another change reworks them; switch them and delete this file.
export * from '../shared/dom';

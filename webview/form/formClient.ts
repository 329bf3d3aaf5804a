import type { NocofloViewClient } from '../../api/webview';

// The form uses the view-client members added in API 1.2 (the query and row a tab starts with, openView, related
// tables, the table list, onFocus). They are optional in the API, so a client without them (an older Nocoflo)
// still gets a working form, only without foreign-key display values, pickers, links and reverse references:
// every use is guarded (`client.openView?.(…)`).
export type FormClient = NocofloViewClient;
export type { OpenViewTarget, RelatedTable as RelatedTableClient, ViewQuery } from '../../api/webview';

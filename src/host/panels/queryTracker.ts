// What a panel's view is looking at, learned from the requests it sends: "Switch View…" hands it to the next view,
// so a filter set in the grid still applies in the form or the chart. Free of `vscode` for plain-Node tests.
import type { RequestMessage, WireQuery } from '../../../shared/protocol';

/**
 * The latest sort, filters and search a view used for its own table. A read states all three; a count has no
 * sort, so it keeps the last one; an aggregate has no sort or search (a chart groups, it does not search), so it
 * keeps the sort and drops the search; an export states all three.
 */
export class QueryTracker {
  private query: WireQuery;

  constructor(initial: WireQuery = {}) {
    this.query = copy(initial);
  }

  get current(): WireQuery {
    return copy(this.query);
  }

  /** Replaces the query, e.g. with the one a switch hands over. */
  reset(query: WireQuery = {}): void {
    this.query = copy(query);
  }

  observeRequest(message: RequestMessage): void {
    switch (message.method) {
      case 'rows/read':
        this.query = pick({ sort: message.params.sort, filters: message.params.filters, search: message.params.search });
        return;
      case 'rows/count':
        this.query = pick({ sort: this.query.sort, filters: message.params.filters, search: message.params.search });
        return;
      case 'rows/aggregate':
        this.query = pick({ sort: this.query.sort, filters: message.params.filters });
        return;
      default:
        return;
    }
  }

  observeExport(query: WireQuery): void {
    this.query = pick(query);
  }
}

function pick(q: WireQuery): WireQuery {
  const out: WireQuery = {};
  if (q.sort?.length) out.sort = q.sort;
  if (q.filters?.length) out.filters = q.filters;
  if (q.search && q.search.text !== '') out.search = q.search;
  return copy(out);
}

/** Messages come from the webview; a structured copy keeps later mutation of theirs (or ours) apart. */
const copy = (q: WireQuery): WireQuery => structuredClone(q);

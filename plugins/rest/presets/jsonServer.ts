// The classic fake-REST server style (json-server 0.17 and its many clones): _page/_limit with X-Total-Count and a
// Link header, _sort/_order, `field=value` (repeated for several values), _gte/_lte/_ne, and _like, which is a
// case-insensitive regular expression, so values are escaped (and anchored for startswith/endswith).
export const jsonServerPreset = {
  pagination: { style: 'link', pageParam: '_page', sizeParam: '_limit', pageSize: 100 },
  totalHeader: 'X-Total-Count',
  // lodash's orderBy puts NULLs last ascending: sorts on nullable columns run in Nocoflo.
  sort: { params: { _sort: '{column}', _order: '{dir}' }, separator: ',', nullsFirstAscending: false, tiebreak: true },
  filters: {
    eq: '{column}',
    // _ne drops the records whose field is null; Nocoflo's ne keeps them.
    ne: { local: "the API's _ne drops records whose field is null" },
    gte: '{column}_gte',
    lte: '{column}_lte',
    contains: { param: '{column}_like', encode: 'regex' },
    startswith: { param: '{column}_like', encode: 'regex-prefix' },
    endswith: { param: '{column}_like', encode: 'regex-suffix' },
    in: { param: '{column}', list: 'repeat' },
  },
  writes: { insert: 'POST {path}', update: 'PATCH {path}/{id}', delete: 'DELETE {path}/{id}' },
};

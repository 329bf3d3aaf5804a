// OData v4 (https://www.odata.org/documentation/): one $filter with the conditions joined by "and", $orderby,
// $top/$skip paging with $count=true (the total in "@odata.count"), records under "value", entities addressed as
// Path(key). OData's ne treats null as a value ("Composer ne 'x'" keeps the NULL composers), as Nocoflo's does.
// Text operators compare tolower() of both sides: Nocoflo's contains/startswith/endswith ignore case.
export const odataPreset = {
  recordsPath: 'value',
  readParams: { $count: 'true' },
  pagination: { style: 'offset', offsetParam: '$skip', sizeParam: '$top', pageSize: 1000 },
  totalPath: '["@odata.count"]',
  sort: { params: { $orderby: '{column} {dir}' }, separator: ',', tiebreak: true },
  filters: {
    combine: { $filter: ' and ' },
    eq: { param: '$filter={column} eq {value}', encode: 'odata' },
    ne: { param: '$filter={column} ne {value}', encode: 'odata' },
    lt: { param: '$filter={column} lt {value}', encode: 'odata' },
    lte: { param: '$filter={column} le {value}', encode: 'odata' },
    gt: { param: '$filter={column} gt {value}', encode: 'odata' },
    gte: { param: '$filter={column} ge {value}', encode: 'odata' },
    contains: { param: '$filter=contains(tolower({column}),{value})', encode: 'odata-lower' },
    startswith: { param: '$filter=startswith(tolower({column}),{value})', encode: 'odata-lower' },
    endswith: { param: '$filter=endswith(tolower({column}),{value})', encode: 'odata-lower' },
    isnull: '$filter={column} eq null',
    notnull: '$filter={column} ne null',
    in: { param: '$filter={column} in ({value})', encode: 'odata' },
  },
  record: '{path}({id})',
  writes: { insert: 'POST {path}', update: 'PATCH {path}({id})', delete: 'DELETE {path}({id})' },
  writeHeaders: { Prefer: 'return=representation' },
};

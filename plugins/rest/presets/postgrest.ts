// PostgREST (https://postgrest.org): `col=op.value` filters, `order=col.desc,col2.asc`, limit/offset paging,
// exact counts in Content-Range when asked with "Prefer: count=exact", writes addressed by a key filter that
// return the stored rows with "Prefer: return=representation". Plain data: the same keys a user writes in an
// endpoint definition; {path} and {idField} are the endpoint's own.
export const postgrestPreset = {
  pagination: { style: 'offset', offsetParam: 'offset', sizeParam: 'limit', pageSize: 1000 },
  totalHeader: 'Content-Range',
  readHeaders: { Prefer: 'count=exact' },
  // PostgreSQL sorts NULLs last ascending; Nocoflo's contract puts them first, so the order says so.
  sort: { params: { order: '{column}.{dir}' }, asc: 'asc.nullsfirst', desc: 'desc.nullslast', separator: ',', tiebreak: true },
  filters: {
    eq: '{column}=eq.{value}',
    // neq follows SQL (NULL <> x is unknown, so NULLs drop out); Nocoflo's ne keeps NULLs, so they are asked for.
    ne: { param: 'or=({column}.neq.{value},{column}.is.null)', encode: 'postgrest' },
    lt: '{column}=lt.{value}',
    lte: '{column}=lte.{value}',
    gt: '{column}=gt.{value}',
    gte: '{column}=gte.{value}',
    contains: { param: '{column}=ilike.*{value}*', encode: 'postgrest-like' },
    startswith: { param: '{column}=ilike.{value}*', encode: 'postgrest-like' },
    endswith: { param: '{column}=ilike.*{value}', encode: 'postgrest-like' },
    isnull: '{column}=is.null',
    notnull: '{column}=not.is.null',
    in: { param: '{column}=in.({value})', encode: 'postgrest' },
  },
  record: '{path}?{idField}=eq.{id}',
  recordPath: '[0]',
  writes: { insert: 'POST {path}', update: 'PATCH {path}?{idField}=eq.{id}', delete: 'DELETE {path}?{idField}=eq.{id}' },
  writeHeaders: { Prefer: 'return=representation' },
};

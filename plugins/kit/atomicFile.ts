// Datasource plugins reach shared code only through the kit; the implementation lives in core, which the
// metadata store uses too and which must not depend on plugins.
export { hardLinkRefusal, resolveWriteTarget, writeFileAtomic } from '../../src/core/atomicFile';

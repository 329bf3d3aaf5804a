import type { Disposable } from '../../../api';
import { DatasourceRepository } from './datasourceRepository';
import { MetadataFile, type MetadataFileOptions } from './metadataFile';
import { PluginConfigRepository } from './pluginConfigRepository';
import { ViewPreferenceRepository } from './viewPreferenceRepository';

/**
 * The shared metadata file and one repository per concern over it. Features with their own tables (audit log,
 * roles, row locks) build their stores over `file` the same way.
 */
export interface Metadata extends Disposable {
  readonly file: MetadataFile;
  readonly datasources: DatasourceRepository;
  readonly plugins: PluginConfigRepository;
  readonly viewPreferences: ViewPreferenceRepository;
}

export async function openMetadata(options: MetadataFileOptions): Promise<Metadata> {
  const file = await MetadataFile.open(options);
  return {
    file,
    datasources: new DatasourceRepository(file),
    plugins: new PluginConfigRepository(file),
    viewPreferences: new ViewPreferenceRepository(file),
    dispose: () => file.dispose(),
  };
}

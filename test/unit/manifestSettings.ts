// The settings package.json declares, from all of its categories (Model, Training, Data, Storage).
import { readFileSync } from 'node:fs';

export interface ManifestSetting {
  type?: string | string[];
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  enum?: string[];
  enumDescriptions?: string[];
  description?: string;
  markdownDescription?: string;
  order?: number;
  scope?: string;
}

export interface ManifestCategory {
  title: string;
  order?: number;
  properties: Record<string, ManifestSetting>;
}

export function manifestCategories(): ManifestCategory[] {
  const configuration = JSON.parse(readFileSync('package.json', 'utf8')).contributes.configuration;
  return Array.isArray(configuration) ? configuration : [configuration];
}

/** Every setting by its full name, e.g. `fashionClassifier.epochs`. */
export function manifestSettings(): Record<string, ManifestSetting> {
  return Object.assign({}, ...manifestCategories().map((category) => category.properties));
}

// What a gallery listing and VS Code's workspace restrictions need from package.json.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readImageSize } from '../../src/shared/imageHeader';
import { manifestCategories, manifestSettings } from './manifestSettings';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));

describe('package.json', () => {
  it('has a PNG icon of at least 128 x 128 pixels', () => {
    assert.match(manifest.icon, /\.png$/);
    const bytes = readFileSync(manifest.icon);
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const { width, height } = readImageSize(bytes);
    assert.ok(width >= 128 && height >= 128, `${width} x ${height}`);
  });

  it('carries what a listing shows: links, keywords, categories, banner, changelog', () => {
    assert.match(manifest.repository?.url, /^https:\/\//);
    assert.match(manifest.bugs?.url, /^https:\/\//);
    assert.match(manifest.homepage, /^https:\/\//);
    assert.ok(manifest.keywords.length >= 3 && manifest.keywords.length <= 30, 'keywords');
    assert.deepEqual(manifest.categories, ['Machine Learning', 'Education', 'Visualization']);
    assert.match(manifest.galleryBanner?.color, /^#[0-9a-f]{6}$/i);
    assert.ok(existsSync('CHANGELOG.md'));
    assert.match(readFileSync('.vscodeignore', 'utf8'), /^!CHANGELOG\.md$/m);
  });

  it('runs in Restricted Mode without letting a workspace choose the data set folder or prune the runs', () => {
    const { untrustedWorkspaces } = manifest.capabilities;
    assert.equal(untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(untrustedWorkspaces.restrictedConfigurations, [
      'fashionClassifier.datasetPath',
      'fashionClassifier.runHistoryLimit',
    ]);
    for (const key of untrustedWorkspaces.restrictedConfigurations) {
      assert.ok(manifestSettings()[key], key);
    }
  });

  it('lets only the user set what deletes saved runs: they are kept once for every workspace', () => {
    const limit = manifestSettings()['fashionClassifier.runHistoryLimit'];
    assert.equal(limit.scope, 'application');
  });

  it('groups the settings in the order a learner meets them: model, training, data, storage', () => {
    const categories = manifestCategories();
    assert.deepEqual(
      categories.map((category) => category.title),
      ['Model', 'Training', 'Data', 'Storage'],
    );
    assert.deepEqual(
      categories.map((category) => category.order),
      [1, 2, 3, 4],
    );
    for (const category of categories) {
      const orders = Object.values(category.properties).map((setting) => setting.order);
      assert.deepEqual(
        orders,
        orders.map((_, i) => i + 1),
        `${category.title}: order follows the listing`,
      );
    }
    assert.ok(Object.keys(categories[0].properties).includes('fashionClassifier.model'));
  });

  it('describes every setting, and every choice of every enum', () => {
    for (const [key, setting] of Object.entries(manifestSettings())) {
      assert.ok((setting.markdownDescription ?? setting.description ?? '').length > 20, `${key} has a description`);
      if (setting.enum) {
        assert.equal(setting.enumDescriptions?.length, setting.enum.length, `${key} enumDescriptions`);
        assert.ok(
          setting.enumDescriptions!.every((text) => text.length > 10),
          `${key} enumDescriptions`,
        );
      }
    }
  });

  it('declares virtual workspaces supported', () => {
    assert.equal(manifest.capabilities.virtualWorkspaces.supported, true);
  });

  it('points the README at a screenshot that ships in media/', () => {
    const readme = readFileSync('README.md', 'utf8');
    const [, path] = /!\[[^\]]+\]\((media\/[^)]+\.png)\)/.exec(readme) ?? [];
    assert.ok(path && existsSync(path), `README screenshot ${path}`);
  });

  it('links from the README only to pictures in media/ and pages in docs/ that exist', () => {
    const readme = readFileSync('README.md', 'utf8');
    const pictures = [...readme.matchAll(/!\[([^\]]*)\]\(([^)]+)\)/g)];
    assert.ok(pictures.length >= 3, 'pictures of the panel, the walkthrough and a classification');
    for (const [, alt, path] of pictures) {
      assert.match(path, /^media\/[\w-]+\.png$/, path);
      assert.ok(existsSync(path), path);
      assert.ok(alt.length > 20, `${path} has a text alternative`);
    }
    const pages = [...readme.matchAll(/\]\((docs\/[\w-]+\.md)\)/g)].map(([, path]) => path);
    assert.ok(pages.length >= 3, pages.join(', '));
    pages.forEach((path) => assert.ok(existsSync(path), path));
  });

  it('gives the two commands that start the extension and run every test under "Develop"', () => {
    const readme = readFileSync('README.md', 'utf8');
    const develop = readme.slice(readme.indexOf('## Develop'));
    assert.match(develop, /^npm start\b/m);
    assert.match(develop, /^npm test\b/m);
    assert.equal(manifest.scripts.start, 'bash test/harness/start.sh');
    assert.equal(manifest.scripts.test, 'bash test/harness/test-all.sh');
  });
});

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { IMAGE_EXTENSIONS, isImagePath } from '../../src/shared/imageFiles';

describe('image files', () => {
  it('accepts every image extension in any letter case', () => {
    for (const name of ['shirt.png', 'BOOT.JPG', 'a.Jpeg', 'x/y.gif', 'scan.BMP', 'photo.webp']) {
      assert.equal(isImagePath(name), true, name);
    }
  });

  it('rejects other files and look-alikes', () => {
    for (const name of ['notes.txt', 'png', 'archive.png.zip', 'folder.png/readme', 'image.svg', 'noext']) {
      assert.equal(isImagePath(name), false, name);
    }
  });

  it("matches the explorer menu's when clause in package.json", () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
    const entry = manifest.contributes.menus['explorer/context'].find(
      (item: { command: string }) => item.command === 'fashionClassifier.classifyImage',
    );
    const [, source, flags] = /resourceExtname =~ \/(.+)\/(\w*)$/.exec(entry.when)!;
    const regex = new RegExp(source, flags);
    for (const ext of IMAGE_EXTENSIONS) {
      assert.ok(regex.test(`.${ext}`) && regex.test(`.${ext.toUpperCase()}`), ext);
    }
    for (const ext of ['.txt', '.svg', '.pngx', '.json']) {
      assert.equal(regex.test(ext), false, ext);
    }
  });
});

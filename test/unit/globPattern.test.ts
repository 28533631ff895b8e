import * as assert from 'node:assert/strict';
import { excludedPathTest, globToRegExp } from '../../src/shared/globPattern';

function matches(glob: string, path: string): boolean {
  return globToRegExp(glob).test(path);
}

describe('files.exclude patterns', () => {
  it('"**/" stands for any number of folders, none included', () => {
    assert.ok(matches('**/.git', '.git'));
    assert.ok(matches('**/.git', 'a/b/.git'));
    assert.ok(!matches('**/.git', 'a/.github'));
    assert.ok(matches('**/node_modules', 'web/node_modules'));
    assert.ok(matches('a/**/z.png', 'a/z.png'));
    assert.ok(matches('a/**/z.png', 'a/b/c/z.png'));
    assert.ok(!matches('a/**/z.png', 'b/a/z.png'));
  });

  it('"folder/**" holds the folder and everything in it, and nothing beside it', () => {
    assert.ok(matches('out/**', 'out'));
    assert.ok(matches('out/**', 'out/a/b.png'));
    assert.ok(!matches('out/**', 'outside/b.png'));
    assert.ok(!matches('out/**', 'src/out/b.png'));
  });

  it('"*" and "?" stay within one name', () => {
    assert.ok(matches('*.png', 'shirt.png'));
    assert.ok(!matches('*.png', 'pictures/shirt.png'));
    assert.ok(matches('**/*.png', 'pictures/shirt.png'));
    assert.ok(matches('img?.jpg', 'img1.jpg'));
    assert.ok(!matches('img?.jpg', 'img12.jpg'));
    assert.ok(!matches('img?.jpg', 'img/.jpg'));
  });

  it('understands alternatives and character classes, and takes other characters literally', () => {
    assert.ok(matches('**/*.{png,jpg}', 'a/b.jpg'));
    assert.ok(!matches('**/*.{png,jpg}', 'a/b.gif'));
    assert.ok(matches('shot[0-9].png', 'shot7.png'));
    assert.ok(!matches('shot[!0-9].png', 'shot7.png'));
    assert.ok(matches('shot[!0-9].png', 'shotx.png'));
    assert.ok(matches('a+b (1).png', 'a+b (1).png'));
    assert.ok(!matches('a.png', 'abpng'));
  });

  it('treats each alternative as a start of its own, and "**" inside a name as "*"', () => {
    assert.ok(matches('{**/*.png,**/*.jpg}', 'a.png'));
    assert.ok(matches('{**/node_modules,**/.git}', 'node_modules'));
    assert.ok(matches('{**/node_modules,**/.git}', 'web/.git'));
    assert.ok(matches('{out/**,x}', 'out'));
    assert.ok(matches('**.png', 'a.png'));
    assert.ok(!matches('**.png', 'a/b.png'));
  });

  it('trims the pattern, and a trailing "/" names the folder', () => {
    assert.ok(matches(' **/x ', 'a/x'));
    assert.ok(matches('build/', 'build'));
    assert.ok(matches('**/dist/', 'web/dist'));
  });

  it('matches nothing for a pattern it cannot read, rather than failing', () => {
    assert.ok(!matches('{a,b', 'a'));
    assert.ok(!matches('{a,b', '{a,b'));
    for (const unreadable of ['[z-a].png', '**/[9-0]', '[a-\\d]']) {
      assert.doesNotThrow(() => globToRegExp(unreadable), unreadable);
      assert.ok(!matches(unreadable, 'z.png'), unreadable);
    }
  });

  it('applies the patterns set to true, not those turned off or with a when clause', () => {
    const excluded = excludedPathTest({
      '**/.git': true,
      '**/hidden': true,
      '**/shown': false,
      '**/*.js': { when: '$(basename).ts' },
      '[z-a]': true,
    });
    assert.ok(excluded('hidden'));
    assert.ok(excluded('pictures/hidden'));
    assert.ok(!excluded('pictures/shown'));
    assert.ok(!excluded('app.js'));
    assert.ok(!excluded('pictures/shirt.png'));
    assert.ok(!excludedPathTest(undefined)('anything'));
  });
});

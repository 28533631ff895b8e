// The walkthrough as package.json declares it: each step completed by an event the extension
// really causes, with a picture that ships and follows the theme, and a link into the panel.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { PANEL_SECTIONS } from '../../src/shared/panelSections';
import { WALKTHROUGH_KEYS } from '../../src/shared/walkthroughKeys';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { svg?: string; image?: string; markdown?: string; altText?: string };
  completionEvents?: string[];
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const commands = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));
const [walkthrough] = manifest.contributes.walkthroughs as { title: string; steps: Step[] }[];

/** The `command:` links of a description: the command and its decoded arguments. */
function commandLinks(description: string): { command: string; args: unknown[] }[] {
  return [...description.matchAll(/\]\(command:([\w.]+)(?:\?([^)]*))?\)/g)].map(([, command, query]) => ({
    command,
    args: query ? JSON.parse(decodeURIComponent(query)) : [],
  }));
}

describe('the walkthrough', () => {
  it("follows the tutorial's path in five steps", () => {
    assert.equal(walkthrough.title, 'Classify clothing with a neural network');
    assert.deepEqual(
      walkthrough.steps.map((step) => step.id),
      ['getData', 'train', 'lookInside', 'classify', 'compare'],
    );
  });

  it('completes each step by an event the extension causes: a command it contributes or a key it sets', () => {
    const keys = new Set<string>(Object.values(WALKTHROUGH_KEYS));
    for (const step of walkthrough.steps) {
      assert.ok(step.completionEvents?.length, `${step.id} has completion events`);
      for (const event of step.completionEvents!) {
        const [kind, name] = event.split(/:(.*)/);
        if (kind === 'onCommand') {
          assert.ok(commands.has(name), `${step.id}: ${name} is a contributed command`);
        } else {
          assert.equal(kind, 'onContext', `${step.id}: ${event}`);
          assert.ok(keys.has(name), `${step.id}: ${name} is a key the extension sets`);
        }
      }
    }
  });

  it('links each step to a contributed command, and section links to sections the panel has', () => {
    for (const step of walkthrough.steps) {
      const links = commandLinks(step.description);
      assert.ok(links.length > 0, `${step.id} has a link`);
      for (const { command, args } of links) {
        assert.ok(commands.has(command), `${step.id}: ${command}`);
        if (command === 'fashionClassifier.showSection') {
          assert.ok((PANEL_SECTIONS as readonly unknown[]).includes(args[0]), `${step.id}: section ${args[0]}`);
        }
      }
    }
  });

  it('has a picture for each step that ships, says what it shows, and takes every colour from the theme', () => {
    for (const step of walkthrough.steps) {
      const path = step.media.svg!;
      assert.match(path, /^media\/walkthrough\/\w+\.svg$/, step.id);
      assert.ok(existsSync(path), path);
      assert.ok((step.media.altText ?? '').length > 20, `${step.id} altText`);
      const svg = readFileSync(path, 'utf8');
      assert.match(svg, /<title>[^<]+<\/title>/, `${path} has a title`);
      const colours = [...svg.matchAll(/\b(?:fill|stroke|stop-color|color)="([^"]*)"/g)].map(([, value]) => value);
      assert.ok(colours.length > 0, path);
      for (const colour of colours) {
        // A theme colour (with a fallback for viewers outside the editor), or none at all.
        assert.match(colour, /^(none|var\(--vscode-[\w-]+, #[0-9a-f]{3,8}\))$/i, `${path}: ${colour}`);
      }
      assert.doesNotMatch(svg, /style=|<style/, `${path}: no inline styles (the walkthrough's CSP drops them)`);
    }
  });

  it('ships its pictures in the VSIX', () => {
    assert.match(readFileSync('.vscodeignore', 'utf8'), /^!media\/\*\*$/m);
  });
});

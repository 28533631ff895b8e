// `npm start`: the extension installed in a real VS Code (code-server) on 127.0.0.1, with a
// sample workspace, for a person to use in their browser. Runs until Ctrl+C.
import { join } from 'node:path';
import { startCodeServer } from './codeServer';
import { outputRoot } from './paths';
import { createSampleWorkspace } from './sampleWorkspace';

async function main(): Promise<void> {
  const stateDir = join(outputRoot, 'editor');
  const workspace = createSampleWorkspace(join(stateDir, 'workspace'));
  const port = process.env.PORT ? Number(process.env.PORT) : undefined;
  const server = await startCodeServer({ stateDir: join(stateDir, 'code-server'), workspace, install: 'link', port });
  console.log(`\nFashion Classifier is running in VS Code at:\n\n  ${server.url}\n`);
  console.log(
    'Open it in a browser, then run "Fashion Classifier: Train Fashion Classifier" from the Command Palette (F1).',
  );
  console.log(`Editor log: ${server.log}\nPress Ctrl+C to stop.`);
  // Ctrl+C ends this process; the harness then stops code-server's whole process group.
  await new Promise<never>(() => {});
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

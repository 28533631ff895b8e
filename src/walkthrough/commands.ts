// The commands the walkthrough's steps link to: the classifier panel opened at one of its
// sections, "Look Inside the Network", and "Add a Sample Picture".
import * as vscode from 'vscode';
import { addSamplePicture } from '../commands/addSamplePicture';
import { ClassifierPanel } from '../panel/ClassifierPanel';
import { PANEL_SECTIONS, type PanelSection } from '../shared/panelSections';

export function registerWalkthroughCommands(context: vscode.ExtensionContext): vscode.Disposable[] {
  const showSection = (section: PanelSection) => ClassifierPanel.slot.createOrShow(context).revealSection(section);
  return [
    // A link's argument comes from a URI, so anything but a known section opens the panel at its top.
    vscode.commands.registerCommand('fashionClassifier.showSection', (section?: unknown) => {
      if ((PANEL_SECTIONS as readonly unknown[]).includes(section)) {
        showSection(section as PanelSection);
      } else {
        ClassifierPanel.slot.createOrShow(context);
      }
    }),
    vscode.commands.registerCommand('fashionClassifier.lookInside', () => showSection('inside')),
    vscode.commands.registerCommand('fashionClassifier.addSamplePicture', (index?: unknown) =>
      addSamplePicture(context, typeof index === 'number' ? index : undefined),
    ),
  ];
}

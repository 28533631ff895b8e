// What the buttons next to a problem do, wherever the problem is shown: in a panel or in a
// notification.
import * as vscode from 'vscode';
import { notificationText } from './shared/messageChecks';
import { actionLabel, Problem, UserAction } from './shared/panelMessages';
import { showLog } from './log';

/** Carries out an action that needs only the editor (the data set retry is the classifier panel's). */
export async function runUserAction(action: UserAction): Promise<void> {
  switch (action.kind) {
    case 'openSetting':
      await vscode.commands.executeCommand('workbench.action.openSettings', action.setting);
      break;
    case 'trainNow':
      await vscode.commands.executeCommand('fashionClassifier.train');
      break;
    case 'showLog':
      showLog();
      break;
    case 'drawGarment':
      await vscode.commands.executeCommand('fashionClassifier.drawGarment');
      break;
    case 'retryDataset':
    case 'trainOnWasm':
      // Only the classifier panel can do these; from a notification, it opens with its button.
      await vscode.commands.executeCommand('fashionClassifier.train');
      break;
  }
}

/**
 * An error notification with the problem's actions as buttons, and "Show Log" always among them:
 * for problems that happen where no panel can show them.
 */
export async function showProblemNotification(problem: Problem): Promise<void> {
  const actions = problem.actions.some((a) => a.kind === 'showLog')
    ? problem.actions
    : [...problem.actions, { kind: 'showLog' } as const];
  const choice = await vscode.window.showErrorMessage(notificationText(problem.message), ...actions.map(actionLabel));
  const picked = actions.find((action) => actionLabel(action) === choice);
  if (picked) {
    await runUserAction(picked);
  }
}

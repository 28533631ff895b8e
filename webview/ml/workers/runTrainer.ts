// Which trainer a run gets: data-parallel workers on WebAssembly when the fashionClassifier.workers
// setting (or "auto"'s timing) asks for more than one thread and they start; the page's own thread
// otherwise. Whenever more threads were asked for than the run gets, the panel and the log say why.
import { errorMessage } from '../../../src/shared/errorMessage';
import { ParallelTrainer } from '../../../src/shared/ml/parallel/parallelTrainer';
import { singleThreadTrainer, type Trainer } from '../../../src/shared/ml/parallel/trainer';
import { planWorkers } from '../../../src/shared/ml/parallel/workerCount';
import { WorkersOrThread } from '../../../src/shared/ml/parallel/workersOrThread';
import type { TrainingSettings } from '../../../src/shared/settings';
import type { ActiveBackend } from '../backend';
import { availableCores, startTrainingWorkers } from './workerPool';

/** What the panel shows about a run's threads. */
export interface WorkersNote {
  /** Threads that train: 1 is the page's own. */
  count: number;
  text: string;
  /** True when more threads were asked for and the run trains on one: `text` says why. */
  fellBack: boolean;
}

export interface RunTrainerCallbacks {
  log(level: 'info' | 'warn', message: string): void;
  show(note: WorkersNote): void;
}

const ONE_THREAD_ADVICE = 'Set fashionClassifier.workers to 1 to train on one thread without trying.';

export async function trainerForRun(
  backend: ActiveBackend,
  settings: TrainingSettings,
  callbacks: RunTrainerCallbacks,
): Promise<Trainer> {
  const plan = planWorkers(settings.workers, backend.name, availableCores(), backend.workers);
  const fellBack = (reason: string) => {
    const text = `Training on one thread: ${reason} ${ONE_THREAD_ADVICE}`;
    callbacks.log('warn', text);
    callbacks.show({ count: 1, text, fellBack: true });
  };
  if (plan.count < 2) {
    if (backend.name === 'wasm') {
      callbacks.show({ count: 1, text: `Threads: one (${plan.reason}).`, fellBack: false });
    }
    return singleThreadTrainer;
  }
  try {
    const started = await startTrainingWorkers(plan.count);
    if (started.slowKernels.length) {
      callbacks.log('warn', `The training workers lack faster WASM kernels: ${started.slowKernels.join(', ')}`);
    }
    const text = `Threads: ${plan.count} workers (${plan.reason}), each training a slice of every batch.`;
    callbacks.log('info', `${text} They started in ${Math.round(started.startMs)} ms.`);
    callbacks.show({ count: plan.count, text, fellBack: false });
    const parallel = new ParallelTrainer(started.endpoints, settings, (message) => callbacks.log('info', message));
    return new WorkersOrThread(parallel, (reason) =>
      fellBack(`the workers stopped before training began (${reason}).`),
    );
  } catch (error) {
    fellBack(`${errorMessage(error)}.`);
    return singleThreadTrainer;
  }
}

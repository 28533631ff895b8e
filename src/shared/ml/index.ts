// The ML core in one import for the panel: data to tensors, the model, training, evaluation.
export * from './model';
export * from './tensors';
export * from './split';
export * from './history';
export * from './train';
export * from './metrics';
export * from './evaluate';
export * from './plan';
